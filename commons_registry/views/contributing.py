"""Contributing to the directory: proposing an entry, and the stewards' edits, confirmations and
self-assessments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly.ratelimits import rate_limited

from .. import permissions, services
from ..forms import AssessmentForm, CommonsForm
from ..models import Commons


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("commons_proposal")
def propose(request):
    if not permissions.can_propose(request.user):
        raise PermissionDenied
    form = CommonsForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commons = services.propose_commons(by=request.user, data=form.data_for_service())
        except services.CommonsError as error:
            form.add_error(None, _error_with_link(error))
        else:
            messages.success(
                request,
                _("Thank you! Your proposal is saved; a facilitator will publish it soon."),
            )
            return redirect(commons)
    return render(request, "commons_registry/propose.html", {"form": form})


def _error_with_link(error: services.CommonsError):
    if error.existing is None:
        return str(error)
    return format_html(
        '{} <a href="{}">{}</a>', str(error), error.existing.get_absolute_url(), error.existing.name
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    commons = permissions.commons_for(request, slug)
    if not permissions.can_edit(request.user, commons):
        raise PermissionDenied
    form = CommonsForm(
        request.POST if request.method == "POST" else None, instance=commons, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            commons = services.edit_commons(
                Commons.objects.get(pk=commons.pk), by=request.user, data=form.data_for_service()
            )
        except services.CommonsError as error:
            form.add_error(None, _error_with_link(error))
        else:
            messages.success(request, _("The entry is updated."))
            return redirect(commons)
    return render(request, "commons_registry/edit.html", {"form": form, "commons": commons})


@login_required
@require_POST
def confirm(request, slug):
    commons = permissions.commons_for(request, slug)
    if not permissions.can_confirm(request.user, commons):
        raise PermissionDenied
    try:
        services.confirm_commons(commons, by=request.user)
    except services.CommonsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: the entry is confirmed as up to date."))
    return redirect(commons)


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, slug):
    commons = permissions.commons_for(request, slug)
    if not permissions.can_assess(request.user, commons):
        raise PermissionDenied
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_assessment(
            commons, by=request.user, levels=form.levels(), comments=form.comments()
        )
        messages.success(request, _("The self-assessment is saved."))
        return redirect(commons)
    return render(request, "commons_registry/assess.html", {"form": form, "commons": commons})
