import datetime

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from assembly import notifications
from assembly.models import Delivery
from tests.factories import UserFactory


def outgoing(person, build=None, kind="reminder-1d"):
    build = build or (lambda: EmailMessage("Hello", "Body", to=[person.email]))
    return notifications.Outgoing(person=person, topic="meeting:1", kind=kind, build=build)


@pytest.mark.django_db
def test_deliver_twice_sends_one_email_per_row(mailoutbox):
    people = UserFactory.create_batch(3)
    first = notifications.deliver([outgoing(p) for p in people])
    second = notifications.deliver([outgoing(p) for p in people])
    assert (first.sent, second.sent, second.already) == (3, 0, 3)
    assert len(mailoutbox) == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


@pytest.mark.django_db
def test_deliver_same_item_twice_in_one_call_sends_once(mailoutbox, person):
    report = notifications.deliver([outgoing(person), outgoing(person)])
    assert (report.sent, report.already, len(mailoutbox)) == (1, 1, 1)


@pytest.mark.django_db
def test_deliver_skips_people_without_email(mailoutbox):
    person = UserFactory(email=None, verified=False)
    assert notifications.deliver([outgoing(person)]).sent == 0
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_deliver_crash_between_claim_and_send_becomes_uncertain_never_resent(mailoutbox, person):
    def crash():
        raise SystemExit("worker killed")

    now = timezone.now()
    with pytest.raises(SystemExit):
        notifications.deliver([outgoing(person, build=crash)], now=now)
    assert Delivery.objects.get().state == Delivery.State.SENDING
    # The retry that follows the crash must not send it again.
    assert notifications.deliver([outgoing(person)], now=now).already == 1
    later = now + notifications.STUCK_AFTER + datetime.timedelta(seconds=1)
    assert notifications.expire_stuck(now=later) == 1
    assert notifications.deliver([outgoing(person)], now=later).already == 1
    assert Delivery.objects.get().state == Delivery.State.UNCERTAIN
    assert mailoutbox == []


@pytest.mark.django_db
def test_deliver_keyboard_interrupt_leaves_row_sending(mailoutbox, person):
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        notifications.deliver([outgoing(person, build=interrupted)])
    assert Delivery.objects.get().state == Delivery.State.SENDING
    assert mailoutbox == []


@pytest.mark.django_db
def test_expire_stuck_leaves_recent_claims_alone(person):
    Delivery.objects.create(
        person=person, topic="t", kind="k", state=Delivery.State.SENDING, claimed_at=timezone.now()
    )
    assert notifications.expire_stuck() == 0


@pytest.mark.django_db
def test_deliver_failure_is_recorded_and_others_still_go(mailoutbox):
    broken, fine = UserFactory.create_batch(2)

    def refuse():
        raise ValueError("bad template")

    report = notifications.deliver([outgoing(broken, build=refuse), outgoing(fine)])
    assert (report.sent, report.failed, len(mailoutbox)) == (1, 1, 1)
    row = Delivery.objects.get(person=broken)
    assert (row.state, row.error) == (Delivery.State.FAILED, "ValueError: bad template")


@pytest.mark.django_db
def test_retry_sends_a_failed_email_once_more(mailoutbox, person):
    notifications.deliver([outgoing(person, build=lambda: 1 / 0)])
    notifications.retry(Delivery.objects.get())
    assert notifications.deliver([outgoing(person)]).sent == 1
    assert notifications.deliver([outgoing(person)]).sent == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_retry_never_touches_a_sent_row(mailoutbox, person):
    notifications.deliver([outgoing(person)])
    notifications.retry(Delivery.objects.get())
    assert Delivery.objects.get().state == Delivery.State.SENT


class CountingBackend(LocmemBackend):
    """The in-memory backend, counting how many connections were opened."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return super().open()


@pytest.mark.django_db
def test_deliver_uses_one_smtp_connection_per_batch(settings, mailoutbox):
    people = UserFactory.create_batch(3)
    CountingBackend.opened = 0
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    notifications.deliver([outgoing(p) for p in people])
    assert (CountingBackend.opened, len(mailoutbox)) == (1, 3)


@pytest.mark.django_db
def test_a_worker_killed_mid_batch_leaves_only_the_email_on_the_wire_uncertain(mailoutbox):
    people = UserFactory.create_batch(4)
    killed = []

    def killed_while_sending(person):
        def build():
            if person == people[2] and not killed:
                killed.append(person)
                raise SystemExit("worker killed")
            return EmailMessage("Hello", "Body", to=[person.email])

        return outgoing(person, build=build)

    now = timezone.now()
    with pytest.raises(SystemExit):
        notifications.deliver([killed_while_sending(p) for p in people], now=now)
    states = dict(Delivery.objects.values_list("person", "state"))
    # The two before were marked sent; the third was on the wire; the last one never claimed.
    assert [states[p.pk] for p in people] == ["sent", "sent", "sending", "pending"]

    restarted = notifications.deliver([killed_while_sending(p) for p in people], now=now)

    assert (restarted.sent, restarted.already) == (1, 3)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people[0].email, people[1].email, people[3].email]
    )


@pytest.mark.django_db
def test_deliver_costs_one_statement_per_email(django_assert_num_queries):
    few, many = UserFactory.create_batch(2), UserFactory.create_batch(6)
    # Rows made and read (2), then one statement per e-mail and one to mark the last one sent.
    with django_assert_num_queries(2 + 2 + 1):
        notifications.deliver([outgoing(p) for p in few])
    with django_assert_num_queries(2 + 6 + 1):
        notifications.deliver([outgoing(p) for p in many])
