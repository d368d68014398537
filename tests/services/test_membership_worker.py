"""A real worker recomputes membership after attendance is recorded and e-mails the person once."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from assembly.models import Delivery
from tests.factories import UserFactory
from tests.membership.factories import attend
from tests.services.conftest import wait_for
from workshops import membership
from workshops.tasks import recompute_memberships


def days_ago(days: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(18), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db(transaction=True)
def test_worker_recomputes_after_attendance_and_emails_once(celery_worker, smtp_sink):
    person = UserFactory(language="en", email="newly-eligible@example.org")
    attend(person, days_ago(40))

    with transaction.atomic():
        attend(person, days_ago(0))
        membership.on_attendance_recorded([person.pk])

    wait_for(lambda: Delivery.objects.filter(person=person, state=Delivery.State.SENT).exists())
    # Run it twice more. The second run also qualifies `marker`: once that e-mail is out, the
    # solo worker has finished both runs (and the test database may be flushed safely).
    marker = UserFactory(language="en", email="marker@example.org")
    attend(marker, days_ago(50), days_ago(20))
    recompute_memberships.delay(person_ids=[person.pk])
    recompute_memberships.delay()
    wait_for(lambda: Delivery.objects.filter(person=marker, state=Delivery.State.SENT).exists())

    person.refresh_from_db()
    expected = timezone.localdate() - datetime.timedelta(days=40) + datetime.timedelta(days=365)
    assert person.eligible_until == expected
    mine = [m for m in smtp_sink.messages if m["To"] == "newly-eligible@example.org"]
    assert [m["Subject"] for m in mine] == ["You can now declare yourself a member"]
    assert Delivery.objects.filter(person=person).count() == 1
