"""The attendance and people importers of the import engine (assembly.imports): the engine reads
the file and maps its columns; the rules live in workshops/history.py and workshops/roster.py.

Registered from WorkshopsConfig.ready(): `manage.py import attendance FILE`, `manage.py import
people FILE`, and /settings/imports/new/<kind>/.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assembly import imports
from assembly.imports import RowPlan
from assembly.models import User

from . import history, roster

NAME_SYNONYMS = (
    "nom",
    "nom complet",
    "prénom nom",
    "participant",
    "participante",
    "personne",
    "full name",
    "person",
)
EMAIL_SYNONYMS = (
    "courriel",
    "e-mail",
    "mail",
    "adresse e-mail",
    "adresse email",
    "adresse électronique",
    "email address",
    "e-mail address",
)


def _today(plan):
    return timezone.localdate(plan.now)


def _rows(planned_lines, rows) -> list[RowPlan]:
    return [
        RowPlan(
            line=line.number,
            outcome=line.outcome,
            key=line.key,
            label=line.label,
            reason=line.reason,
            values=row.values,
            source=row.source,
            data=line,
        )
        for row, line in zip(rows, planned_lines, strict=True)
    ]


class AttendanceImporter(imports.Importer):
    kind = "attendance"
    label = _("Past attendance")
    description = _(
        "One line per person present: date (2023-01-26 or 26/01/2023), name, and optionally "
        "e-mail, meeting and workshop. Missing meetings are created as held; unknown people "
        "become unclaimed profiles, as at the door. No e-mail is sent."
    )
    fields = (
        imports.Field(
            "date", _("date"), synonyms=("jour", "day", "date de la réunion"), required=True
        ),
        imports.Field("name", _("name"), synonyms=NAME_SYNONYMS, required=True),
        imports.Field("email", _("e-mail address"), synonyms=EMAIL_SYNONYMS),
        imports.Field(
            "meeting", _("meeting"), synonyms=("réunion", "assemblée", "séance", "session")
        ),
        imports.Field("workshop", _("workshop"), synonyms=("atelier",)),
    )
    order = 20

    def plan_rows(self, rows, plan):
        lines = history.plan([(row.line, row.values) for row in rows], today=_today(plan))
        return _rows(lines, rows)

    def effects(self, plan):
        lines = [row.data for row in plan.rows if row.data is not None]
        # A line the engine skipped (repeated, or deleted since an earlier import) brings nothing.
        for row in plan.rows:
            if row.data is not None and row.outcome != history.CREATE:
                row.data.outcome = row.outcome
        return history.summarise(lines, _today(plan)).effects()

    def apply_rows(self, plan, rows, recorder, by):
        by_line = {id(row.data): row for row in rows}
        lines = [row.data for row in rows]
        applied = history.apply(lines, today=_today(plan), by=by, now=plan.now)
        # Meetings, workshops and people first: undo deletes in the reverse order.
        first = rows[0]
        for new, meeting in applied.meetings:
            recorder.created(
                _about(first, f"meeting:{new.day}|{history.title_key(new.title)}"), meeting
            )
        for new, workshop in applied.workshops:
            recorder.created(
                _about(first, f"workshop:{new.meeting.pk}|{history.title_key(new.title)}"), workshop
            )
        for newcomer, person in applied.people:
            recorder.created(_about(first, f"person:{newcomer.first_line}:{person.pk}"), person)
        for line, attendance in applied.attendance:
            recorder.created(by_line[id(line)], attendance)

    def undo_refusals(self, batch):
        return history.undo_refusals(batch)

    def after_undo(self, batch):
        history.after_undo(batch)


def _about(row: RowPlan, key: str) -> RowPlan:
    """A record of something several lines share (a meeting, a person), under its own key: its
    deletion later makes no line's attendance a tombstone."""
    return RowPlan(line=row.line, outcome=row.outcome, key=key)


class PeopleImporter(imports.Importer):
    kind = "people"
    label = _("People")
    description = _(
        "One line per person: name, and optionally e-mail, facilitator (yes/no) and "
        "member_since (a date: declared only where their attendance makes them eligible; "
        "import the attendance first). No e-mail is sent: inviting them is a separate action."
    )
    fields = (
        imports.Field("name", _("name"), synonyms=NAME_SYNONYMS, required=True),
        imports.Field("email", _("e-mail address"), synonyms=EMAIL_SYNONYMS),
        imports.Field(
            "facilitator",
            _("facilitator"),
            synonyms=("facilitateur", "facilitatrice", "facilitateur·rice", "animateur"),
            help=_("yes or no"),
        ),
        imports.Field(
            "member_since",
            _("member since"),
            synonyms=("membre depuis", "member since", "adhésion", "membre"),
            help=_("a date"),
        ),
    )
    order = 30

    def plan_rows(self, rows, plan):
        lines = roster.plan([(row.line, row.values) for row in rows], today=_today(plan))
        return _rows(lines, rows)

    def effects(self, plan):
        lines = [row.data for row in plan.rows if row.outcome in (history.CREATE, roster.UPDATE)]
        created = sum(1 for line in lines if line.outcome == history.CREATE)
        facilitators = sum(1 for line in lines if line.make_facilitator)
        members = sum(1 for line in lines if line.declare_since)
        return [
            ngettext(
                "%(count)s person registered (an unclaimed profile)",
                "%(count)s people registered (unclaimed profiles)",
                created,
            )
            % {"count": created},
            ngettext(
                "%(count)s person added to the facilitators",
                "%(count)s people added to the facilitators",
                facilitators,
            )
            % {"count": facilitators},
            ngettext(
                "%(count)s person declared a member",
                "%(count)s people declared members",
                members,
            )
            % {"count": members},
        ]

    def apply_rows(self, plan, rows, recorder, by):
        by_line = {id(row.data): row for row in rows}
        applied = roster.apply([row.data for row in rows], now=plan.now)
        for line, person in applied.people:
            recorder.created(by_line[id(line)], person)
        for line, person, before in applied.emails:
            recorder.updated(by_line[id(line)], person, before)
            for address in person.emailaddress_set.filter(email=line.email_to_add):
                recorder.created(_about(by_line[id(line)], f"address:{address.pk}"), address)
        for line, person in applied.memberships:
            recorder.updated(by_line[id(line)], person, {"membership_declared_at": None})
        for line, membership_row in applied.facilitators:
            recorder.created(
                _about(by_line[id(line)], f"facilitator:{line.person.pk}"), membership_row
            )

    def undo_refusals(self, batch):
        """A person this import registered who claimed their account, or was recorded at a
        meeting since, is someone now: undoing would delete them."""
        people_ids = history.records_of(batch, User)
        refusals = history.claimed_since(people_ids)
        attended = User.objects.filter(pk__in=people_ids, attendances__isnull=False).distinct()
        refusals += [
            _("%(name)s, registered by this import, was recorded at a meeting since.")
            % {"name": person.display_name}
            for person in attended.order_by("pk")[:5]
        ]
        return refusals
