"""A real Celery worker process, on Redis, runs a task enqueued on commit; we see its effect."""

import pytest
from django.db import transaction

from assembly.people import register_at_door
from assembly.tasks import send_claim_invitation_task
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_sends_the_claim_invitation_enqueued_on_commit(celery_worker, smtp_sink):
    smtp_sink.messages.clear()
    with transaction.atomic():
        walk_in = register_at_door("Dominique", "dominique@example.org")
        send_claim_invitation_task.delay_on_commit(user_id=walk_in.pk)
        # Nothing is enqueued before the person exists for the worker to read.
        assert smtp_sink.messages == []

    message = wait_for(lambda: next(iter(smtp_sink.messages), None))

    assert message["To"] == "dominique@example.org"
    assert "/accounts/password/reset/key/" in message.get_payload(decode=True).decode()
    assert celery_worker.poll() is None  # the worker is still alive


def test_worker_does_nothing_for_an_account_already_claimed(celery_worker, smtp_sink):
    smtp_sink.messages.clear()
    claimed = register_at_door("Claude", "claude@example.org")
    claimed.set_password("already-chosen-123")
    claimed.save()
    marker = register_at_door("Marker", "marker@example.org")

    send_claim_invitation_task.delay(user_id=claimed.pk)
    send_claim_invitation_task.delay(user_id=marker.pk)

    # Tasks run in order on the solo worker: once the marker's mail is in, the first was handled.
    wait_for(lambda: any(m["To"] == "marker@example.org" for m in smtp_sink.messages))
    assert [m["To"] for m in smtp_sink.messages] == ["marker@example.org"]
