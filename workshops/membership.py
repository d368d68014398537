"""The membership rule: who attended enough distinct meetings lately, and until when that holds.

A person *attended* a meeting when a facilitator recorded them at the meeting itself or at any of
its workshops; several attendance rows for one meeting count once. Cancelled meetings never count,
nor meetings whose `counts_for_membership` is off (a gathering whose organisers said so).
A meeting's date is the local date (settings.TIME_ZONE) of its start.

The boundary, precisely: a meeting held on local date D counts on every day from D to
D + window_days, both included. With the default 365 days, a meeting held exactly 365 days ago
still counts today; one held 366 days ago no longer does. So the person is eligible on day T when
at least `min_sessions` distinct meetings fall in [T - window_days, T], and `User.eligible_until`
(the last day they stay eligible if they attend nothing more) is the date of their N-th most recent
meeting + window_days. `User.is_eligible(on)` / `is_member(on)` compare `eligible_until >= on`.

`recompute()` stores that date for everyone (or for given people) in a few set-based statements,
lapses declared members who are no longer eligible, and queues the membership e-mails as pending
Delivery rows in the same transaction; `send_notices()` (called by the Celery task after the
recompute, never from a request) delivers them once each through assembly.notifications.
"""

import dataclasses
import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, transaction
from django.db.models import DateField, Func, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from assembly.domain import DomainError
from assembly.models import AssemblyConfiguration, Delivery, User, unclaimed_imports
from assembly.notifications import Outgoing, deliver, render_email
from assembly.prepared import prepared
from assembly.tasking import enqueue_on_commit

from .models import Attendance, Meeting

logger = logging.getLogger(__name__)

# A member is warned this many days before their membership would lapse.
WARN_DAYS_BEFORE_LAPSE = 14
TOPIC_PREFIX = "membership:"


class Notice:
    """The kinds of membership e-mail; the topic carries the date the notice is about."""

    ELIGIBLE = "membership-eligible"
    EXPIRING = "membership-expiring"
    LAPSED = "membership-lapsed"
    ALL = (ELIGIBLE, EXPIRING, LAPSED)


class MembershipError(DomainError):
    """A membership action refused, with a message the person can read."""


@dataclasses.dataclass(frozen=True)
class Rule:
    min_sessions: int
    window_days: int


def current_rule(*, versions=None) -> Rule:
    """`versions`: the request's, when it read them already (AssemblyConfiguration.current)."""
    config = AssemblyConfiguration.current(versions=versions)
    return Rule(config.membership_min_sessions, config.membership_window_days)


def topic_for(day: datetime.date) -> str:
    return f"{TOPIC_PREFIX}{day.isoformat()}"


def _local_midnight(day: datetime.date, zone=None) -> datetime.datetime:
    """`zone`: the current time zone, when the caller has it already."""
    if zone is None:
        zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


class _PlusDays(Func):
    """date + a whole number of days, as a date, on the two databases we support."""

    output_field = DateField()

    def __init__(self, expression, days: int):
        self.days = int(days)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: date + integer is a date.
        return super().as_sql(
            compiler, connection, template=f"(%(expressions)s + {self.days})", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template=f"date(%(expressions)s, '+{self.days} days')",
            **extra_context,
        )


def _eligible_until_expression(rule: Rule, today: datetime.date):
    """Per person (OuterRef "pk"): date of their N-th most recent distinct meeting + window."""
    local_zone = timezone.get_current_timezone()
    nth_meeting_date = (
        Attendance.objects.filter(
            person_id=OuterRef("pk"),
            meeting__starts_at__lt=_local_midnight(today + datetime.timedelta(days=1)),
            meeting__counts_for_membership=True,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        # GROUP BY meeting: a plenary and a workshop of the same meeting count once.
        .values("meeting_id")
        .annotate(started=Max("meeting__starts_at"))
        .annotate(local_date=TruncDate("started", tzinfo=local_zone))
        .order_by("-started", "-meeting_id")
        .values("local_date")[rule.min_sessions - 1 : rule.min_sessions]
    )
    return _PlusDays(Subquery(nth_meeting_date, output_field=DateField()), rule.window_days)


def _store_eligible_until(people, eligible_until) -> int:
    """One UPDATE that writes eligible_until only where it changed.

    A plain queryset update would rewrite every person's row each night (dead tuples, WAL, row
    locks) although few dates move. UPDATE … FROM computes each date once and a null-safe
    comparison skips the rows already right; Django's ORM has no UPDATE … FROM, so the computing
    SELECT is built by the ORM and only the wrapping statement is written here.
    """
    computed = people.annotate(new_until=eligible_until).values("pk", "new_until")
    select_sql, params = computed.query.sql_with_params()
    connection = connections[people.db]
    quote = connection.ops.quote_name
    table = quote(User._meta.db_table)
    column = quote(User._meta.get_field("eligible_until").column)
    pk = quote(User._meta.pk.column)
    # Null-safe "differs": PostgreSQL spells it IS DISTINCT FROM, SQLite IS NOT.
    differs = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    # Only quoted identifiers and ORM-compiled SQL are interpolated; values travel as params.
    sql = (
        f"UPDATE {table} SET {column} = computed.new_until "  # noqa: S608
        f"FROM ({select_sql}) AS computed "
        f"WHERE {table}.{pk} = computed.{quote('pk')} "
        f"AND {table}.{column} {differs} computed.new_until"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@dataclasses.dataclass
class RecomputeReport:
    changed: int = 0  # people whose eligible_until was written
    newly_eligible: int = 0
    expiring: int = 0
    lapsed: int = 0


def recompute(
    *,
    person_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
    notify: bool = True,
) -> RecomputeReport:
    """Store everyone's (or these people's) eligible_until and lapse members no longer eligible.

    Set-based: a constant handful of statements whatever the number of people. With `notify`,
    the e-mails due (newly eligible, membership lapsing within WARN_DAYS_BEFORE_LAPSE days,
    lapsed) are queued as pending deliveries in the same transaction, so that a crash after the
    commit loses none of them; `send_notices()` sends them. Seeding passes notify=False.
    """
    today = today or timezone.localdate()
    rule = current_rule()
    people = User.objects.order_by()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    report = RecomputeReport()
    not_eligible = Q(eligible_until__isnull=True) | Q(eligible_until__lt=today)
    # People an import created hear nothing about their membership until they claim the account:
    # their history is older than the assembly's use of Assemblée, and they never signed up here.
    reachable = Q(is_active=True, email__isnull=False) & ~Q(email="") & ~unclaimed_imports()
    eligible_until = _eligible_until_expression(rule, today)
    due: list[Delivery] = []
    with transaction.atomic():
        # Crossing from not eligible to eligible is the event worth an e-mail. Who was eligible
        # before is one cheap read of ids; a second run the same day then finds nobody new.
        eligible_before = (
            set(people.filter(eligible_until__gte=today).values_list("pk", flat=True))
            if notify
            else set()
        )
        report.changed = _store_eligible_until(people, eligible_until)
        if notify:
            eligible_now = people.filter(
                reachable, eligible_until__gte=today, membership_declared_at__isnull=True
            ).values_list("pk", "eligible_until")
            due += [
                Delivery(person_id=pk, topic=topic_for(until), kind=Notice.ELIGIBLE)
                for pk, until in eligible_now
                if pk not in eligible_before
            ]
            report.newly_eligible = len(due)

        lapsing = people.filter(not_eligible, membership_declared_at__isnull=False)
        lapsed = list(lapsing.values_list("pk", "eligible_until", "is_active", "email"))
        if lapsed:
            lapsing.update(membership_declared_at=None)
        report.lapsed = len(lapsed)
        if notify:
            due += [
                Delivery(person_id=pk, topic=topic_for(until or today), kind=Notice.LAPSED)
                for pk, until, active, email in lapsed
                if active and email
            ]
            expiring = people.filter(
                reachable,
                membership_declared_at__isnull=False,
                eligible_until__gte=today,
                eligible_until__lte=today + datetime.timedelta(days=WARN_DAYS_BEFORE_LAPSE),
            ).values_list("pk", "eligible_until")
            warnings = [
                Delivery(person_id=pk, topic=topic_for(until), kind=Notice.EXPIRING)
                for pk, until in expiring
            ]
            report.expiring = len(warnings)
            due += warnings
            if due:
                # One row per (topic, person, kind): a notice already queued or sent stays once.
                Delivery.objects.bulk_create(due, ignore_conflicts=True)
    logger.info("membership recompute: %s", report)
    return report


def _notice_still_holds(delivery: Delivery, today: datetime.date) -> bool:
    person = delivery.person
    if person.is_unclaimed_import:
        return False
    day = datetime.date.fromisoformat(delivery.topic.removeprefix(TOPIC_PREFIX))
    if delivery.kind == Notice.ELIGIBLE:
        return person.is_eligible(today) and not person.is_member(today)
    if delivery.kind == Notice.EXPIRING:
        return person.is_member(today) and person.eligible_until == day
    return not person.is_member(today)


def _build(person: User, kind: str, day: datetime.date):
    name = {
        Notice.ELIGIBLE: "eligible",
        Notice.EXPIRING: "expiring",
        Notice.LAPSED: "lapsed",
    }[kind]
    site = settings.SITE_URL.rstrip("/")
    context = {
        "day": day,
        "eligible_until": person.eligible_until,
        "me_url": site + reverse("me"),
        "charter_url": site + reverse("charter:current"),
    }
    return lambda: render_email(person, f"workshops/email/membership_{name}", context)


def send_notices(*, now: datetime.datetime | None = None):
    """Deliver the queued membership e-mails once each; drop unsent ones that no longer hold."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = list(
        Delivery.objects.filter(
            state=Delivery.State.PENDING, kind__in=Notice.ALL, topic__startswith=TOPIC_PREFIX
        ).select_related("person")
    )
    stale = [row.pk for row in pending if not _notice_still_holds(row, today)]
    if stale:
        # Never sent, and would now mislead (the person attended again, declared, lapsed…).
        Delivery.objects.filter(pk__in=stale, state=Delivery.State.PENDING).delete()
    outgoing = []
    for row in pending:
        if row.pk in stale:
            continue
        day = datetime.date.fromisoformat(row.topic.removeprefix(TOPIC_PREFIX))
        outgoing.append(
            Outgoing(row.person, row.topic, row.kind, _build(row.person, row.kind, day))
        )
    return deliver(outgoing, now=now)


def on_attendance_recorded(person_ids: Iterable[int]) -> None:
    """Attendance changed for these people: recompute their membership once it has committed."""

    person_ids = sorted({pk for pk in person_ids if pk is not None})
    if person_ids:
        enqueue_on_commit("workshops.recompute_memberships", person_ids=person_ids)


def mark_known(person_ids: Iterable[int], *, today: datetime.date) -> int:
    """Record as told, never to be sent, the notices these people are due today: that they may
    declare themselves members, or that their membership lapses soon. An import calls it after
    its recompute, since the history it brought predates it: the nightly notices then find each
    (topic, person, kind) already there and send nothing about it. A notice already queued by
    something that happened here stays as it is. Returns how many were recorded."""
    people = User.objects.filter(pk__in=list(person_ids))
    eligible = people.filter(eligible_until__gte=today, membership_declared_at__isnull=True)
    expiring = people.filter(
        membership_declared_at__isnull=False,
        eligible_until__gte=today,
        eligible_until__lte=today + datetime.timedelta(days=WARN_DAYS_BEFORE_LAPSE),
    )
    rows = [
        Delivery(person_id=pk, topic=topic_for(until), kind=kind, state=Delivery.State.KNOWN)
        for kind, queryset in ((Notice.ELIGIBLE, eligible), (Notice.EXPIRING, expiring))
        for pk, until in queryset.values_list("pk", "eligible_until")
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def eligible_until_from(days: Iterable[datetime.date], rule: Rule) -> datetime.date | None:
    """The rule of `recompute()` on a list of meeting dates (one per distinct meeting attended,
    none after today): the date of the N-th most recent + the window. For an import's preview,
    which must say who becomes eligible without writing anything."""
    days = sorted(days, reverse=True)
    if len(days) < rule.min_sessions:
        return None
    return days[rule.min_sessions - 1] + datetime.timedelta(days=rule.window_days)


def attended_days(person_ids: Iterable[int], *, today: datetime.date) -> dict[int, dict]:
    """person id → {meeting id: local date} of the meetings (not cancelled, not after today)
    they attended, in one query: what `eligible_until_from` needs for people already known."""
    local_zone = timezone.get_current_timezone()
    rows = (
        Attendance.objects.filter(
            person_id__in=list(person_ids),
            meeting__starts_at__lt=_local_midnight(today + datetime.timedelta(days=1)),
            meeting__counts_for_membership=True,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values_list("person_id", "meeting_id", "meeting__starts_at")
        .distinct()
    )
    days: dict[int, dict] = {}
    for person_id, meeting_id, starts_at in rows:
        days.setdefault(person_id, {})[meeting_id] = starts_at.astimezone(local_zone).date()
    return days


def recompute_after_merge(kept: User) -> None:
    """Another person's attendance joined this one's: their eligibility changes at once."""
    recompute(person_ids=[kept.pk])


def declare(person: User, *, now: datetime.datetime | None = None) -> User:
    """The person declares themselves a member. Refused, with a reason, when not eligible."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # Attendance may have been recorded moments ago; the person's own state is cheap to redo.
        recompute(person_ids=[person.pk], today=today, notify=False)
        locked = User.objects.select_for_update().get(pk=person.pk)
        if not locked.is_eligible(today):
            rule = current_rule()
            raise MembershipError(
                ngettext(
                    "You cannot declare yourself a member yet: it takes %(count)s session "
                    "in the last %(days)s days.",
                    "You cannot declare yourself a member yet: it takes %(count)s sessions "
                    "in the last %(days)s days.",
                    rule.min_sessions,
                )
                % {"count": rule.min_sessions, "days": rule.window_days}
            )
        if locked.membership_declared_at is None:
            locked.membership_declared_at = now
            locked.save(update_fields=["membership_declared_at"])
    person.refresh_from_db(fields=["membership_declared_at", "eligible_until"])
    return person


def attended_meetings(person: User, *, since: datetime.date, until: datetime.date):
    """The meetings (not cancelled) this person attended whose local date is in [since, until]."""
    return _attended_between(
        person, _local_midnight(since), _local_midnight(until + datetime.timedelta(days=1))
    )


def _attended_between(person, starts_from, starts_before):
    return (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(counts_for_membership=True, starts_at__gte=starts_from, starts_at__lt=starts_before)
        .attended_by(person)
        .order_by("-starts_at")
    )


# /me/ asks it at every first view: built and compiled once (assembly/prepared.py), with the
# columns /me/ shows only (each other column cost as much again to convert and set).
@prepared(datetimes=("starts_from", "starts_before"))
def _sessions(person, starts_from, starts_before):
    return _attended_between(person, starts_from, starts_before).only("title", "starts_at")


@dataclasses.dataclass
class Standing:
    """What /me/ shows a person about their membership."""

    rule: Rule
    sessions: list
    window_start: datetime.date
    eligible_until: datetime.date | None
    is_member: bool
    is_eligible: bool

    @property
    def sessions_needed(self) -> int:
        return max(0, self.rule.min_sessions - len(self.sessions))

    @property
    def can_declare(self) -> bool:
        # Stored state may lag a few seconds behind attendance just recorded; declare() redoes it.
        return not self.is_member and (self.is_eligible or self.sessions_needed == 0)


def standing(person: User, *, today: datetime.date | None = None, versions=None) -> Standing:
    """`versions`: the request's content versions, which the configuration row is kept under
    (without them, it reads them again from the shared cache)."""
    zone = timezone.get_current_timezone()  # looked up once: /me/ asks at every first view
    today = today or timezone.localdate(timezone=zone)
    rule = current_rule(versions=versions)
    window_start = today - datetime.timedelta(days=rule.window_days)
    sessions = _sessions(
        person=person.pk,
        starts_from=_local_midnight(window_start, zone),
        starts_before=_local_midnight(today + datetime.timedelta(days=1), zone),
    )
    return Standing(
        rule=rule,
        sessions=sessions,
        window_start=window_start,
        eligible_until=person.eligible_until,
        is_member=person.is_member(today),
        is_eligible=person.is_eligible(today),
    )
