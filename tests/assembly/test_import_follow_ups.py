"""What follows an import, as an administrator sees it: the batch page offers "invite these N
people" and "send the notice to these N subscribers"; each page says what and to whom, the POST
does it once and says so; the commands do the same."""

import io

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.urls import reverse
from django.utils import translation

from assembly import imports
from assembly.models import SubscriberDelivery, User
from config.celery import app as celery_app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def people_batch(count=2):
    rows = "".join(f"Personne {n},personne{n}@example.org\n" for n in range(count))
    text = "name,email\n" + rows + "Sans Adresse,\n"
    return imports.apply(imports.plan("people", [imports.Upload("p.csv", text.encode())]), None)


def subscribers_batch():
    text = b"info.jardins@example.org\nvoisine.curieuse@example.org\n"
    return imports.apply(imports.plan("subscribers", [imports.Upload("liste.txt", text)]), None)


def test_the_batch_page_offers_what_follows(admin_client):
    people, subscribers = people_batch(), subscribers_batch()

    people_page = admin_client.get(reverse("imports:batch", kwargs={"pk": people.pk}))
    subscribers_page = admin_client.get(reverse("imports:batch", kwargs={"pk": subscribers.pk}))

    invite = reverse("import-follow-ups:invite", kwargs={"pk": people.pk})
    notice = reverse("import-follow-ups:notice", kwargs={"pk": subscribers.pk})
    assert f'<a href="{invite}">Invite these 2 people to claim their accounts</a>' in (
        people_page.content.decode()
    )
    assert f'<a href="{notice}">Send the notice to these 2 subscribers</a>' in (
        subscribers_page.content.decode()
    )


def test_inviting_from_the_page_says_so_and_invites_once(
    admin_client, eager, mailoutbox, django_capture_on_commit_callbacks
):
    batch = people_batch()
    url = reverse("import-follow-ups:invite", kwargs={"pk": batch.pk})

    page = admin_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = admin_client.post(url, follow=True)

    assert "personne0@example.org" in page.content.decode()
    assert "2 invitations to claim an account are on their way." in first.content.decode()
    assert "Nobody left to invite: everyone was invited already." in second.content.decode()
    assert sorted(message.to[0] for message in mailoutbox) == [
        "personne0@example.org",
        "personne1@example.org",
    ]
    assert User.objects.filter(claim_invited_at__isnull=False).count() == 2


def test_sending_the_notice_from_the_page_says_so_and_sends_once(
    admin_client, eager, mailoutbox, django_capture_on_commit_callbacks
):
    batch = subscribers_batch()
    url = reverse("import-follow-ups:notice", kwargs={"pk": batch.pk})

    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = admin_client.post(url, follow=True)

    assert "The notice is on its way to 2 subscribers." in first.content.decode()
    assert "Every subscriber of this import was sent the notice already." in (
        second.content.decode()
    )
    assert len(mailoutbox) == 2
    assert SubscriberDelivery.objects.filter(state="sent").count() == 2


@pytest.mark.parametrize("count", [1, 3])
def test_the_invite_page_reads_a_constant_number_of_queries(
    admin_client, count, django_assert_num_queries
):
    batch = people_batch(count)
    url = reverse("import-follow-ups:invite", kwargs={"pk": batch.pk})
    admin_client.get(url)  # the content types are cached after a first look

    with django_assert_num_queries(5):
        admin_client.get(url)


@pytest.mark.parametrize("count", [1, 3])
def test_the_notice_page_reads_a_constant_number_of_queries(
    admin_client, count, django_assert_num_queries
):
    text = "".join(f"abonne{n}@example.org\n" for n in range(count)).encode()
    batch = imports.apply(imports.plan("subscribers", [imports.Upload("l.txt", text)]), None)
    url = reverse("import-follow-ups:notice", kwargs={"pk": batch.pk})
    admin_client.get(url)

    with django_assert_num_queries(6):
        admin_client.get(url)


def test_the_actions_belong_to_their_kind_of_import(admin_client):
    people, subscribers = people_batch(), subscribers_batch()

    wrong_notice = admin_client.get(reverse("import-follow-ups:notice", kwargs={"pk": people.pk}))
    wrong_invite = admin_client.get(
        reverse("import-follow-ups:invite", kwargs={"pk": subscribers.pk})
    )

    assert (wrong_notice.status_code, wrong_invite.status_code) == (404, 404)


def test_the_commands_do_the_same_once(eager, mailoutbox, django_capture_on_commit_callbacks):
    people, subscribers = people_batch(), subscribers_batch()
    out = io.StringIO()

    call_command("invite_imported_people", str(people.pk), "--dry-run", stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_imported_people", str(people.pk), stdout=out)
        call_command("invite_imported_people", str(people.pk), stdout=out)
    call_command("send_subscriber_notice", str(subscribers.pk), stdout=out)
    call_command("send_subscriber_notice", str(subscribers.pk), stdout=out)

    assert out.getvalue().splitlines() == [
        "would invite=2",
        "invited=2",
        "invited=0",
        "sent=2 already=0 failed=0",
        "sent=0 already=0 failed=0",
    ]
    assert len(mailoutbox) == 4


def test_the_commands_dry_runs_do_nothing(eager, mailoutbox):
    people, subscribers = people_batch(), subscribers_batch()
    out = io.StringIO()

    call_command("invite_imported_people", str(people.pk), "--dry-run", stdout=out)
    call_command("send_subscriber_notice", str(subscribers.pk), "--dry-run", stdout=out)

    assert out.getvalue().splitlines() == ["would invite=2", "would send=2"]
    assert mailoutbox == []
    assert SubscriberDelivery.objects.count() == 0


@pytest.mark.parametrize(
    ("command", "wrong_kind", "message"),
    [
        (
            "invite_imported_people",
            subscribers_batch,
            "No applied people or attendance import has the number {}.",
        ),
        (
            "send_subscriber_notice",
            people_batch,
            "No applied subscribers import has the number {}.",
        ),
    ],
)
def test_the_commands_refuse_a_batch_of_another_kind_or_none(command, wrong_kind, message):
    batch = wrong_kind()

    for number in (batch.pk, batch.pk + 1000):
        with pytest.raises(CommandError) as refusal:
            call_command(command, str(number), stdout=io.StringIO())
        assert str(refusal.value) == message.format(number)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("invite_imported_people", "Say how many would be invited, invite nobody."),
        ("send_subscriber_notice", "Say how many are owed it, send nothing."),
    ],
)
def test_the_commands_say_what_their_dry_run_does(command, words):
    parser = load_command_class("assembly", command).create_parser("manage.py", command)

    assert " ".join(words.split()) in " ".join(parser.format_help().split())
