"""/setup/: the wizard a new assembly's first administrator walks through (issue 22).

Who we are, the rhythm, the rules, facilitators, an e-mail check, then the moving-in checklist.
Every step may be skipped and the wizard run again; finishing it marks the assembly set up. The
steps save through the same forms and helpers as /settings/ (portal/site_settings.py).

`/setup/claim/<token>/` is the one-time link of `manage.py setup_link`, the only page that makes
someone an administrator (assembly/setup.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from assembly import setup
from assembly.models import AssemblyConfiguration
from assembly.permissions import administrator_required, is_administrator

from . import checklist, site_settings
from .setup_forms import FirstAdministratorForm, IdentityForm, RulesForm

STEPS = [
    ("identity", _("Who we are")),
    ("rhythm", _("Rhythm")),
    ("rules", _("Rules")),
    ("facilitators", _("Facilitators")),
    ("email", _("E-mail")),
    ("done", _("Moving in")),
]


def _step_context(current: str) -> dict:
    names = [name for name, _label in STEPS]
    index = names.index(current)
    following = names[index + 1] if index + 1 < len(names) else None
    return {
        "steps": [
            {
                "name": name,
                "label": label,
                "url": reverse(f"setup:{name}"),
                "current": name == current,
            }
            for name, label in STEPS
        ],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "step_label": STEPS[index][1],
        "next_url": reverse(f"setup:{following}") if following else None,
    }


@administrator_required
def index(request):
    config = AssemblyConfiguration.current()
    context = _step_context("identity")
    context["config"] = config
    return render(request, "portal/setup/index.html", context)


def _configuration_step(request, part: str, form_class, step: str):
    context = _step_context(step)
    form = form_class(instance=AssemblyConfiguration.get())
    if request.method == "POST":
        form = site_settings.save_part(request, part)
        if form is None:
            return redirect(context["next_url"])
    context.update({"form": form, "time_zone": settings.TIME_ZONE if part == "identity" else None})
    return render(request, "portal/setup/form_step.html", context)


@administrator_required
def identity(request):
    return _configuration_step(request, "identity", IdentityForm, "identity")


@administrator_required
def rhythm(request):
    context = _step_context("rhythm")
    return site_settings.rhythm_page(
        request, "portal/setup/rhythm.html", context, done_url=context["next_url"]
    )


@administrator_required
def rules(request):
    return _configuration_step(request, "rules", RulesForm, "rules")


@administrator_required
def facilitators(request):
    return site_settings.facilitators_page(
        request, "portal/setup/facilitators.html", _step_context("facilitators"), here=request.path
    )


@administrator_required
def email(request):
    return site_settings.email_check_page(
        request, "portal/setup/email.html", _step_context("email")
    )


@administrator_required
def done(request):
    if request.method == "POST":
        setup.mark_set_up(by=request.user)
        messages.success(request, _("The assembly is set up. Welcome home."))
        return redirect("settings:index")
    context = _step_context("done")
    config = AssemblyConfiguration.current()
    context.update({
        "config": config,
        "items": checklist.items(config),
        "imports_url": checklist.imports_url(),
    })  # fmt: skip
    return render(request, "portal/setup/done.html", context)


@never_cache
def claim(request, token: str):
    """The set-up link: a signed-in person becomes an administrator with one click; someone not
    signed in creates the administrator's account. A link used, expired or forged is a 404."""
    link = setup.setup_link_for(token)
    if link is None:
        raise Http404(_("This set-up link was used already, has expired or is not one."))
    if request.user.is_authenticated:
        if is_administrator(request.user):
            messages.info(request, _("You are an administrator already; the link stays unused."))
            return redirect("setup:index")
        if request.method == "POST":
            return _claimed(request, lambda: setup.make_administrator_with_link(link, request.user))
        return render(request, "portal/setup/claim.html", {"form": None})
    form = FirstAdministratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _claimed(
            request,
            lambda: setup.create_administrator_with_link(
                link,
                email=data["email"],
                display_name=data["display_name"],
                password=data["password1"],
            ),
        )
    return render(request, "portal/setup/claim.html", {"form": form})


def _claimed(request, make):
    try:
        person = make()
    except setup.SetupError as error:
        messages.error(request, str(error))
        return redirect(request.path)
    if not request.user.is_authenticated or request.user.pk != person.pk:
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("You are an administrator. Let us set the assembly up."))
    return redirect("setup:index")
