"""Per-topic preferences (/me/notifications/), the "info" list (/subscribe/) and unsubscribing
through signed links, as a person sees them and as the database keeps them."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from assembly.models import Frequency, NotificationPreferences, Subscriber, Topic
from assembly.notifications import subscriptions, topics
from config.celery import app as celery_app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://\S+")


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def links(message) -> list[str]:
    return URL.findall(message.body)


# --- Preferences ---------------------------------------------------------------------------------


def test_notifications_page_requires_sign_in(client):
    response = client.get("/me/notifications/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_notifications_page_shows_the_defaults_and_is_linked_from_me(person_client):
    me = person_client.get("/me/").content.decode()
    page = person_client.get("/me/notifications/").content.decode()

    assert 'href="/me/notifications/"' in me
    assert 'value="immediate" id="id_assemblies_0" required checked' in page
    assert 'value="immediate" id="id_decisions_0" required checked' in page
    assert 'value="weekly" id="id_commons_1" required checked' in page
    assert 'value="weekly" id="id_own_1" required checked' in page


def test_notifications_page_saves_each_topic(person_client, person):
    response = person_client.post(
        "/me/notifications/",
        {
            "assemblies": "weekly",
            "decisions": "never",
            "commons": "immediate",
            "own": "never",
            "gatherings": "weekly",
        },
    )

    assert response.status_code == 302
    assert topics.export(person) == {
        "assemblies": "weekly",
        "decisions": "never",
        "commons": "immediate",
        "own": "never",
        "gatherings": "weekly",
    }


def test_preferences_are_in_the_data_export(person_client, person):
    topics.set_frequency(person, Topic.COMMONS, Frequency.NEVER)
    Subscriber.objects.create(email=person.email, person=person, confirmed_at=person.date_joined)

    data = person_client.get("/me/export.json").json()

    assert data["sections"]["notification_preferences"]["commons"] == "never"
    assert [row["email"] for row in data["sections"]["subscriptions"]] == [person.email]


@pytest.mark.django_db(transaction=True)
def test_migration_turns_wants_reminders_into_preferences_keeping_each_choice():
    executor = MigrationExecutor(connection)
    before = [("assembly", "0003_notification_preferences_subscriber")]
    after = [("assembly", "0004_preferences_from_wants_reminders")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    User = old_apps.get_model("assembly", "User")
    wants = User.objects.create(email="oui@example.org", display_name="Oui", wants_reminders=True)
    refuses = User.objects.create(
        email="non@example.org", display_name="Non", wants_reminders=False
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    Preferences = new_apps.get_model("assembly", "NotificationPreferences")
    rows = {
        row.person_id: (row.assemblies, row.decisions, row.commons, row.own)
        for row in Preferences.objects.all()
    }

    # Wanted reminders: the defaults, which send them; refused: no meeting nor vote reminders.
    assert rows == {refuses.pk: ("never", "weekly", "weekly", "weekly")}
    assert wants.pk not in rows
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_hearing_follows_defaults_and_choices():
    default, weekly, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    topics.set_frequency(weekly, Topic.ASSEMBLIES, Frequency.WEEKLY)

    assert set(topics.hearing(Topic.ASSEMBLIES)) == {default}
    assert set(topics.hearing(Topic.ASSEMBLIES, Frequency.WEEKLY)) == {weekly}
    assert set(topics.hearing(Topic.COMMONS, Frequency.WEEKLY)) == {default, weekly}
    assert gone not in set(topics.not_turned_off(Topic.COMMONS))


# --- Subscribing without an account --------------------------------------------------------------


def subscribe(client, email="info@example.org", language="en", **request):
    return client.post("/subscribe/", {"email": email, "language": language}, **request)


def test_subscribe_is_linked_from_every_page(client):
    assert 'href="/subscribe/"' in client.get("/").content.decode()
    assert client.get("/subscribe/").status_code == 200


def test_subscribe_sends_only_the_confirmation_until_the_link_is_followed(
    client, eager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)

    subscriber = Subscriber.objects.get()
    assert response.status_code == 200
    assert "lien de confirmation est en route" in response.content.decode()
    assert subscriber.confirmed_at is None
    assert [message.to for message in mailoutbox] == [["info@example.org"]]
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert list(Subscriber.objects.confirmed()) == []

    link = links(mailoutbox[0])[0]
    path = link.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    Subscriber.objects.get(confirmed_at=None)  # a GET (a mail scanner) confirms nothing
    confirmed = client.post(path)

    assert confirmed.status_code == 200
    assert list(Subscriber.objects.confirmed()) == [subscriber]


def test_subscribe_answers_the_same_whether_already_subscribed(
    client, eager, mailoutbox, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(
        email="known@example.org", confirmed_at=datetime.datetime.now(datetime.UTC)
    )

    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe(client, "known@example.org")
        unknown = subscribe(client, "new@example.org")

    def text(response):
        # The page differs only by its per-response CSRF token.
        return re.sub(r'"[A-Za-z0-9]{64}"', "", response.content.decode())

    assert text(known) == text(unknown)
    assert [message.to for message in mailoutbox] == [["new@example.org"]]


def test_subscribe_twice_in_a_row_sends_one_confirmation(
    client, eager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client)
        subscribe(client, "INFO@example.org ")

    assert Subscriber.objects.count() == 1
    assert len(mailoutbox) == 1


def test_subscribe_refuses_a_bad_address_clearly(client):
    response = subscribe(client, "not-an-address")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode() or (
        "Saisissez une adresse" in response.content.decode()
    )
    assert not Subscriber.objects.exists()


def test_subscribe_is_rate_limited_per_client(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"subscription": settings.WRITE_RATE_LIMITS["subscription"]}
    answers = [subscribe(client, f"n{n}@example.org").status_code for n in range(7)]

    assert answers == [200] * 5 + [429] * 2
    assert Subscriber.objects.count() == 5


def test_subscribe_is_rate_limited_per_address_across_clients(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"subscription": settings.WRITE_RATE_LIMITS["subscription"]}
    answers = [
        subscribe(client, "same@example.org", REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]

    assert answers == [200] * 3 + [429]


def test_a_forged_confirmation_link_changes_nothing(client):
    subscriber = Subscriber.objects.create(email="info@example.org")
    forged = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt="other")

    response = client.post(f"/subscribe/confirm/{forged}/")

    assert response.status_code == 400
    assert "does not work" in response.content.decode() or "ne fonctionne" in (
        response.content.decode()
    )
    assert Subscriber.objects.get().confirmed_at is None


def test_confirmation_of_an_address_with_an_account_joins_it(client):
    person = UserFactory(email="camille@example.org")
    subscriber = Subscriber.objects.create(email="camille@example.org")

    client.post(f"/subscribe/confirm/{subscriptions.confirmation_token(subscriber)}/")

    subscriber.refresh_from_db()
    assert subscriber.person == person
    assert list(Subscriber.objects.confirmed()) == []  # the account receives it instead


def test_signing_up_joins_a_confirmed_subscription(client):
    Subscriber.objects.create(
        email="newcomer@example.org", confirmed_at=datetime.datetime.now(datetime.UTC)
    )

    client.post(
        "/accounts/signup/",
        {
            "display_name": "Newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    subscriber = Subscriber.objects.get()
    assert subscriber.person is not None
    assert subscriber.person.email == "newcomer@example.org"


# --- Unsubscribing -------------------------------------------------------------------------------


def test_unsubscribe_link_asks_then_turns_the_topic_off_without_sign_in(client, person):
    token = topics.unsubscribe_token(person, Topic.DECISIONS)

    shown = client.get(f"/unsubscribe/{token}/")
    assert shown.status_code == 200
    assert topics.frequency_of(person, Topic.DECISIONS) == Frequency.IMMEDIATE

    done = client.post(f"/unsubscribe/{token}/")

    assert done.status_code == 200
    assert topics.export(person) == {
        "assemblies": "immediate",
        "decisions": "never",
        "commons": "weekly",
        "own": "weekly",
        "gatherings": "immediate",
    }


def test_one_click_unsubscribe_works_without_csrf_token(person):

    client = Client(enforce_csrf_checks=True)
    token = topics.unsubscribe_token(person, Topic.ASSEMBLIES)

    response = client.post(
        f"/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert topics.frequency_of(person, Topic.ASSEMBLIES) == Frequency.NEVER


def test_other_forms_still_require_csrf(person):

    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    assert client.post("/me/notifications/", {"assemblies": "never"}).status_code == 403


def test_forged_unsubscribe_token_shows_a_clear_page_and_changes_nothing(client, person):
    token = topics.unsubscribe_token(person, Topic.ASSEMBLIES)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.post(f"/unsubscribe/{forged}/")

    assert response.status_code == 400
    assert not NotificationPreferences.objects.exists()


def test_expired_unsubscribe_token_shows_a_clear_page_and_changes_nothing(client, person):
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        token = topics.unsubscribe_token(person, Topic.ASSEMBLIES)
    with time_machine.travel(datetime.datetime(2026, 4, 15, tzinfo=datetime.UTC), tick=False):
        response = client.post(f"/unsubscribe/{token}/")

    assert response.status_code == 400
    assert not NotificationPreferences.objects.exists()


def test_subscriber_unsubscribe_removes_the_address(client):
    subscriber = Subscriber.objects.create(email="info@example.org")

    response = client.post(f"/unsubscribe/{topics.unsubscribe_token(subscriber, 'assemblies')}/")

    assert response.status_code == 200
    assert not Subscriber.objects.exists()
