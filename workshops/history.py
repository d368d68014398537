"""Past attendance brought in from the sheets an assembly kept before Assemblée (paper sign-in
sheets typed up, a wiki's lists): one line per person present, `date`, `name`, optional `email`,
`meeting` and `workshop`.

`plan()` reads every line and says what applying it would do, writing nothing: the meetings
missing on those dates (created as held, marked imported), the people found (by e-mail first,
then by name with accents and case set aside: assembly.matching), the names several people share
(an error line listing them, to resolve by hand), the people introduced (unclaimed profiles,
exactly like walk-ins at the door); `summarise()` says what the lines to create bring, and who
becomes eligible for membership. `apply()` writes those lines in bulk, in the caller's
transaction, then recomputes membership once for the people concerned. A line already recorded (meeting + person, and workshop when given) is
unchanged: the same sheet imported twice creates nothing.

Nothing here sends an e-mail: the recompute queues no membership notice, the notices the history
made due are recorded as known (`membership.mark_known`), and people introduced here hear
nothing of their membership until they claim their account (workshops/membership.py).
"""

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assembly.folding import fold
from assembly.imports import parse_date
from assembly.matching import Directory, Match, Newcomer, clean_email, clean_name
from assembly.models import User
from assembly.people import comparable_name, register_imported

from . import membership
from .models import Attendance, Meeting, Rhythm, Workshop
from .rhythm import local_datetime, start_time

FIELDS = ("date", "name", "email", "meeting", "workshop")
REQUIRED = ("date", "name")
NAME_MAX = User._meta.get_field("display_name").max_length
TITLE_MAX = Meeting._meta.get_field("title").max_length
EARLIEST = datetime.date(1900, 1, 1)

CREATE, UNCHANGED, SKIP, ERROR = "create", "unchanged", "skip", "error"


def parse_day(text: str) -> datetime.date:
    """`2023-01-26` or `26/01/2023` (and the other ways the import engine reads a date);
    BadDate when it is no day (31/02/2023)."""
    try:
        return parse_date(text)
    except ValueError:
        raise BadDate(text) from None


class BadDate(ValueError):
    pass


def title_key(title: str) -> str:
    """A title as compared: folded, single-spaced ("Assemblée  de JANVIER" ~ "assemblee de janvier")."""
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

    @property
    def key(self) -> str:
        """The line's stable key, the same in every file that names this attendance: the
        meeting's day and title, the person (e-mail, else folded name), the workshop."""
        if self.outcome == ERROR:
            return ""
        person = (
            f"email:{self.person.email.lower()}"
            if self.person.email
            else f"name:{comparable_name(self.person.display_name)}"
        )
        workshop = title_key(self.workshop.title) if self.workshop else ""
        return "|".join((self.day.isoformat(), title_key(self.meeting.title), person, workshop))

    @property
    def label(self) -> str:
        if self.person is None:
            return ""
        where = self.meeting.title if self.meeting else ""
        if self.workshop:
            where += f" · {self.workshop.title}"
        return f"{self.person.display_name} · {self.day.isoformat()} · {where}"


@dataclasses.dataclass
class Summary:
    """What the lines to create bring besides attendance: the preview's side effects."""

    new_meetings: list[NewMeeting]
    new_workshops: list[NewWorkshop]
    newcomers: list[Newcomer]
    becoming_eligible: list[str]  # names, sorted

    def effects(self) -> list[str]:
        meetings, workshops = len(self.new_meetings), len(self.new_workshops)
        people, eligible = len(self.newcomers), len(self.becoming_eligible)
        becoming = ngettext(
            "%(count)s person becomes eligible for membership",
            "%(count)s people become eligible for membership",
            eligible,
        ) % {"count": eligible}
        if self.becoming_eligible:
            becoming += _(": %(names)s") % {"names": ", ".join(self.becoming_eligible)}
        return [
            ngettext("%(count)s meeting created", "%(count)s meetings created", meetings)
            % {"count": meetings},
            ngettext("%(count)s workshop created", "%(count)s workshops created", workshops)
            % {"count": workshops},
            ngettext(
                "%(count)s person registered (an unclaimed profile, as at the door)",
                "%(count)s people registered (unclaimed profiles, as at the door)",
                people,
            )
            % {"count": people},
            becoming,
        ]


def summarise(lines: list[Line], today: datetime.date) -> Summary:
    """The meetings, workshops and people the lines to create bring, and who becomes eligible."""
    creating = [line for line in lines if line.outcome == CREATE]
    meetings, workshops, newcomers = {}, {}, {}
    for line in creating:
        if isinstance(line.meeting, NewMeeting):
            meetings.setdefault(id(line.meeting), line.meeting)
        if isinstance(line.workshop, NewWorkshop):
            workshops.setdefault(id(line.workshop), line.workshop)
        if isinstance(line.person, Newcomer):
            newcomers.setdefault(id(line.person), line.person)
    return Summary(
        new_meetings=list(meetings.values()),
        new_workshops=list(workshops.values()),
        newcomers=list(newcomers.values()),
        becoming_eligible=_becoming_eligible(creating, today),
    )


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
                title_key(workshop.title), workshop
            )
        self.new_workshops: dict[tuple, NewWorkshop] = {}

    def find(self, day: datetime.date, title: str, number: int) -> Meeting | NewMeeting | str:
        """The meeting of that day (and title), a new one, or the reason the line is refused."""
        held = [m for m in self.by_day.get(day, []) if not m.is_cancelled]
        if held:
            if len(held) == 1:
                return held[0]
            named = [m for m in held if title and title_key(m.title) == title_key(title)]
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
        key = (day, title_key(title))
        if key not in self.new:
            self.new[key] = NewMeeting(day, title, number)
        return self.new[key]

    def workshop(self, meeting: Meeting | NewMeeting, title: str) -> Workshop | NewWorkshop:
        if isinstance(meeting, Meeting):
            found = self.workshops.get(meeting.pk, {}).get(title_key(title))
            if found is not None:
                return found
        key = (id(meeting), title_key(title))
        if key not in self.new_workshops:
            self.new_workshops[key] = NewWorkshop(meeting, title)
        return self.new_workshops[key]


def plan(
    lines: Iterable[tuple[int, Mapping[str, str]]], *, today: datetime.date | None = None
) -> list[Line]:
    """What importing these lines (number as a spreadsheet shows it, cells by field) would do,
    line by line. A constant number of queries whatever the sheet's length; writes nothing."""
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
    return outcomes


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
    name, email, refused = person_cells(cells)
    if refused is not None:
        return Line(number, ERROR, refused)
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
    """What apply() wrote, each with what asked for it: for the import's batch (undo)."""

    meetings: list[tuple[NewMeeting, Meeting]]
    workshops: list[tuple[NewWorkshop, Workshop]]
    people: list[tuple[Newcomer, User]]
    attendance: list[tuple[Line, Attendance]]
    recompute: membership.RecomputeReport


def apply(lines: list[Line], *, today: datetime.date, by: User | None = None, now=None) -> Applied:
    """Write the lines to create (planned in the caller's transaction): the meetings, workshops
    and people they bring, then their attendance in bulk, then membership recomputed once for
    everyone concerned, without any e-mail."""
    now = now or timezone.now()
    lines = [line for line in lines if line.outcome == CREATE]
    summary = summarise(lines, today)
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
        for new in summary.new_meetings
    ]
    Meeting.objects.bulk_create(meetings)
    for new, meeting in zip(summary.new_meetings, meetings, strict=True):
        new.pk = meeting.pk
    workshops = [
        Workshop(meeting_id=new.meeting.pk, title=new.title) for new in summary.new_workshops
    ]
    Workshop.objects.bulk_create(workshops)
    for new, workshop in zip(summary.new_workshops, workshops, strict=True):
        new.pk = workshop.pk
    people = register_imported(summary.newcomers, now=now)
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
        report = membership.recompute(person_ids=person_ids, today=today, notify=False)
        membership.mark_known(person_ids, today=today)
    return Applied(
        meetings=list(zip(summary.new_meetings, meetings, strict=True)),
        workshops=list(zip(summary.new_workshops, workshops, strict=True)),
        people=list(zip(summary.newcomers, people, strict=True)),
        attendance=list(zip(lines, attendance, strict=True)),
        recompute=report,
    )


# --- Undoing an attendance import (assembly.imports.undo) ----------------------------------------


def records_of(batch, model) -> list[int]:
    return list(
        batch.records.filter(
            content_type=ContentType.objects.get_for_model(model), action="created"
        ).values_list("object_id", flat=True)
    )


def claimed_since(people_ids) -> list[str]:
    """People an import registered who have claimed their account since: undoing the import
    would delete an account someone uses."""
    claimed = (
        User.objects.filter(pk__in=people_ids)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("pk")
    )
    return [
        _("%(name)s, registered by this import, has claimed their account since.")
        % {"name": person.display_name}
        for person in claimed[:5]
    ]


def undo_refusals(batch) -> list[str]:
    """What depends on the batch since: people it registered who claimed their account or were
    recorded elsewhere, meetings it created where attendance was recorded since. Notes the
    people concerned on `batch`, for `after_undo`'s recompute."""
    attendance_ids = records_of(batch, Attendance)
    people_ids = records_of(batch, User)
    meeting_ids = records_of(batch, Meeting)
    refusals = claimed_since(people_ids)
    later = (
        Attendance.objects.filter(Q(person_id__in=people_ids) | Q(meeting_id__in=meeting_ids))
        .exclude(pk__in=attendance_ids)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    for attendance in later[:5]:
        refusals.append(
            _(
                "Attendance was recorded since at %(meeting)s, with people or a meeting of this "
                "import."
            )
            % {"meeting": attendance.meeting}
        )
    batch.attendance_people = list(
        Attendance.objects.filter(pk__in=attendance_ids)
        .exclude(person_id__in=people_ids)
        .values_list("person_id", flat=True)
        .distinct()
    )
    return refusals


def after_undo(batch) -> None:
    """The attendance is gone: the membership of the people who remain is recomputed, without
    e-mail (the history they lose was never announced to them either)."""
    person_ids = [pk for pk in getattr(batch, "attendance_people", []) if pk]
    if person_ids:
        membership.recompute(person_ids=person_ids, notify=False)


def person_cells(cells: Mapping[str, str]) -> tuple[str, str, str | None]:
    """A line's name and e-mail address, cleaned, and why the line is refused when it is (the
    attendance and the people imports read them alike)."""
    name = clean_name(cells["name"])
    try:
        email = clean_email(cells["email"])
    except ValueError:
        return (
            name,
            "",
            _("“%(value)s” is not a valid e-mail address.") % {"value": cells["email"].strip()},
        )
    if len(name) > NAME_MAX:
        return name, email, _("The name is longer than %(max)s characters.") % {"max": NAME_MAX}
    return name, email, None
