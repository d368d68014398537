import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from assembly.models import Frequency, Subscriber, Topic, User
from assembly.notifications import topics
from portal.waiting import waiting_for

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "admin@example.org",
    "facilitator@example.org",
    "member@example.org",
    "newcomer@example.org",
}


def test_seed_demo_creates_the_demo_accounts_and_prints_them(capsys, settings):
    settings.DEBUG = True

    call_command("seed_demo")

    output = capsys.readouterr().out
    for email in DEMO_EMAILS:
        assert email in output
        assert User.objects.get(email=email).check_password("demo-assemblee")
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="facilitator@example.org").is_facilitator


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = {model: model.objects.count() for model in _all_models()}

    call_command("seed_demo")

    assert {model: model.objects.count() for model in _all_models()} == counts


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")

    assert set(User.objects.values_list("email", flat=True)) >= DEMO_EMAILS


def _all_models():

    return [
        m
        for m in apps.get_models()
        if m._meta.app_label
        in {"assembly", "commons_registry", "workshops", "decisions", "charter"}
    ]


def test_seed_demo_gives_member_things_waiting_on_their_pages(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    member = User.objects.get(email="member@example.org")
    client.force_login(member)

    waiting = waiting_for(member)
    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert [d.title for d in waiting.votes] == [
        "Soutenir la pétition pour garder le jardin de la rue des Jardins"
    ]
    assert [d.title for d in waiting.discussions] == ["Acheter un vélo-cargo pour l'outilthèque"]
    assert [w.title for w in waiting.notes] == ["Troc de graines de printemps"]
    assert "Vote on “Soutenir la pétition" in page


def test_seed_demo_has_subscribers_and_preferences(settings):

    settings.DEBUG = True
    call_command("seed_demo")

    assert Subscriber.objects.confirmed().count() == 3
    assert Subscriber.objects.filter(confirmed_at=None).count() == 1
    member = User.objects.get(email="member@example.org")
    assert topics.frequency_of(member, Topic.DECISIONS) == Frequency.WEEKLY
