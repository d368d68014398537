from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # What home and /me/ read (assembly/page_cache/reads.py). /me/ shows the person's
        # membership and sessions: a tick at the door renews it.
        from assembly import page_cache
        from assembly.models import User
        from charter.models import Charter, CharterVersion
        from commons_registry.models import Category, Commons
        from decisions.models import Comment, Decision, RollEntry, Vote
        from workshops.models import Attendance, Meeting, Venue, Workshop, WorkshopSignup

        page_cache.declare_page(
            "home",
            Meeting,
            Venue,
            Workshop,
            WorkshopSignup,
            Commons,
            Category,
            Decision,
            Charter,
            CharterVersion,
            page_cache.Without(User, "membership"),
        )
        page_cache.declare_page(
            "me",
            User,
            Attendance,
            Meeting,
            Workshop,
            WorkshopSignup,
            Decision,
            Decision.history.model,
            Comment,
            RollEntry,
            Vote,
        )
