"""The pages that belong to no single app: home, health, /me/ and /people/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .forms import ProfileForm
from .models import User


def home(request):
    return render(request, "assembly/home.html")


@require_GET
@never_cache
def healthz(request):
    status = {
        "database": "ok" if health.check_database() else "error",
        "broker": "ok" if health.check_broker() else "error",
    }
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


@login_required
def me(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("me")
    return render(request, "assembly/me.html", {"form": form})


def people(request):
    listed = User.objects.listed().only(
        "display_name", "bio", "membership_declared_at", "eligible_until"
    )
    return render(request, "assembly/people.html", {"people": listed})


def placeholder(request, section):
    return render(request, "assembly/placeholder.html", {"section": section})
