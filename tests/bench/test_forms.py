"""bench/forms.py on a small world: every form page is measured with its real query count, and
the 20 ms budget holds for the pages that are the form, not for the two that hold one beside
their own content."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from assembly.models import FACILITATORS_GROUP
from bench import forms as bench_forms
from chantiers import services as chantier_services
from tests.commons_registry.factories import CommonsFactory
from tests.factories import UserFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place
from tests.workshops.factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_like():
    """What form_pages() looks for in the seeded data, at a small size."""
    member = UserFactory(email="member@example.org")
    facilitator = UserFactory(email="facilitator@example.org")
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=10))
    WorkshopFactory().related_commons.add(CommonsFactory())
    chantier = chantier_services.start_chantier(by=member, title="Four à pain")
    chantier_services.add_card(chantier, by=member, title="Trouver des briques")
    place(gathering_for(organiser=member), "Plénière")


def test_every_form_page_is_measured_with_its_queries_and_within_budget(demo_like):
    said = []

    rows = bench_forms.measure_form_pages(said.append, runs=2)

    assert len(rows) == len(said) == 8
    assert all(row["queries"] > 0 for row in rows)  # counted as they go to the database
    assert all(row["bytes"] <= bench_forms.BUDGET_BYTES for row in rows)
    assert [row["time_budget"] for row in rows] == [True] * 6 + [False] * 2


def test_a_form_page_over_the_time_budget_is_flagged(demo_like, monkeypatch):
    monkeypatch.setattr(bench_forms, "BUDGET_MS", 0.0)

    rows = bench_forms.measure_form_pages(lambda line: None, runs=1)

    assert [row["within_budget"] for row in rows] == [False] * 6 + [True] * 2
