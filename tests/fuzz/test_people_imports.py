"""The attendance, people and subscribers imports fed odd files: random bytes, odd cells (Unicode
names, formulas, dates that do not exist, malformed addresses), duplicate rows.

Whatever the file, the plan either refuses it as a whole (FileRefused, with a sentence) or gives
every row an outcome, each error with its reason; applying a plan without errors succeeds, and
applying it again creates nothing. Nothing is half-written and no e-mail is sent.
"""

import csv
import io

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembly import imports
from assembly.models import DoNotMail, Subscriber, User
from workshops.models import Attendance, Meeting

from . import values as v

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
OUTCOMES = {"create", "update", "unchanged", "skip", "error"}

date = st.one_of(
    st.sampled_from(["2023-01-26", "26/01/2023", "31/02/2023", "2023-13-01", "0000-00-00"]),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    v.text,
)
email = st.one_of(st.emails().map(str), v.text, st.just(""))
COLUMNS = {
    "attendance": {
        "date": date,
        "nom": v.text,
        "courriel": email,
        "atelier": st.one_of(st.just(""), v.text),
    },
    "people": {
        "name": v.text,
        "email": email,
        "facilitator": st.one_of(st.sampled_from(["oui", "non", "", "x"]), v.text),
        "member_since": date,
    },
    "subscribers": {
        "email": email,
        "name": v.text,
        "status": st.one_of(st.sampled_from(["", "subscribed", "unsubscribed", "bounced"]), v.text),
    },
}


def csv_of(kind, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS[kind])
    for row in rows:
        writer.writerow([cell.replace("\x00", "") for cell in row])
    return out.getvalue().encode("utf-8", "surrogatepass")


def rows_of(kind):
    return st.lists(st.tuples(*COLUMNS[kind].values()), min_size=1, max_size=6).map(
        lambda rows: rows + rows[:1]  # a duplicate row
    )


def state():
    return (
        User.objects.count(),
        Meeting.objects.count(),
        Attendance.objects.count(),
        Subscriber.objects.count(),
        DoNotMail.objects.count(),
    )


def check(kind, content: bytes):
    with translation.override("en"), transaction.atomic():
        before = state()
        try:
            plan = imports.plan(kind, [imports.Upload("fuzz.csv", content)])
        except imports.FileRefused as refusal:
            assert str(refusal.message)
            assert state() == before
            transaction.set_rollback(True)
            return
        assert {row.outcome for row in plan.rows} <= OUTCOMES
        assert all(row.reason for row in plan.errors)
        assert state() == before
        if plan.errors:
            with pytest.raises(imports.ImportRefused):
                imports.apply(plan, None)
            assert state() == before
        else:
            imports.apply(plan, None)
            again = imports.plan(kind, [imports.Upload("fuzz.csv", content)])
            assert again.counts["created"] == 0
        assert mail.outbox == []
        transaction.set_rollback(True)


@pytest.mark.parametrize("kind", ["attendance", "people", "subscribers"])
@FUZZ_SETTINGS
@given(data=st.data())
def test_odd_rows_are_refused_by_line_or_imported_once(kind, data):
    check(kind, csv_of(kind, data.draw(rows_of(kind))))


@pytest.mark.parametrize("kind", ["attendance", "people", "subscribers"])
@FUZZ_SETTINGS
@given(content=st.binary(max_size=2000))
def test_random_bytes_never_crash(kind, content):
    check(kind, content)
