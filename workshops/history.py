"""Past attendance brought in from the sheets an assembly kept before Assemblée (paper sign-in
sheets typed up, a wiki's lists): one line per person present, `date`, `name`, optional `email`,
`meeting` and `workshop`.

`plan()` reads every line and says what applying it would do, writing nothing: the meetings
missing on those dates (created as held, marked imported), the people found (by e-mail first,
then by name with accents and case set aside: assembly.matching), the names several people share
(an error line listing them, to resolve by hand), the people introduced (unclaimed profiles,
exactly like walk-ins at the door), and who becomes eligible for membership. `apply()` writes the
plan's valid lines in bulk, in the caller's transaction, then recomputes membership once for the
people concerned. A line already recorded (meeting + person, and workshop when given) is
unchanged: the same sheet imported twice creates nothing.

Nothing here sends an e-mail: the recompute queues no membership notice (the imported eligibility
counts as told, and people introduced here hear nothing until they claim their account:
workshops/membership.py).
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable, Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.folding import fold
from assembly.matching import Directory, Match, Newcomer, clean_email, clean_name
from assembly.models import User
from assembly.people import register_imported

from . import membership
from .models import Attendance, Meeting, Rhythm, Workshop
from .rhythm import local_datetime, start_time

FIELDS = ("date", "name", "email", "meeting", "workshop")
REQUIRED = ("date", "name")
NAME_MAX = User._meta.get_field("display_name").max_length
TITLE_MAX = Meeting._meta.get_field("title").max_length
EARLIEST = datetime.date(1900, 1, 1)

CREATE, UNCHANGED, SKIP, ERROR = "create", "unchanged", "skip", "error"

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FRENCH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class BadDate(ValueError):
    pass


def parse_day(text: str) -> datetime.date:
    """`2023-01-26` or `26/01/2023` (as French spreadsheets write it); a time after an ISO date
    (`2023-01-26 00:00:00`, as some programs export) is ignored. BadDate otherwise, or when the
    day does not exist (31/02/2023)."""
    text = (text or "").strip()
    iso = _ISO.fullmatch(text.split(" ")[0].split("T")[0]) if text else None
    french = _FRENCH.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif french:
        day, month, year = (int(part) for part in french.groups())
    else:
        raise BadDate(text)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise BadDate(text) from None


def _key(title: str) -> str:
    return " ".join(fold(title).split())


@dataclasses.dataclass(eq=False)
class NewMeeting:
    day: datetime.date
    title: str
    first_line: int
    pk: int | None = None


@dataclasses.dataclass(eq=False)
class NewWorkshop:
    meeting: Meeting | NewMeeting
    title: str
    pk: int | None = None


@dataclasses.dataclass
class Line:
    """What one line of the sheet does, for the preview and the apply."""

    number: int
    outcome: str
    reason: str = ""
    person: User | Newcomer | None = None
    meeting: Meeting | NewMeeting | None = None
    workshop: Workshop | NewWorkshop | None = None
    day: datetime.date | None = None


@dataclasses.dataclass
class Plan:
    lines: list[Line]
    new_meetings: list[NewMeeting]
    new_workshops: list[NewWorkshop]
    newcomers: list[Newcomer]
    becoming_eligible: list[str]  # names, sorted
    today: datetime.date

    @property
    def errors(self) -> list[Line]:
        return [line for line in self.lines if line.outcome == ERROR]

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    def side_effects(self) -> list[str]:
        """What applying would do besides the lines, in words (the preview's summary)."""
        return side_effects(
            meetings=len(self.new_meetings),
            workshops=len(self.new_workshops),
            people=len(self.newcomers),
            eligible=self.becoming_eligible,
        )


def side_effects(*, meetings: int, workshops: int, people: int, eligible: list[str]) -> list[str]:
    from django.utils.translation import ngettext  # noqa: PLC0415 - kept next to its only use

    effects = [
        ngettext("%(count)s meeting created", "%(count)s meetings created", meetings)
        % {"count": meetings},
        ngettext("%(count)s workshop created", "%(count)s workshops created", workshops)
        % {"count": workshops},
        ngettext(
            "%(count)s person registered (unclaimed profile)",
            "%(count)s people registered (unclaimed profiles)",
            people,
        )
        % {"count": people},
    ]
    count = len(eligible)
    becoming = ngettext(
        "%(count)s person becomes eligible for membership",
        "%(count)s people become eligible for membership",
        count,
    ) % {"count": count}
    if eligible:
        becoming += _(": %(names)s") % {"names": ", ".join(eligible)}
    effects.append(becoming)
    effects.append(_("0 e-mails sent"))
    return effects


class _Meetings:
    """The meetings of the sheet's dates, found or to be created, in one query."""

    def __init__(self, days: set[datetime.date], rhythm: Rhythm):
        self.rhythm = rhythm
        self.by_day: dict[datetime.date, list[Meeting]] = {}
        self.new: dict[tuple, NewMeeting] = {}
        if days:
            zone = timezone.get_current_timezone()
            first = datetime.datetime.combine(min(days), datetime.time.min, tzinfo=zone)
            last = datetime.datetime.combine(
                max(days) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
            for meeting in Meeting.objects.filter(starts_at__gte=first, starts_at__lt=last):
                day = timezone.localtime(meeting.starts_at).date()
                self.by_day.setdefault(day, []).append(meeting)
        self.workshops: dict[int, dict[str, Workshop]] = {}
        meeting_ids = [meeting.pk for meetings in self.by_day.values() for meeting in meetings]
        for workshop in Workshop.objects.filter(meeting_id__in=meeting_ids).only(
            "meeting_id", "title"
        ):
            self.workshops.setdefault(workshop.meeting_id, {}).setdefault(
                _key(workshop.title), workshop
            )
        self.new_workshops: dict[tuple, NewWorkshop] = {}

    def find(self, day: datetime.date, title: str, number: int) -> Meeting | NewMeeting | str:
        """The meeting of that day (and title), a new one, or the reason the line is refused."""
        held = [m for m in self.by_day.get(day, []) if not m.is_cancelled]
        if held:
            if len(held) == 1:
                return held[0]
            named = [m for m in held if title and _key(m.title) == _key(title)]
            if len(named) == 1:
                return named[0]
            return _(
                "Several meetings took place on %(day)s (%(titles)s): write the title of one "
                "of them in the meeting column."
            ) % {"day": day.isoformat(), "titles": ", ".join(f"“{m.title}”" for m in held)}
        if self.by_day.get(day):
            return _("The meeting of %(day)s was cancelled: nobody attended it.") % {
                "day": day.isoformat()
            }
        title = title or self.rhythm.meeting_title
        key = (day, _key(title))
        if key not in self.new:
            self.new[key] = NewMeeting(day, title, number)
        return self.new[key]

    def workshop(self, meeting: Meeting | NewMeeting, title: str) -> Workshop | NewWorkshop:
        if isinstance(meeting, Meeting):
            found = self.workshops.get(meeting.pk, {}).get(_key(title))
            if found is not None:
                return found
        key = (id(meeting), _key(title))
        if key not in self.new_workshops:
            self.new_workshops[key] = NewWorkshop(meeting, title)
        return self.new_workshops[key]


def plan(
    lines: Iterable[tuple[int, Mapping[str, str]]], *, today: datetime.date | None = None
) -> Plan:
    """What importing these lines (number as a spreadsheet shows it, cells by field) would do.
    Reads a constant number of queries whatever the sheet's length; writes nothing."""
    today = today or timezone.localdate()
    lines = [
        (number, {field: (cells.get(field) or "") for field in FIELDS}) for number, cells in lines
    ]
    days: dict[int, datetime.date] = {}
    for number, cells in lines:
        try:
            days[number] = parse_day(cells["date"])
        except BadDate:
            continue
    meetings = _Meetings({d for d in days.values() if EARLIEST <= d <= today}, Rhythm.get())
    directory = Directory()
    outcomes: list[Line] = []
    newcomers: list[Newcomer] = []
    seen: dict[tuple, int] = {}
    for number, cells in lines:
        line = _plan_line(number, cells, days.get(number), today, meetings, directory, newcomers)
        if line.outcome == CREATE:
            key = (id(line.person), id(line.meeting), id(line.workshop) if line.workshop else None)
            if key in seen:
                line.outcome = UNCHANGED
                line.reason = _("Same attendance as line %(line)s.") % {"line": seen[key]}
            else:
                seen[key] = number
        outcomes.append(line)
    _mark_recorded(outcomes)
    used = {
        id(thing)
        for line in outcomes
        if line.outcome == CREATE
        for thing in (line.meeting, line.workshop, line.person)
    }
    return Plan(
        lines=outcomes,
        new_meetings=[meeting for meeting in meetings.new.values() if id(meeting) in used],
        new_workshops=[w for w in meetings.new_workshops.values() if id(w) in used],
        newcomers=[newcomer for newcomer in newcomers if id(newcomer) in used],
        becoming_eligible=_becoming_eligible(outcomes, today),
        today=today,
    )


def _plan_line(number, cells, day, today, meetings, directory, newcomers) -> Line:
    if not cells["date"].strip():
        return Line(number, ERROR, _("The date is missing."))
    if day is None:
        return Line(
            number,
            ERROR,
            _("“%(value)s” is not a date: write 2023-01-26 or 26/01/2023.")
            % {"value": cells["date"].strip()},
        )
    if day > today:
        return Line(
            number,
            ERROR,
            _("%(day)s is after today: only past attendance can be imported.")
            % {"day": day.isoformat()},
        )
    if day < EARLIEST:
        return Line(number, ERROR, _("%(day)s is too far back.") % {"day": day.isoformat()})
    name = clean_name(cells["name"])
    try:
        email = clean_email(cells["email"])
    except ValueError:
        return Line(
            number,
            ERROR,
            _("“%(value)s” is not a valid e-mail address.") % {"value": cells["email"].strip()},
        )
    if len(name) > NAME_MAX:
        return Line(
            number, ERROR, _("The name is longer than %(max)s characters.") % {"max": NAME_MAX}
        )
    title, workshop_title = clean_name(cells["meeting"]), clean_name(cells["workshop"])
    if len(title) > TITLE_MAX or len(workshop_title) > TITLE_MAX:
        return Line(
            number, ERROR, _("A title is longer than %(max)s characters.") % {"max": TITLE_MAX}
        )
    match: Match = directory.find(name, email)
    if match.ambiguous:
        return Line(number, ERROR, match.ambiguity(name))
    if match.person is None and not name:
        return Line(number, ERROR, _("The name is missing."))
    meeting = meetings.find(day, title, number)
    if isinstance(meeting, str):
        return Line(number, ERROR, meeting)
    person = match.person
    reason = ""
    if person is None:
        person = directory.introduce(name, email, number)
        newcomers.append(person)
        reason = _("New person: %(name)s.") % {"name": name}
    elif isinstance(person, User) and not person.is_active:
        return Line(
            number, ERROR, _("%(name)s's account is deactivated.") % {"name": person.display_name}
        )
    elif match.how == "name" and isinstance(person, User):
        reason = _("Found by name: %(name)s.") % {"name": person.display_name}
    workshop = meetings.workshop(meeting, workshop_title) if workshop_title else None
    return Line(number, CREATE, reason, person, meeting, workshop, day)


def _mark_recorded(outcomes: list[Line]) -> None:
    """Lines whose attendance is already recorded are unchanged (one query)."""
    candidates = [
        line
        for line in outcomes
        if line.outcome == CREATE
        and isinstance(line.person, User)
        and isinstance(line.meeting, Meeting)
        and not isinstance(line.workshop, NewWorkshop)
    ]
    if not candidates:
        return
    recorded = set(
        Attendance.objects.filter(
            person_id__in={line.person.pk for line in candidates},
            meeting_id__in={line.meeting.pk for line in candidates},
        ).values_list("person_id", "meeting_id", "workshop_id")
    )
    for line in candidates:
        workshop_id = line.workshop.pk if line.workshop else None
        if (line.person.pk, line.meeting.pk, workshop_id) in recorded:
            line.outcome = UNCHANGED
            line.reason = _("Already recorded.")


def _becoming_eligible(outcomes: list[Line], today: datetime.date) -> list[str]:
    """The people whom the lines to create make eligible today, and who were not before."""
    rule = membership.current_rule()
    people: dict[int, User | Newcomer] = {}
    # Per person, their new meetings' dates: an existing meeting keyed by its pk (as in
    # `attended_days`), a new one by the object, so that a meeting counts once.
    new_days: dict[int, dict] = {}
    for line in outcomes:
        if line.outcome == CREATE:
            people[id(line.person)] = line.person
            meeting = line.meeting.pk if isinstance(line.meeting, Meeting) else line.meeting
            new_days.setdefault(id(line.person), {})[meeting] = line.day
    known = membership.attended_days(
        [person.pk for person in people.values() if isinstance(person, User)], today=today
    )
    names = []
    for key, person in people.items():
        before = known.get(person.pk, {}) if isinstance(person, User) else {}
        until_before = membership.eligible_until_from(before.values(), rule)
        until_after = membership.eligible_until_from({**before, **new_days[key]}.values(), rule)
        was = until_before is not None and until_before >= today
        if not was and until_after is not None and until_after >= today:
            names.append(person.display_name)
    return sorted(names, key=fold)


@dataclasses.dataclass
class Applied:
    """What apply() wrote: the ids, for the import's batch (undo) and its counts."""

    meeting_ids: list[int]
    workshop_ids: list[int]
    person_ids: list[int]
    attendance_ids: list[int]
    recompute: membership.RecomputeReport


def apply(plan: Plan, *, by: User | None = None, now=None) -> Applied:
    """Write the plan's lines to create (the caller holds the transaction, and plans in it):
    meetings, workshops, people, then attendance in bulk, then membership recomputed once for
    everyone concerned, without any e-mail."""
    now = now or timezone.now()
    lines = [line for line in plan.lines if line.outcome == CREATE]
    rhythm = Rhythm.get()
    meetings = [
        Meeting(
            kind=Meeting.Kind.ASSEMBLY,
            title=new.title,
            starts_at=(starts := local_datetime(new.day, start_time(rhythm, new.day))),
            ends_at=starts + datetime.timedelta(minutes=rhythm.duration_minutes),
            status=Meeting.Status.HELD,
            imported_at=now,
        )
        for new in plan.new_meetings
    ]
    Meeting.objects.bulk_create(meetings)
    for new, meeting in zip(plan.new_meetings, meetings, strict=True):
        new.pk = meeting.pk
    workshops = [Workshop(meeting_id=new.meeting.pk, title=new.title) for new in plan.new_workshops]
    Workshop.objects.bulk_create(workshops)
    for new, workshop in zip(plan.new_workshops, workshops, strict=True):
        new.pk = workshop.pk
    people = register_imported(plan.newcomers, now=now)
    attendance = [
        Attendance(
            person_id=line.person.pk,
            meeting_id=line.meeting.pk,
            workshop_id=line.workshop.pk if line.workshop else None,
            recorded_by=by,
            recorded_at=now,
        )
        for line in lines
    ]
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    person_ids = sorted({line.person.pk for line in lines})
    report = membership.RecomputeReport()
    if person_ids:
        report = membership.recompute(person_ids=person_ids, today=plan.today, notify=False)
    return Applied(
        meeting_ids=[meeting.pk for meeting in meetings],
        workshop_ids=[workshop.pk for workshop in workshops],
        person_ids=[person.pk for person in people],
        attendance_ids=[row.pk for row in attendance],
        recompute=report,
    )
