"""The decision log without filters, page by page (its queries prepared once per process): the
same pages as the paginator gives any queryset."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.decisions.factories import discussion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions():
    author = UserFactory()
    start = timezone.now() - datetime.timedelta(days=30)
    for number in range(25):
        with time_machine.travel(start + datetime.timedelta(hours=number), tick=False):
            discussion(author, title=f"Decision {number:02d}")


def _titles(client, page):
    html = client.get("/decisions/", {"page": page} if page else {}).content.decode()
    return [f"Decision {n:02d}" for n in range(25) if f">Decision {n:02d}<" in html]


def test_the_log_pages_through_every_decision_newest_first(client, decisions):
    first, second = _titles(client, None), _titles(client, 2)

    assert first == [f"Decision {n:02d}" for n in range(5, 25)]
    assert second == [f"Decision {n:02d}" for n in range(5)]
    assert _titles(client, 9) == second  # past the end: the last page
    assert _titles(client, "x") == first


def test_an_empty_log_says_so(client):
    html = client.get("/decisions/").content.decode()

    assert "No decision matches" in html or "Aucune décision" in html
