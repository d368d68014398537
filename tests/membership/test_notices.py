"""Membership e-mails: each sent once per real event, from the task, again after re-qualifying."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from assembly.models import AssemblyConfiguration, Delivery
from config.celery import app as celery_app
from tests.factories import UserFactory
from tests.membership.factories import attend, paris
from workshops import membership
from workshops.tasks import recompute_memberships

pytestmark = pytest.mark.django_db


def run_task_on(day: datetime.date, **kwargs):
    with time_machine.travel(paris(day.year, day.month, day.day, 3), tick=False):
        recompute_memberships(**kwargs)


def subjects(mailoutbox):
    return [message.subject for message in mailoutbox]


def test_becoming_eligible_sends_one_email_even_when_the_task_runs_twice(mailoutbox):
    person = UserFactory(language="en", display_name="Zoé & Jo O'Neil")
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))

    run_task_on(datetime.date(2026, 5, 1))
    run_task_on(datetime.date(2026, 5, 1))
    run_task_on(datetime.date(2026, 5, 2))

    assert subjects(mailoutbox) == ["You can now declare yourself a member"]
    assert mailoutbox[0].to == [person.email]
    assert mailoutbox[0].body.startswith("Hello Zoé & Jo O'Neil,")
    assert "/me/" in mailoutbox[0].body
    assert "/charter/" in mailoutbox[0].body


def test_eligible_email_is_in_the_person_language(mailoutbox):
    person = UserFactory(language="fr")
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))

    run_task_on(datetime.date(2026, 5, 1))

    assert subjects(mailoutbox) == ["Vous pouvez maintenant vous déclarer membre"]


def test_attending_again_while_eligible_sends_nothing_new(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    run_task_on(datetime.date(2026, 5, 1))
    attend(person, paris(2026, 5, 28))

    run_task_on(datetime.date(2026, 5, 29), person_ids=[person.pk])

    assert len(mailoutbox) == 1


def test_declared_member_gets_no_eligible_email(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    membership.declare(person, now=paris(2026, 4, 30, 22))

    run_task_on(datetime.date(2026, 5, 1))

    assert mailoutbox == []


def test_member_is_warned_fourteen_days_before_lapsing_once(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2025, 3, 27), paris(2025, 4, 24))
    membership.declare(person, now=paris(2025, 4, 25))  # member until 2026-03-27
    mailoutbox.clear()

    run_task_on(datetime.date(2026, 3, 12))
    assert mailoutbox == []
    run_task_on(datetime.date(2026, 3, 13))
    run_task_on(datetime.date(2026, 3, 13))
    run_task_on(datetime.date(2026, 3, 14))

    assert subjects(mailoutbox) == ["Attend a session by 27 March 2026 to stay a member"]
    assert "on or before that date" in mailoutbox[0].body


def test_member_who_lapses_is_told_once(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2025, 3, 27), paris(2025, 4, 24))
    membership.declare(person, now=paris(2025, 4, 25))
    run_task_on(datetime.date(2026, 3, 13))
    mailoutbox.clear()

    run_task_on(datetime.date(2026, 3, 28))
    run_task_on(datetime.date(2026, 3, 28))
    run_task_on(datetime.date(2026, 3, 29))

    person.refresh_from_db()
    assert person.membership_declared_at is None
    assert subjects(mailoutbox) == ["Your membership has lapsed"]
    assert "27 March 2026" in mailoutbox[0].body


def test_requalifying_after_lapsing_sends_new_emails(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2025, 3, 27), paris(2025, 4, 24))
    run_task_on(datetime.date(2025, 4, 25))
    membership.declare(person, now=paris(2025, 4, 25, 12))
    run_task_on(datetime.date(2026, 3, 13))
    run_task_on(datetime.date(2026, 3, 28))
    attend(person, paris(2026, 9, 24), paris(2026, 10, 29))

    run_task_on(datetime.date(2026, 10, 30), person_ids=[person.pk])
    membership.declare(person, now=paris(2026, 10, 30, 12))
    run_task_on(datetime.date(2027, 9, 10))

    assert subjects(mailoutbox) == [
        "You can now declare yourself a member",
        "Attend a session by 27 March 2026 to stay a member",
        "Your membership has lapsed",
        "You can now declare yourself a member",
        "Attend a session by 24 September 2027 to stay a member",
    ]


def test_warning_is_not_sent_when_the_member_attended_meanwhile(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2025, 3, 27), paris(2025, 4, 24))
    membership.declare(person, now=paris(2025, 4, 25))
    mailoutbox.clear()
    with time_machine.travel(paris(2026, 3, 13, 3), tick=False):
        membership.recompute()  # queued, then the worker stopped before sending
    attend(person, paris(2026, 3, 26))
    membership.recompute(person_ids=[person.pk], today=datetime.date(2026, 3, 26))

    run_task_on(datetime.date(2026, 3, 27))

    assert mailoutbox == []
    assert not Delivery.objects.filter(kind=membership.Notice.EXPIRING).exists()


def test_notice_queued_before_a_crash_is_sent_by_the_next_run(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    with time_machine.travel(paris(2026, 5, 1, 3), tick=False):
        membership.recompute()  # the worker dies here, after the commit

    run_task_on(datetime.date(2026, 5, 2))

    assert subjects(mailoutbox) == ["You can now declare yourself a member"]


def test_recompute_without_notify_queues_nothing(mailoutbox):
    person = UserFactory(language="en")
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))

    membership.recompute(today=datetime.date(2026, 5, 1), notify=False)
    with time_machine.travel(paris(2026, 5, 1, 3), tick=False):
        membership.send_notices()

    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_person_without_email_gets_no_notice(mailoutbox):
    person = UserFactory(email=None, verified=False)
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))

    run_task_on(datetime.date(2026, 5, 1))

    person.refresh_from_db()
    assert person.eligible_until == datetime.date(2027, 3, 26)
    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_attendance_hook_enqueues_the_recompute_for_those_people_after_commit(
    django_capture_on_commit_callbacks, monkeypatch, mailoutbox
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    person, other = UserFactory(language="en"), UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    attend(other, paris(2026, 3, 26), paris(2026, 4, 30))
    AssemblyConfiguration.get()  # created here: its creation forgets the cached row on commit

    with (
        time_machine.travel(paris(2026, 4, 30, 21), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        membership.on_attendance_recorded([person.pk, None])

    person.refresh_from_db()
    other.refresh_from_db()
    assert len(callbacks) == 1
    assert person.eligible_until == datetime.date(2027, 3, 26)
    assert other.eligible_until is None
    assert subjects(mailoutbox) == ["You can now declare yourself a member"]


def test_nightly_recompute_is_scheduled_at_three(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["recompute-memberships"]

    assert entry["task"] == "workshops.recompute_memberships"
    assert entry["schedule"].hour == {3}
    assert entry["schedule"].minute == {0}


def test_management_command_recomputes_everyone(capsys):

    person = UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))

    with time_machine.travel(paris(2026, 5, 1, 9), tick=False):
        call_command("recompute_memberships", "--no-notify")

    person.refresh_from_db()
    assert person.eligible_until == datetime.date(2027, 3, 26)
    assert "newly eligible: 0" in capsys.readouterr().out
