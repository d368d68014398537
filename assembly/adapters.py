"""django-allauth adapter: e-mails signed with the assembly's name rather than a host name."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext as _

from . import facilitators
from .models import AssemblyConfiguration


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # E-mail is the login; there is no username to fill.
        return None

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = context.get("request")
        domain = get_current_site(request).domain if request else ""
        site = SimpleNamespace(name=AssemblyConfiguration.get().name, domain=domain)
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def login(self, request, user):
        super().login(request, user)
        # Signing in with an invited, verified address accepts the invitation to facilitate.
        if facilitators.accept_pending_invitations(user):
            messages.success(request, _("You are now a facilitator of the assembly."))
