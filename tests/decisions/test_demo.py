import io

import pytest
from django.core.management import call_command

from decisions.models import Decision, RollEntry, Vote


@pytest.mark.django_db
def test_seed_demo_twice_creates_the_five_decisions_once():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    # The charter's demo adds its own charter-change decisions; these are the decisions app's.
    own = Decision.objects.exclude(kind=Decision.Kind.CHARTER_CHANGE)
    phases = sorted(own.values_list("phase", "outcome"))
    assert phases == [
        ("closed", "adopted"),
        ("closed", "not_adopted"),
        ("discussion", ""),
        ("discussion", ""),
        ("voting", ""),
    ]
    recent = own.get(title="Ouvrir nos assemblées aux associations du quartier")
    assert recent.phase == "discussion"
    in_vote = own.get(phase="voting")
    roll = set(RollEntry.objects.filter(decision=in_vote).values_list("person__email", flat=True))
    assert "member@example.org" in roll
    assert "newcomer@example.org" not in roll
    refused = own.get(outcome="not_adopted")
    assert Vote.objects.get(decision=refused).choice == "object"


@pytest.mark.django_db
def test_seed_demo_large_creates_500_decisions_and_25000_votes_once():
    call_command("seed_demo", scale="large", force=True, stdout=io.StringIO())
    call_command("seed_demo", scale="large", force=True, stdout=io.StringIO())

    archived = Decision.objects.filter(title__startswith="Archived decision no.")
    assert archived.count() == 500
    assert Vote.objects.filter(decision__in=archived).count() == 25_000
