import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from charter.models import Amendment, CharterVersion
from decisions.models import Decision
from decisions.notices import decisions_with_due_notices

pytestmark = pytest.mark.django_db


def seed(scale="small"):
    call_command("seed_demo", scale=scale, force=True, stdout=io.StringIO())


def test_demo_charter_has_three_versions_and_an_open_amendment():
    seed()

    numbers = list(CharterVersion.objects.order_by("number").values_list("number", "decision"))
    assert [number for number, _decision in numbers] == [1, 2, 3]
    assert numbers[0][1] is None
    adopted = Decision.objects.get(pk=numbers[2][1])
    assert (adopted.kind, adopted.outcome) == ("charter", "adopted")
    assert Amendment.objects.filter(status="pending", decision__phase="discussion").count() == 1


def test_demo_charter_is_idempotent():
    seed()
    counts = (CharterVersion.objects.count(), Amendment.objects.count(), Decision.objects.count())

    seed()

    assert (
        CharterVersion.objects.count(),
        Amendment.objects.count(),
        Decision.objects.count(),
    ) == counts


def test_demo_charter_large_has_fifty_versions():
    seed("large")
    seed("large")

    assert CharterVersion.objects.count() == 50
    assert CharterVersion.objects.order_by("-number").first().number == 50


def test_demo_charter_decisions_send_no_email_about_their_past_adoption():
    seed()

    due = decisions_with_due_notices(timezone.now())

    assert list(due.filter(kind=Decision.Kind.CHARTER_CHANGE)) == []
