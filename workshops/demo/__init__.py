"""Demo data for meetings: the rhythm, venues in Lille, two years of monthly assemblies with
workshops and attendance, and the upcoming assemblies with proposals and sign-ups. The words and
places come from content.toml beside this file.

Idempotent: past meetings are keyed by their date (planned_for), everything else is created only
for meetings created in this run or looked up before being added. `--scale large` gives the
benchmark's volumes (240 meetings, 3,000 workshops, every one with notes, 100,000 attendance
records, ~5,000 people).
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from assembly.demo import content
from assembly.folding import fold
from assembly.models import Frequency, NotificationPreferences, User
from commons_registry.models import Commons

from .. import membership, services
from ..models import Attendance, Meeting, Rhythm, Venue, Workshop
from ..models.workshops import NOTES_EXPECTED_WITHIN
from ..rhythm import local_datetime, month_index, plan_upcoming_meetings, slot_date, start_time

BATCH = 5000
SCALES = {
    # past meetings, people in the pool, attendance records over all past meetings
    "small": {"months": 24, "people": 40, "attendance": 24 * 14},
    "large": {"months": 240, "people": 5000, "attendance": 100_000},
}
LARGE_WORKSHOPS = 3000

CONTENT = content(__name__)


def seed(scale: str, stdout) -> None:
    config = SCALES[scale]
    # Seeded (the Lille assembly's founding year): the same demo data on every run.
    rng = random.Random(2015)  # noqa: S311 - demo data, not secrets
    today = timezone.localdate()
    venues = _venues()
    rhythm = _rhythm(venues[0])
    facilitator = User.objects.get(email="facilitator@example.org")
    member = User.objects.get(email="member@example.org")
    newcomer = User.objects.get(email="newcomer@example.org")
    pool = _people(config["people"])
    commons = list(Commons.objects.published().values_list("pk", flat=True)[:50])

    meetings = _past_meetings(rhythm, today, config["months"], venues, facilitator)
    if meetings:
        workshops = _past_workshops(meetings, rhythm, scale, pool, commons, rng)
        records = _past_attendance(meetings, workshops, pool, config, facilitator, rng)
        count = sum(len(ids) for ids in workshops.values())
        stdout.write(
            f"workshops: {len(meetings)} past meetings, {count} workshops, "
            f"{records} attendance records"
        )
    _demo_accounts_attendance(member, newcomer, facilitator, today)
    _walk_in_twin(newcomer, facilitator, today)
    planned = plan_upcoming_meetings()
    _upcoming_proposals(pool, member, newcomer, commons)
    _notes_to_write(member)
    _revised_notes(facilitator, member)
    if planned:
        stdout.write(f"workshops: planned {len(planned)} upcoming meeting(s)")
    # Membership follows from the attendance above; member@ declares, newcomer@ needs one more.
    membership.recompute(notify=False)
    membership.declare(User.objects.get(pk=member.pk))


def _venues() -> list[Venue]:
    venues = []
    for data in CONTENT["venues"]:
        venue = Venue.objects.filter(name=data["name"]).first()
        if venue is None:
            venue = Venue.objects.create(**data)
        venues.append(venue)
    return venues


def _rhythm(venue: Venue) -> Rhythm:
    rhythm = Rhythm.get()
    if rhythm.default_venue_id is None:
        rhythm.default_venue = venue
        rhythm.save()
    return rhythm


def _people(count: int) -> list[int]:
    """Ids of the demo participants person1…personN@demo.example.org, created if missing."""
    emails = [f"person{n}@demo.example.org" for n in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    missing = []
    for n, email in enumerate(emails, start=1):
        if email not in existing:
            first_names, last_names = CONTENT["first_names"], CONTENT["last_names"]
            first = first_names[n % len(first_names)]
            last = last_names[(n // len(first_names)) % len(last_names)]
            missing.append(
                User(
                    email=email,
                    display_name=f"{first} {last} {n}",
                    search_name=fold(f"{first} {last} {n} {email}"),
                    password=unusable,
                )
            )
    User.objects.bulk_create(missing, batch_size=BATCH)
    # Two people in three turned meeting reminders off.
    NotificationPreferences.objects.bulk_create(
        [
            NotificationPreferences(person=person, assemblies=Frequency.NEVER)
            for person in User.objects.filter(email__in=[u.email for u in missing])
            if int(person.email.removeprefix("person").partition("@")[0]) % 3 != 0
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return list(User.objects.filter(email__in=emails).order_by("pk").values_list("pk", flat=True))


def _month_back(today: datetime.date, offset: int) -> tuple[int, int]:
    index = month_index(today) - offset
    return index // 12, index % 12 + 1


def _past_meetings(rhythm, today, months, venues, facilitator) -> list[Meeting]:
    slots = []
    for offset in range(1, months + 1):
        year, month = _month_back(today, offset)
        slots.append(slot_date(year, month, rhythm.weekday, rhythm.week_of_month))
    taken = set(Meeting.objects.filter(planned_for__in=slots).values_list("planned_for", flat=True))
    new = []
    for offset, day in enumerate(slots, start=1):
        if day in taken:
            continue
        starts_at = local_datetime(day, start_time(rhythm, day))
        cancelled = offset % 11 == 8  # now and then a meeting is cancelled, and says why
        new.append(
            Meeting(
                kind=Meeting.Kind.ASSEMBLY,
                title=rhythm.meeting_title,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=rhythm.duration_minutes),
                venue=venues[offset % len(venues)],
                planned_for=day,
                # Planned: the daily task's own rule (mark_meetings_held, below) makes them held.
                status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.PLANNED,
                cancellation_reason=CONTENT["cancellation_reason"] if cancelled else "",
                plenary_notes="" if cancelled else f"{CONTENT['plenary']}\n\n{CONTENT['notes']}",
            )
        )
    Meeting.objects.bulk_create(new, batch_size=BATCH)
    services.mark_meetings_held()
    created = list(
        Meeting.objects.filter(planned_for__in=[m.planned_for for m in new]).order_by("starts_at")
    )
    Meeting.hosts.through.objects.bulk_create(
        [Meeting.hosts.through(meeting_id=m.pk, user_id=facilitator.pk) for m in created],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return created


def _past_workshops(meetings, rhythm, scale, pool, commons, rng) -> dict[int, list[int]]:
    """Workshops of newly created past meetings; returns meeting id → workshop ids."""
    total = len(meetings)
    titles = CONTENT["workshop_titles"]
    new = []
    for index, meeting in enumerate(meetings):
        if scale == "large":
            extra = LARGE_WORKSHOPS // total - 1 + (1 if index < LARGE_WORKSHOPS % total else 0)
        else:
            extra = 2 + index % 3
        new.append(
            Workshop(
                meeting=meeting,
                title=rhythm.initiation_title,
                description=rhythm.initiation_description,
                is_initiation=True,
                notes=CONTENT["notes"],
            )
        )
        for number in range(extra):
            new.append(
                Workshop(
                    meeting=meeting,
                    title=titles[(index + number) % len(titles)],
                    description=CONTENT["workshop_description"],
                    proposed_by_id=rng.choice(pool),
                    needs_work_tables=number % 2 == 0,
                    needs_projector=number % 3 == 0,
                    # The large scale gives search its volume (issue 12): every workshop noted.
                    notes=CONTENT["notes"] if scale == "large" or number % 2 == 0 else "",
                )
            )
    Workshop.objects.bulk_create(new, batch_size=BATCH)
    rows = list(
        Workshop.objects.filter(meeting__in=meetings).values_list(
            "pk", "meeting_id", "proposed_by_id"
        )
    )
    Workshop.facilitators.through.objects.bulk_create(
        [
            Workshop.facilitators.through(workshop_id=pk, user_id=proposer)
            for pk, _meeting, proposer in rows
            if proposer
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    if commons:
        Workshop.related_commons.through.objects.bulk_create(
            [
                Workshop.related_commons.through(
                    workshop_id=pk, commons_id=commons[pk % len(commons)]
                )
                for pk, _meeting, proposer in rows
                if proposer and pk % 3 == 0
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
    by_meeting: dict[int, list[int]] = {}
    for pk, meeting_id, _proposer in rows:
        by_meeting.setdefault(meeting_id, []).append(pk)
    return by_meeting


def _past_attendance(meetings, workshops, pool, config, facilitator, rng) -> int:
    """Participants from the pool only: the demo accounts' attendance is set precisely apart."""
    held = [m for m in meetings if m.status != Meeting.Status.CANCELLED]
    if not held:
        return 0
    expected_held = sum(1 for offset in range(1, config["months"] + 1) if offset % 11 != 8)
    base, extra = divmod(config["attendance"], expected_held)
    sizes = [base + (1 if index < extra else 0) for index in range(len(held))]
    # Some meetings draw more people than others; pairs keep the total exact.
    for index in range(0, len(sizes) - 1, 2):
        swing = rng.randint(0, base // 3)
        sizes[index] += swing
        sizes[index + 1] -= swing
    batch, count = [], 0
    for meeting, size in zip(held, sizes, strict=True):
        recorded_at = meeting.ends_at
        for person_id in rng.sample(pool, max(1, min(size, len(pool)))):
            # Most are ticked at the door, some at the workshop they joined.
            workshop_id = rng.choice(workshops[meeting.pk]) if rng.random() < 0.3 else None
            batch.append(
                Attendance(
                    person_id=person_id,
                    meeting=meeting,
                    workshop_id=workshop_id,
                    recorded_by=facilitator,
                    recorded_at=recorded_at,
                )
            )
        if len(batch) >= BATCH:
            Attendance.objects.bulk_create(batch, ignore_conflicts=True)
            count += len(batch)
            batch = []
    Attendance.objects.bulk_create(batch, ignore_conflicts=True)
    return count + len(batch)


def _demo_accounts_attendance(member, newcomer, facilitator, today) -> None:
    """member@ attended the last two assemblies (eligible); newcomer@ exactly one, ever."""
    year_ago = today - datetime.timedelta(days=365)
    recent = list(
        Meeting.objects.filter(starts_at__date__gte=year_ago, starts_at__lt=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")[:3]
    )
    if len(recent) < 2:
        return
    for meeting in recent[:2]:
        Attendance.objects.get_or_create(
            person=member, meeting=meeting, workshop=None, defaults={"recorded_by": facilitator}
        )
    if not Attendance.objects.filter(person=newcomer).exists():
        initiation = recent[0].workshops.filter(is_initiation=True).first()
        Attendance.objects.create(
            person=newcomer, meeting=recent[0], workshop=initiation, recorded_by=facilitator
        )


def _walk_in_twin(newcomer, facilitator, today) -> None:
    """newcomer@ also came once before signing up, ticked at the door without an e-mail under
    their name without accents: /people/duplicates/ lists the pair, and merging them makes
    newcomer@ eligible."""
    name = "Noe Nouveau"
    if User.objects.filter(display_name=name, email=None).exists():
        return
    year_ago = today - datetime.timedelta(days=365)
    meetings = list(
        Meeting.objects.filter(starts_at__date__gte=year_ago, starts_at__lt=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(attendances__person=newcomer)
        .order_by("-starts_at")[:1]
    )
    if meetings:
        walk_in = User.objects.create_user(email=None, display_name=name)
        Attendance.objects.create(person=walk_in, meeting=meetings[0], recorded_by=facilitator)


def _notes_to_write(member) -> None:
    """member@ hosted a workshop at the last assembly and has not written its notes yet, so
    "Waiting for you" on their pages asks for them."""
    meeting = (
        Meeting.objects.past()
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(ends_at__gte=timezone.now() - NOTES_EXPECTED_WITHIN)
        .first()
    )
    words = CONTENT["notes_to_write"]
    if meeting is None or meeting.workshops.filter(title=words["title"]).exists():
        return
    workshop = Workshop.objects.create(
        meeting=meeting,
        title=words["title"],
        description=words["description"],
        proposed_by=member,
    )
    workshop.facilitators.add(member)


def _revised_notes(facilitator, member) -> None:
    """The last assembly's plenary notes were revised: member@ added a line after facilitator@
    wrote them, so its notes' history has revisions to compare (its minutes gather the rest)."""
    meeting = Meeting.objects.past().exclude(status=Meeting.Status.CANCELLED).first()
    if meeting is None or meeting.history.exists():
        return
    addition = str(CONTENT["notes_revision"])
    services.write_plenary_notes(meeting, meeting.plenary_notes, by=facilitator)
    services.write_plenary_notes(meeting, f"{meeting.plenary_notes}\n\n{addition}", by=member)


def _upcoming_proposals(pool, member, newcomer, commons) -> None:
    meeting = services.next_meeting()
    if meeting is None:
        return
    proposers = [member, *User.objects.filter(pk__in=pool[:2])]
    titles = set(meeting.workshops.values_list("title", flat=True))
    for proposal, proposer in zip(CONTENT["upcoming_proposals"], proposers, strict=False):
        if proposal["title"] in titles:
            continue
        services.propose_workshop(
            meeting,
            proposer,
            title=proposal["title"],
            description=proposal["description"],
            capacity=proposal.get("capacity"),
            online_link=proposal.get("online_link", ""),
            needs_work_tables=True,
            related_commons=commons[:1],
        )
    signers = [newcomer, *User.objects.filter(pk__in=pool[2:12])]
    for index, workshop in enumerate(meeting.workshops.order_by("pk")):
        for person in signers[: 2 + (index * 3) % len(signers)]:
            if workshop.signup_of(person) is None:
                try:
                    services.sign_up(workshop, person)
                except services.WorkshopError:
                    break
