from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Meetings and workshops")

    def ready(self):
        from assembly import search

        from .search import SOURCES

        # What this app contributes to /search/, filtered by its own visibility rules.
        for source in SOURCES:
            search.register(source)

        from assembly import merging, personal_data

        from . import membership
        from . import personal_data as sections
        from .models import AppliedTick, Attendance, Meeting, Workshop, WorkshopSignup

        # Exported; kept anonymously (person SET_NULL) so that statistics still count them. The
        # attendance they recorded as a facilitator belongs to others: it stays, recorded_by NULL.
        personal_data.register(
            "attendance",
            sections.attendance,
            covers=[Attendance],
            before_delete=sections.keep_attendance_anonymously,
        )
        # Exported; deleted with the account (CASCADE): the ids of the ticks sent from a phone.
        personal_data.register("door_ticks", sections.door_ticks, covers=[AppliedTick])
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

        # A merge (assembly.merging): where both people hold the same row, the kept person's
        # wins (one attendance per meeting or workshop, one sign-up per workshop, one host or
        # facilitator line); their membership is then recomputed from the attendance gathered.
        merging.register_merge(Attendance, "person", unique_with=["meeting", "workshop"])
        merging.register_merge(Attendance, "recorded_by")
        merging.register_merge(AppliedTick, "person")
        merging.register_merge(WorkshopSignup, "person", unique_with=["workshop"])
        merging.register_merge(Workshop, "proposed_by")
        merging.register_merge(Meeting.hosts.through, "user", unique_with=["meeting"])
        merging.register_merge(Workshop.facilitators.through, "user", unique_with=["workshop"])
        merging.register_after(membership.recompute_after_merge)
        merging.register_merge(Meeting.history.model, "history_user")
        merging.register_merge(Workshop.history.model, "history_user")
        # Exported; the revisions stay, as part of the notes' history, anonymised (history_user
        # SET_NULL).
        personal_data.register(
            "notes_revisions",
            sections.notes_revisions,
            covers=[Meeting.history.model, Workshop.history.model],
        )

        # The attendance and people importers (manage.py import, /settings/imports/).
        from assembly import imports

        from .importers import AttendanceImporter, PeopleImporter

        imports.register(AttendanceImporter())
        imports.register(PeopleImporter())

        # What the board reads (assembly/page_cache/reads.py), and its parts on their own: the
        # cards and the meeting do not read attendance, so a tick at the door renews only whether
        # the person took part (their notes form), not the cards everyone shares.
        from django.contrib.auth.models import Group

        from assembly import page_cache
        from assembly.models import User
        from commons_registry.models import Commons

        from .models import Venue

        people = page_cache.Without(User, "membership")
        page_cache.declare_page(
            "meetings:detail",
            Meeting,
            Meeting.history.model,
            Venue,
            Workshop,
            WorkshopSignup,
            Attendance,
            Commons,
            people,
            # Who may hide a workshop (a facilitator) is asked of the groups.
            Group,
        )
        page_cache.declare_part(
            "board-cards", Meeting, Venue, Workshop, WorkshopSignup, Commons, people
        )
        # With the latest revision of its plenary notes and its hosts, and on a person's first
        # view what they signed up to and run (views/board.py): renewed by a sign-up as that is.
        page_cache.declare_part(
            "memo:meeting",
            Meeting,
            Venue,
            Meeting.history.model,
            people,
            Workshop,
            WorkshopSignup,
        )
        page_cache.declare_part("memo:board-person", Meeting, Workshop, WorkshopSignup, Attendance)
        # An entry lists the workshops linked to it, with their meetings.
        page_cache.also_reads("commons:detail", Workshop, Meeting)
