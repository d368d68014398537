"""Two charter-change decisions closing at the same instant, in two database connections."""

import datetime

import pytest
import time_machine

from charter.models import Amendment, CharterVersion
from decisions import services as decision_services
from tests.charter.factories import START, TEXT, add_version, amendment
from tests.concurrency import needs_postgresql, run_together
from tests.decisions.factories import MemberFactory

MEETINGS = TEXT.replace("chaque mois", "le dernier jeudi de chaque mois")
MEMBERSHIP = TEXT.replace("Deux participations", "Trois participations")


@pytest.mark.django_db(transaction=True)
def test_amendments_adopted_at_the_same_instant_get_consecutive_versions():
    needs_postgresql()
    with time_machine.travel(START, tick=False):
        member = MemberFactory()
        base = add_version(text=TEXT)
        first = amendment(base, text=MEETINGS)
        second = amendment(base, text=MEMBERSHIP)
    vote_opens = START + datetime.timedelta(days=7)
    vote_closes = START + datetime.timedelta(days=14)
    with time_machine.travel(vote_opens, tick=False):
        for proposed in (first, second):
            decision_services.open_vote(proposed.decision, now=vote_opens)
            decision_services.cast_vote(proposed.decision, voter=member, choice="consent")
    errors = run_together(
        *(
            lambda decision=p.decision: decision_services.close_vote(decision, now=vote_closes)
            for p in (first, second)
        )
    )

    assert errors == [None, None]
    assert list(CharterVersion.objects.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    assert sorted(Amendment.objects.values_list("status", flat=True)) == ["applied", "merged"]
    assert CharterVersion.objects.get(number=3).text == MEETINGS.replace(
        "Deux participations", "Trois participations"
    )
