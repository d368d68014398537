"""/settings/: what the administrators keep, without the Django admin (issue 22).

Who we are, the rules, the rhythm, venues, commons categories, facilitators, the neighbours
followed, the imports, the e-mail check, and every change made here (assembly/settings_log.py).
The wizard at /setup/ (portal/setup.py) uses the same forms and the same helpers.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly import facilitators, setup
from assembly.folding import fold
from assembly.forms import reasons
from assembly.models import AssemblyConfiguration, FacilitatorInvitation, User
from assembly.permissions import administrator_required
from assembly.settings_log import recent_changes, save_settings
from commons_registry.models import Category
from federation.models import Neighbour
from workshops import rhythm as rhythm_rules
from workshops.models import Meeting, Rhythm, Venue

from . import checklist
from .setup_forms import (
    CATEGORY_FIELDS,
    IDENTITY_FIELDS,
    RHYTHM_FIELDS,
    RULES_FIELDS,
    CategoryForm,
    IdentityForm,
    InviteForm,
    PeopleSearchForm,
    RhythmForm,
    RulesForm,
)

# Each editable part of the configuration: its form, its fields, and its name in the log.
PARTS = {
    "identity": (IdentityForm, IDENTITY_FIELDS, _("Who we are")),
    "rules": (RulesForm, RULES_FIELDS, _("Rules")),
}


def save_part(request, part: str):
    """The POST of an identity or rules form: saved and logged, or the bound form with errors."""
    form_class, fields, subject = PARTS[part]
    # A fresh row, never the cached copy: the form changes it in memory before it is saved.
    form = form_class(request.POST, instance=AssemblyConfiguration.get())
    if form.is_valid():
        change = save_settings(form.instance, fields, by=request.user, subject=str(subject))
        messages.success(request, _("Saved.") if change else _("Nothing changed."))
        return None
    return form


def rhythm_preview(rhythm: Rhythm, now: datetime.datetime | None = None) -> list[dict]:
    """The assemblies the rule gives in the coming months, and whether each month has one."""
    today = timezone.localdate(now or timezone.now())
    rows = []
    for day in rhythm_rules.upcoming_slots(rhythm, today):
        starts_at = rhythm_rules.local_datetime(day, rhythm_rules.start_time(rhythm, day))
        taken = Meeting.objects.filter(
            rhythm_rules.month_has_assembly(day.year, day.month, starts_at.tzinfo)
        ).exists()
        rows.append({"starts_at": starts_at, "venue": rhythm.default_venue, "exists": taken})
    return rows


def rhythm_page(request, template: str, context: dict, *, done_url: str):
    """The rhythm's form, with the meetings it will create; nothing is created until the
    administrator confirms ("save and plan")."""
    rhythm = Rhythm.get()
    form = RhythmForm(request.POST or None, instance=rhythm)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            change = save_settings(
                form.instance, RHYTHM_FIELDS, by=request.user, subject=_("Rhythm")
            )
            created = rhythm_rules.plan_upcoming_meetings()
            messages.success(
                request,
                _("Rhythm saved; %(count)s meeting(s) created.") % {"count": len(created)}
                if change or created
                else _("Nothing changed."),
            )
            return redirect(done_url)
        preview = rhythm_preview(form.instance)
    elif request.method == "GET":
        preview = rhythm_preview(rhythm)
    context.update({"form": form, "preview": preview, "venues_url": "/meetings/venues/"})
    return render(request, template, context)


def facilitators_page(request, template: str, context: dict, *, here: str):
    """Facilitators: those named, the people found by a search, the invitations pending."""
    if request.method == "POST":
        act_on_facilitators(request)
        query = request.GET.get("q", "")
        return redirect(here + (f"?{urlencode({'q': query})}" if query else ""))
    search = PeopleSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        found = list(
            User.objects.filter(
                is_active=True, search_name__contains=fold(search.cleaned_data["q"])
            )
            .exclude(email__isnull=True)
            .prefetch_related("groups")
            .order_by("display_name", "pk")[:20]
        )
    context.update({
        "facilitators": list(facilitators.facilitators()),
        "invitations": list(facilitators.pending_invitations()),
        "search": search,
        "found": found,
        "invite_form": InviteForm(),
        "here": here,
    })  # fmt: skip
    return render(request, template, context)


def act_on_facilitators(request) -> None:
    action = request.POST.get("action")
    try:
        if action == "invite":
            form = InviteForm(request.POST)
            if not form.is_valid():
                messages.error(request, reasons(form))
                return
            facilitators.invite_facilitator(form.cleaned_data["email"], by=request.user)
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
        elif action in ("resend", "cancel"):
            invitation = _pending_invitation(request.POST.get("invitation"))
            if invitation is None:
                messages.error(request, _("This invitation is no longer pending."))
            elif action == "resend":
                facilitators.resend_invitation(invitation)
                messages.success(request, _("Invitation sent again to %(email)s.") % {
                    "email": invitation.email
                })  # fmt: skip
            else:
                facilitators.cancel_invitation(invitation, by=request.user)
                messages.success(request, _("Invitation withdrawn."))
        elif action in ("add", "remove"):
            person = _person(request.POST.get("person"))
            if person is None:
                messages.error(request, _("This person is not here any more."))
            elif action == "add":
                facilitators.add_facilitator(person, by=request.user)
                messages.success(request, _("%(name)s is now a facilitator.") % {"name": person})
            else:
                facilitators.remove_facilitator(person, by=request.user)
                messages.success(
                    request, _("%(name)s is no longer a facilitator.") % {"name": person}
                )
        else:
            messages.error(request, _("Nothing to do."))
    except facilitators.FacilitatorError as error:
        messages.error(request, str(error))


def _pending_invitation(value) -> FacilitatorInvitation | None:
    if not str(value or "").isdigit() or len(str(value)) > 18:
        return None
    return FacilitatorInvitation.objects.pending().filter(pk=int(value)).first()


def _person(value) -> User | None:
    if not str(value or "").isdigit() or len(str(value)) > 18:
        return None
    return User.objects.filter(pk=int(value)).first()


def email_check_page(request, template: str, context: dict):
    result = None
    if request.method == "POST":
        ok, detail = setup.send_test_email(request.user)
        result = {"ok": ok, "detail": detail}
    context.update({
        "result": result,
        "email_settings": setup.email_settings_summary(),
        "recipient": request.user.email,
    })  # fmt: skip
    return render(request, template, context)


# /settings/ itself


@administrator_required
def index(request):
    config = AssemblyConfiguration.current()
    context = {
        "config": config,
        "rhythm": Rhythm.objects.select_related("default_venue").filter(pk=1).first(),
        "checklist": checklist.checklist_for(request.user),
        "changes": list(recent_changes()),
        "venue_count": Venue.objects.count(),
        "category_count": Category.objects.count(),
        "facilitator_count": facilitators.facilitators().count(),
        "neighbours": list(Neighbour.objects.order_by("name")[:20]),
        "imports_url": checklist.imports_url(),
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "portal/settings/index.html", context)


@administrator_required
def identity(request):
    form = IdentityForm(instance=AssemblyConfiguration.get())
    if request.method == "POST":
        form = save_part(request, "identity")
        if form is None:
            return redirect("settings:index")
    return render(
        request,
        "portal/settings/form.html",
        {"form": form, "title": _("Who we are"), "time_zone": settings.TIME_ZONE},
    )


@administrator_required
def rules(request):
    form = RulesForm(instance=AssemblyConfiguration.get())
    if request.method == "POST":
        form = save_part(request, "rules")
        if form is None:
            return redirect("settings:index")
    return render(request, "portal/settings/form.html", {"form": form, "title": _("Rules")})


@administrator_required
def rhythm(request):
    return rhythm_page(request, "portal/settings/rhythm.html", {}, done_url="settings:index")


@administrator_required
def facilitators_settings(request):
    return facilitators_page(request, "portal/settings/facilitators.html", {}, here=request.path)


@administrator_required
def email_check(request):
    return email_check_page(request, "portal/settings/email.html", {})


@administrator_required
def categories(request):
    rows = list(Category.objects.order_by("order", "name"))
    return render(request, "portal/settings/categories.html", {"categories": rows})


@administrator_required
def category(request, pk=None):
    instance = get_object_or_404(Category, pk=pk) if pk is not None else Category()
    form = CategoryForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        subject = _("Commons category: %(name)s") % {"name": form.instance.name}
        change = save_settings(form.instance, CATEGORY_FIELDS, by=request.user, subject=subject)
        messages.success(request, _("Saved.") if change else _("Nothing changed."))
        return redirect("settings:categories")
    title = _("New category") if pk is None else _("Category: %(name)s") % {"name": instance}
    return render(request, "portal/settings/form.html", {"form": form, "title": title})


@administrator_required
@require_POST
def dismiss_checklist(request):
    setup.dismiss_checklist(by=request.user)
    messages.success(request, _("The moving-in checklist is put away."))
    # Back where the checklist was: home, or else the settings.
    return redirect("home" if request.POST.get("next") == "/" else "settings:index")
