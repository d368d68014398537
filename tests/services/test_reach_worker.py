"""Reaching people from a real worker: a newcomer's 7-day reminder, and an announcement to many
that survives the worker being killed halfway (each recipient once, or one "uncertain" row)."""

import datetime
import os
import signal
import subprocess
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from assembly import notifications
from assembly.models import Delivery
from config.celery import app as celery_app
from portal.tasks import send_announcements
from tests.conftest import celery_worker_command, use_broker
from tests.factories import UserFactory
from tests.services.conftest import REDIS_URL, ROOT, wait_for
from tests.workshops.factories import AttendanceFactory, MeetingFactory
from workshops.tasks import send_meeting_reminders


def messages_to(sink, email):
    return [m for m in sink.messages if m["To"] == email]


@pytest.mark.django_db(transaction=True)
def test_a_newcomer_with_one_session_gets_the_7_day_reminder(celery_worker, smtp_sink):
    starts = (timezone.now() + datetime.timedelta(days=6, hours=20)).replace(microsecond=0)
    meeting = MeetingFactory(
        title="Assemblée de la rentrée",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )
    newcomer = UserFactory(email="newcomer-7d@example.org", language="en")
    AttendanceFactory(person=newcomer)  # came once, signed up to nothing, not a member

    send_meeting_reminders.delay()
    [message] = wait_for(lambda: messages_to(smtp_sink, newcomer.email), timeout=60)

    assert "Assemblée de la rentrée" in message["Subject"] or "=?utf-8?" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get(person=newcomer).kind == "reminder-7d"
    assert Delivery.objects.get(person=newcomer).topic == f"meeting:{meeting.pk}"


def start_worker(queue: str, database_name: str, smtp_port: int, log_name: str):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "REDIS_URL": REDIS_URL,
        "TEST_DATABASE_NAME": database_name,
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    log = (ROOT / "var" / log_name).open("w")
    return subprocess.Popen(
        celery_worker_command(queue),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


RECIPIENTS = 300


@pytest.mark.django_db(transaction=True)
def test_announcement_survives_a_worker_killed_halfway(celery_worker, smtp_sink):
    # celery_worker makes sure Redis answers; this test runs its own worker, to kill it.
    queue = f"assemblee-kill-{uuid.uuid4().hex[:8]}"
    database_name = str(connection.settings_dict["NAME"])
    starts = (timezone.now() + datetime.timedelta(days=9)).replace(microsecond=0)
    MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    emails = [f"announce-{n}@example.org" for n in range(RECIPIENTS)]
    for email in emails:
        UserFactory(email=email, verified=False)
    ours = set(emails)

    def received():
        return [m for m in smtp_sink.messages if m["To"] in ours]

    previous = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    use_broker(REDIS_URL, queue)
    worker = start_worker(queue, database_name, smtp_sink.port, f"{queue}-1.log")
    try:
        send_announcements.delay()
        wait_for(lambda: len(received()) >= RECIPIENTS // 5, timeout=120, interval=0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
        halfway = len(received())
        assert halfway < RECIPIENTS, "the worker finished before it could be killed"

        # Restarted, the next beat sends the rest; the rows already claimed are never resent.
        time.sleep(0.5)  # let the sink finish the message the dead worker was sending, if any
        worker = start_worker(queue, database_name, smtp_sink.port, f"{queue}-2.log")
        send_announcements.delay()
        wait_for(
            lambda: (
                Delivery.objects.filter(kind="announcement", state="sent").count()
                + Delivery.objects.filter(kind="announcement", state="sending").count()
                >= RECIPIENTS
            ),
            timeout=180,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        use_broker(*previous)

    later = timezone.now() + notifications.STUCK_AFTER + datetime.timedelta(minutes=1)
    notifications.expire_stuck(now=later)
    counts = dict.fromkeys(emails, 0)
    for message in received():
        counts[message["To"]] += 1
    states = dict(
        Delivery.objects.filter(kind="announcement", person__email__in=emails).values_list(
            "person__email", "state"
        )
    )
    assert max(counts.values()) == 1  # nobody twice
    assert all(counts[email] == 1 or states[email] == "uncertain" for email in emails)
    assert all(counts[email] == 1 for email in emails if states[email] == "sent")
    assert sum(1 for state in states.values() if state == "uncertain") <= 1
    assert halfway < sum(counts.values())
