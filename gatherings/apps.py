from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "gatherings"
    verbose_name = _("Gatherings")

    def ready(self):
        from assembly import merging, personal_data, search
        from assembly.notifications import digest

        from . import personal_data as sections
        from .models import (
            Gathering,
            Organiser,
            Poll,
            PollAnswer,
            Registration,
            Session,
            SessionRegistration,
            Volunteer,
        )
        from .notices import DIGEST_LABELS
        from .search import SOURCES

        for source in SOURCES:
            search.register(source)
        digest.register_item_labels(DIGEST_LABELS)

        # Exported; registrations, roles and volunteering go with the account (CASCADE), the
        # gatherings and sessions stay without a name (SET_NULL).
        personal_data.register(
            "gatherings",
            sections.gatherings,
            covers=[Gathering, Organiser, Registration, Volunteer],
        )
        personal_data.register(
            "gathering_sessions",
            sections.sessions,
            covers=[Session, Session.facilitators.through, SessionRegistration],
        )
        personal_data.register(
            "gathering_notes_revisions",
            sections.revisions,
            covers=[Session.history.model, Gathering.history.model],
        )
        personal_data.register("polls", sections.polls, covers=[Poll, PollAnswer])

        # A merge (assembly.merging): one role, registration, volunteering, facilitation and poll
        # answer per person; where both hold one, the kept person's wins.
        merging.register_merge(Gathering, "created_by")
        merging.register_merge(Organiser, "person", unique_with=["gathering"])
        merging.register_merge(Registration, "person", unique_with=["gathering"])
        merging.register_merge(Volunteer, "person", unique_with=["gathering"])
        merging.register_merge(Session, "proposed_by")
        merging.register_merge(Session.facilitators.through, "user", unique_with=["session"])
        merging.register_merge(SessionRegistration, "person", unique_with=["session"])
        merging.register_merge(Session.history.model, "history_user")
        merging.register_merge(Gathering.history.model, "history_user")
        merging.register_merge(Poll, "created_by")
        merging.register_merge(PollAnswer, "person", unique_with=["poll"])
