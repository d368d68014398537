"""A real worker recomputes membership after attendance is recorded and e-mails the person once."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import UserFactory
from tests.membership.factories import attend
from tests.services.conftest import wait_for
from workshops import membership
from workshops.models import Delivery
from workshops.tasks import recompute_memberships


@pytest.fixture(scope="session")
def smtp_sink():
    """As tests.services.conftest.smtp_sink, on a free port chosen beforehand: aiosmtpd's
    Controller checks it started by connecting to the port it was given, so port=0 fails
    ("Connection refused"). Remove once the shared fixture picks a port the same way."""
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def broker(celery_worker):
    """The shared celery_worker fixture closes the app's broker pools with force_close_all(),
    which kombu now marks closed for good ("Acquire on closed pool"); start fresh ones."""
    from kombu import pools

    from assembly.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    return celery_worker


def days_ago(days: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(18), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db(transaction=True)
def test_worker_recomputes_after_attendance_and_emails_once(broker, smtp_sink):
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
