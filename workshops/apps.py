from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Meetings and workshops")

    def ready(self):
        from assembly import personal_data

        from . import personal_data as sections
        from .models import Attendance, Meeting, Workshop, WorkshopSignup

        # Exported; kept anonymously (person SET_NULL) so that statistics still count them. The
        # attendance they recorded as a facilitator belongs to others: it stays, recorded_by NULL.
        personal_data.register(
            "attendance",
            sections.attendance,
            covers=[Attendance],
            before_delete=sections.keep_attendance_anonymously,
        )
        # Exported; deleted with the account (CASCADE).
        personal_data.register(
            "workshop_signups", sections.workshop_signups, covers=[WorkshopSignup]
        )
        # Exported; the workshops stay, without their proposer (SET_NULL).
        personal_data.register("proposed_workshops", sections.proposed_workshops, covers=[Workshop])
        # Exported; hosting and facilitating go with the account (CASCADE).
        personal_data.register(
            "hosted_meetings", sections.hosted_meetings, covers=[Meeting.hosts.through]
        )
        personal_data.register(
            "facilitated_workshops",
            sections.facilitated_workshops,
            covers=[Workshop.facilitators.through],
        )
        # Exported; the revisions stay, as part of the notes' history, anonymised (history_user
        # SET_NULL).
        personal_data.register(
            "notes_revisions",
            sections.notes_revisions,
            covers=[Meeting.history.model, Workshop.history.model],
        )
