"""Replies to my comments (topic "my own things"): a comment reaches the decision's author and the
earlier commenters, each once, by their choice: an e-mail as it happens, a digest item, or
nothing; from the worker after the commit, never from the request."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from assembly.models import Delivery, DigestItem, Frequency, Topic
from assembly.notifications import topics
from assembly.notifications.topics import set_frequency
from config.celery import app as celery_app
from decisions import notices, services
from decisions.models import Decision
from decisions.tasks import advance_decisions, tell_replies
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.unsubscribe import one_click

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def told(comment):
    return sorted(
        Delivery.objects.filter(
            topic=f"comment:{comment.pk}", kind="comment_reply", state="sent"
        ).values_list("person__email", flat=True)
    )


@pytest.fixture
def thread(start):
    """A discussion with its author, two earlier commenters who chose to hear at once, and a
    bystander who never commented."""
    author, first, second, bystander = UserFactory.create_batch(4)
    for person in (author, first, second, bystander):
        set_frequency(person, Topic.OWN, Frequency.IMMEDIATE)
    with time_machine.travel(start, tick=False):
        decision = discussion(author, title="Un local partagé", now=start)
        services.add_comment(decision, author=first, text="Where?", now=start + MINUTE)
        services.add_comment(decision, author=second, text="How much?", now=start + 2 * MINUTE)
    DigestItem.objects.all().delete()
    Delivery.objects.all().delete()
    mail.outbox.clear()
    return decision, author, first, second, bystander


def test_a_reply_reaches_the_author_and_earlier_commenters_once_not_the_commenter(start, thread):
    decision, author, first, second, _bystander = thread
    comment = services.add_comment(
        decision, author=first, text="Near the station.", now=start + 3 * MINUTE
    )

    with time_machine.travel(start + 4 * MINUTE, tick=False):
        tell_replies(comment_id=comment.pk)
        tell_replies(comment_id=comment.pk)  # a retried task

    # The first commenter wrote it: only the author and the second commenter hear of it.
    assert told(comment) == sorted([author.email, second.email])
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [second.email])
    assert "Near the station." in message.body
    assert f"/decisions/{decision.pk}/#comment-{comment.pk}" in message.body
    # In each one's language (French by default), the footer saying truthfully why it came.
    assert "quelqu'un a commenté après vous dans cette discussion" in message.body
    to_author = next(m for m in mail.outbox if m.to == [author.email])
    assert "la discussion que vous avez ouverte" in to_author.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    comment.refresh_from_db()
    assert comment.replies_told_at == start + 4 * MINUTE


def test_a_later_commenter_hears_nothing_of_an_earlier_comment(start, thread):
    decision, author, first, _second, _bystander = thread
    earliest = decision.comments.get(author=first)

    tell_replies(comment_id=earliest.pk)

    # Only the author came before the first comment.
    assert told(earliest) == [author.email]


def test_a_person_who_chose_never_hears_nothing_and_weekly_gets_one_digest_item(start, thread):
    decision, author, first, second, _bystander = thread
    set_frequency(author, Topic.OWN, Frequency.NEVER)
    set_frequency(second, Topic.OWN, Frequency.WEEKLY)
    comment = services.add_comment(decision, author=first, text="Bis", now=start + 3 * MINUTE)

    tell_replies(comment_id=comment.pk)
    tell_replies(comment_id=comment.pk)

    assert mail.outbox == []
    assert list(DigestItem.objects.values_list("person", "topic", "kind", "group_key", "url")) == [
        (
            second.pk,
            Topic.OWN,
            "comment_reply",
            decision.topic,
            f"/decisions/{decision.pk}/#comment-{comment.pk}",
        )
    ]


def test_the_unsubscribe_link_of_a_reply_turns_my_own_things_off(client, start, thread):
    decision, author, first, _second, _bystander = thread
    comment = services.add_comment(decision, author=first, text="Bis", now=start + 3 * MINUTE)
    tell_replies(comment_id=comment.pk)
    message = next(m for m in mail.outbox if m.to == [author.email])

    response, url = one_click(client, message)

    assert response.status_code == 200
    assert topics.frequency_of(author, Topic.OWN) == Frequency.NEVER
    assert topics.frequency_of(author, Topic.DECISIONS) == Frequency.IMMEDIATE
    assert url in message.body


def test_deactivated_people_and_hidden_commenters_are_not_told(start, thread, facilitator):
    decision, author, first, second, _bystander = thread
    author.is_active = False
    author.save(update_fields=["is_active"])
    services.hide_comment(decision.comments.get(author=second), by=facilitator)
    comment = services.add_comment(decision, author=first, text="Bis", now=start + 3 * MINUTE)

    tell_replies(comment_id=comment.pk)

    assert told(comment) == []


def test_a_hidden_comment_is_no_news(start, thread, facilitator):
    decision, _author, first, _second, _bystander = thread
    comment = services.add_comment(decision, author=first, text="Spam", now=start + 3 * MINUTE)
    services.hide_comment(comment, by=facilitator)

    tell_replies(comment_id=comment.pk)

    assert mail.outbox == []
    comment.refresh_from_db()
    assert comment.replies_told_at is not None


def test_replies_are_told_from_the_worker_after_the_commit(
    start, thread, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    decision, author, first, second, _bystander = thread

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = services.add_comment(decision, author=first, text="Bis", now=start + 3 * MINUTE)
    assert mail.outbox == []  # nothing from the request itself
    assert len(callbacks) == 1
    callbacks[0]()

    assert told(comment) == sorted([author.email, second.email])


def test_the_sweep_tells_a_recent_comment_the_task_missed_once(start, thread):
    decision, author, first, second, _bystander = thread
    # Written while the broker was down: no task ran for it.
    comment = services.add_comment(decision, author=first, text="Bis", now=start + 3 * MINUTE)

    for minutes in (5, 10):
        with time_machine.travel(start + minutes * MINUTE, tick=False):
            advance_decisions()

    assert told(comment) == sorted([author.email, second.email])
    # The fixture's two comments were missed too: each told once (1 and 2 people), no more.
    assert Delivery.objects.filter(kind="comment_reply").count() == 2 + 1 + 2
    assert len(mail.outbox) == 2 + 1 + 2


def test_the_sweep_leaves_old_comments_alone(start, thread):
    decision, _author, first, _second, _bystander = thread
    services.add_comment(decision, author=first, text="Bis", now=start)

    with time_machine.travel(start + notices.REPLIES_SWEPT_FOR + 5 * MINUTE, tick=False):
        advance_decisions()

    assert Delivery.objects.filter(kind="comment_reply").count() == 0


def test_the_demo_shows_replies_by_e_mail_and_in_the_digest():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    mail.outbox.clear()

    advance_decisions()  # the worker's sweep, as `make run` starts it

    bike = Decision.objects.get(title__startswith="Acheter un vélo-cargo")
    # The newcomer replied to the facilitator (who hears at once) and the member (weekly).
    reply = bike.comments.get(author__email="newcomer@example.org")
    assert told(reply) == ["facilitator@example.org"]
    assert DigestItem.objects.filter(
        person__email="member@example.org", kind="comment_reply", group_key=bike.topic
    ).exists()
