"""The assembly's people brought in from a spreadsheet: `name`, optional `email`, `facilitator`
(yes/no) and `member_since` (a date).

A person is found as the attendance import finds them (by e-mail, then by folded name:
assembly.matching), or registered as an unclaimed profile. `facilitator` adds them to the
Facilitators group (an import never removes anyone from it). `member_since` declares membership
only where the attendance already recorded makes the person eligible today — import the
attendance first; otherwise the line says why not and the rest of it still applies.

Nothing here sends an e-mail: inviting the people to claim their accounts is a separate action
(assembly.people.invite_to_claim).
"""

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assembly.folding import fold
from assembly.matching import Directory, Newcomer
from assembly.models import FACILITATORS_GROUP, User
from assembly.people import comparable_name, register_imported

from . import membership
from .history import CREATE, ERROR, UNCHANGED, BadDate, parse_day, person_cells

FIELDS = ("name", "email", "facilitator", "member_since")
UPDATE = "update"

YES = {"yes", "y", "oui", "o", "x", "1", "true", "vrai"}
NO = {"", "no", "n", "non", "0", "false", "faux", "-"}


def parse_yes_no(text: str) -> bool:
    """A spreadsheet's yes or no, in French or English (ValueError otherwise)."""
    value = fold(text or "").strip()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(text)


@dataclasses.dataclass
class Line:
    number: int
    outcome: str
    reason: str = ""
    person: User | Newcomer | None = None
    email_to_add: str | None = None
    make_facilitator: bool = False
    declare_since: datetime.date | None = None

    @property
    def key(self) -> str:
        """The person: their e-mail, else their folded name."""
        if self.person is None:
            return ""
        if self.person.email:
            return f"email:{self.person.email.lower()}"
        return f"name:{comparable_name(self.person.display_name)}"

    @property
    def label(self) -> str:
        return self.person.display_name if self.person is not None else ""


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def plan(
    lines: Iterable[tuple[int, Mapping[str, str]]], *, today: datetime.date | None = None
) -> list[Line]:
    """What importing these lines would do, line by line; a few queries, nothing written."""
    today = today or timezone.localdate()
    lines = [
        (number, {field: str(cells.get(field) or "") for field in FIELDS})
        for number, cells in lines
    ]
    directory = Directory()
    facilitators = set(
        User.objects.filter(groups__name=FACILITATORS_GROUP).values_list("pk", flat=True)
    )
    outcomes = [
        _plan_line(number, cells, today, directory, facilitators) for number, cells in lines
    ]
    _explain_refused_memberships(outcomes, today)
    return outcomes


def _plan_line(number, cells, today, directory: Directory, facilitators: set) -> Line:
    name, email, refused = person_cells(cells)
    if refused is not None:
        return Line(number, ERROR, refused)
    try:
        facilitator = parse_yes_no(cells["facilitator"])
    except ValueError:
        return Line(
            number,
            ERROR,
            _("“%(value)s” in the facilitator column is neither yes nor no.")
            % {"value": cells["facilitator"].strip()},
        )
    since = None
    if cells["member_since"].strip():
        try:
            since = parse_day(cells["member_since"])
        except BadDate:
            return Line(
                number,
                ERROR,
                _("“%(value)s” is not a date: write 2023-01-26 or 26/01/2023.")
                % {"value": cells["member_since"].strip()},
            )
        if since > today:
            return Line(
                number,
                ERROR,
                _("Member since %(day)s is after today.") % {"day": since.isoformat()},
            )
    match = directory.find(name, email)
    if match.ambiguous:
        return Line(number, ERROR, match.ambiguity(name))
    person = match.person
    if person is None:
        if not name:
            return Line(number, ERROR, _("The name is missing."))
        person = directory.introduce(name, email, number)
        # A newcomer has no attendance yet: never eligible, so never declared here.
        return Line(
            number,
            CREATE,
            _("New person: %(name)s.") % {"name": name},
            person,
            make_facilitator=facilitator,
            declare_since=since,
        )
    if isinstance(person, Newcomer):
        return Line(
            number,
            UNCHANGED,
            _("Same person as line %(line)s.") % {"line": person.first_line},
            person,
        )
    if not person.is_active:
        return Line(
            number, ERROR, _("%(name)s's account is deactivated.") % {"name": person.display_name}
        )
    line = Line(number, UNCHANGED, "", person)
    changes = []
    if email and not person.email:
        line.email_to_add = email
        changes.append(_("e-mail address added"))
    if facilitator and person.pk not in facilitators:
        line.make_facilitator = True
        facilitators.add(person.pk)
        changes.append(_("added to the facilitators"))
    if since and person.membership_declared_at is None:
        line.declare_since = since
    if changes:
        line.outcome = UPDATE
        line.reason = "; ".join(changes).capitalize() + "."
    return line


def _explain_refused_memberships(outcomes: list[Line], today: datetime.date) -> None:
    """Declare membership where the person is eligible today; elsewhere say why not (with the
    sessions they have in the window), leaving the rest of the line as it is."""
    rule = membership.current_rule()
    asked = [line for line in outcomes if line.declare_since and line.outcome != ERROR]
    known = membership.attended_days(
        [line.person.pk for line in asked if isinstance(line.person, User)], today=today
    )
    window_start = today - datetime.timedelta(days=rule.window_days)
    for line in asked:
        person = line.person
        if isinstance(person, User) and person.is_eligible(today):
            line.outcome = UPDATE if line.outcome != CREATE else CREATE
            said = _("declared a member since %(day)s") % {"day": line.declare_since.isoformat()}
            line.reason = f"{line.reason} {said.capitalize()}.".strip()
            continue
        days = known.get(person.pk, {}) if isinstance(person, User) else {}
        sessions = sum(1 for day in days.values() if day >= window_start)
        line.declare_since = None
        why = ngettext(
            "Not declared a member: %(count)s session in the last %(days)s days, "
            "%(needed)s needed (import the attendance first).",
            "Not declared a member: %(count)s sessions in the last %(days)s days, "
            "%(needed)s needed (import the attendance first).",
            sessions,
        ) % {"count": sessions, "days": rule.window_days, "needed": rule.min_sessions}
        line.reason = f"{line.reason} {why}".strip()


@dataclasses.dataclass
class Applied:
    people: list[tuple[Line, User]]  # created
    emails: list[tuple[Line, User, dict]]  # (line, person, before)
    facilitators: list[tuple[Line, object]]  # (line, the group membership row created)
    memberships: list[tuple[Line, User]]  # declared


def apply(lines: list[Line], *, now=None) -> Applied:
    """Write the lines to create or update (planned in the caller's transaction)."""
    now = now or timezone.now()
    lines = [line for line in lines if line.outcome in (CREATE, UPDATE)]
    newcomers = [line for line in lines if isinstance(line.person, Newcomer)]
    created = register_imported([line.person for line in newcomers], now=now)
    applied = Applied(list(zip(newcomers, created, strict=True)), [], [], [])
    people = {
        user.pk: user for user in User.objects.filter(pk__in=[line.person.pk for line in lines])
    }
    for line in lines:
        person = people[line.person.pk]
        if line.email_to_add:
            before = {"email": person.email, "search_name": person.search_name}
            person.email = line.email_to_add
            person.save(update_fields=["email"])
            person.emailaddress_set.create(email=line.email_to_add, primary=True, verified=False)
            applied.emails.append((line, person, before))
        if line.declare_since and person.membership_declared_at is None:
            person.membership_declared_at = _local_midnight(line.declare_since)
            person.save(update_fields=["membership_declared_at"])
            applied.memberships.append((line, person))
    if applied.memberships:
        # Declared from the assembly's own records: a lapse already near is known, not news.
        membership.mark_known(
            [person.pk for _line, person in applied.memberships], today=timezone.localdate(now)
        )
    to_facilitate = [line for line in lines if line.make_facilitator]
    if to_facilitate:
        group, _created = Group.objects.get_or_create(name=FACILITATORS_GROUP)
        through = User.groups.through
        rows = [through(user_id=line.person.pk, group_id=group.pk) for line in to_facilitate]
        through.objects.bulk_create(rows)
        applied.facilitators = list(zip(to_facilitate, rows, strict=True))
    return applied
