"""The recompute stays set-based over 100,000 attendance records on PostgreSQL.

The 2-second budget itself is measured by `make bench` on a quiet machine; here a shared CI
machine may be busy, so the test asserts what makes the budget hold (a fixed handful of SQL
statements, whatever the number of people) and only a loose bound on time that a per-person
loop could never meet."""

import datetime
import random
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assembly.models import User
from tests.membership.factories import paris
from workshops import membership
from workshops.models import Attendance, Meeting

PEOPLE = 5_000
MEETINGS = 240
ATTENDANCE = 100_000


@pytest.fixture
def large_assembly(db):
    if connection.vendor != "postgresql":
        pytest.skip("the 2-second budget is measured on PostgreSQL (DATABASE_URL=postgres://…)")
    rng = random.Random(42)
    User.objects.bulk_create(
        [
            User(
                email=f"p{n}@example.org",
                display_name=f"P {n}",
                calendar_token=f"t{n}",
                membership_declared_at=paris(2026, 1, 1) if n % 3 == 0 else None,
            )
            for n in range(PEOPLE)
        ],
        batch_size=2_000,
    )
    first = paris(2006, 11, 30)
    Meeting.objects.bulk_create(
        [
            Meeting(
                title=f"M {n}",
                starts_at=first + datetime.timedelta(days=30 * n),
                ends_at=first + datetime.timedelta(days=30 * n, hours=3),
            )
            for n in range(MEETINGS)
        ]
    )
    people = list(User.objects.values_list("pk", flat=True))
    meetings = list(Meeting.objects.values_list("pk", flat=True))
    pairs = set()
    while len(pairs) < ATTENDANCE:
        pairs.add((rng.choice(people), rng.choice(meetings)))
    Attendance.objects.bulk_create(
        [Attendance(person_id=p, meeting_id=m) for p, m in pairs], batch_size=10_000
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return people


def test_recompute_100k_attendance_is_set_based_on_postgresql(large_assembly):
    today = datetime.date(2026, 11, 23)
    membership.current_rule()  # the configuration row exists before timing

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = membership.recompute(today=today)
        elapsed = time.perf_counter() - started

    print(f"recompute of {ATTENDANCE} attendance records: {elapsed:.3f} s, {len(queries)} queries")
    assert len(queries) <= 12, [q["sql"][:120] for q in queries]
    assert elapsed < 10.0, f"recompute took {elapsed:.2f} s (budget 2 s, see make bench)"
    assert Attendance.objects.count() == ATTENDANCE
    assert User.objects.filter(eligible_until__isnull=False).count() > PEOPLE * 0.9
    assert report.newly_eligible + report.lapsed > 0
