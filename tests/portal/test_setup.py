"""The first administrator (createsuperuser or the one-time link) and the /setup/ wizard."""

import datetime
import io

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assembly import setup
from assembly.models import AssemblyConfiguration, SettingChange, SetupLink, User
from tests.factories import FacilitatorFactory, UserFactory
from workshops.models import Meeting, Rhythm, Venue

pytestmark = pytest.mark.django_db


def _link() -> str:
    out = io.StringIO()
    call_command("setup_link", stdout=out)
    url = out.getvalue().strip().splitlines()[-1]
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


FIRST_ADMIN = {
    "display_name": "Camille",
    "email": "Camille@Example.org",
    "password1": "a long unusual passphrase 42",
    "password2": "a long unusual passphrase 42",
}


# --- The one-time link --------------------------------------------------------------------------


def test_setup_link_creates_the_first_administrator_and_signs_them_in(client):
    path = _link()

    form = client.get(path)
    response = client.post(path, FIRST_ADMIN)

    person = User.objects.get(email="camille@example.org")
    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("setup:index")
    assert (person.is_staff, person.is_superuser) == (True, True)
    assert EmailAddress.objects.get(user=person).verified is True
    assert client.get(reverse("setup:index")).status_code == 200
    assert SetupLink.objects.get().used_by == person


def test_setup_link_works_once(client):
    path = _link()
    client.post(path, FIRST_ADMIN)
    client.logout()

    again = client.post(path, {**FIRST_ADMIN, "email": "other@example.org"})

    assert again.status_code == 404
    assert User.objects.filter(is_staff=True).count() == 1


def test_setup_link_expires_after_a_day(client):
    path = _link()

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25), tick=False):
        response = client.post(path, FIRST_ADMIN)

    assert response.status_code == 404
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "token", ["forged", "eyJ4IjoxfQ:1abcde:0000000000000000000000000000000000000000000"]
)
def test_an_anonymous_visitor_without_a_valid_link_never_becomes_administrator(client, token):
    _link()  # a real link exists, but the visitor does not have it

    claim = client.post(reverse("setup:claim", kwargs={"token": token}), FIRST_ADMIN)
    setup_page = client.post(reverse("setup:identity"), {"name": "Mine now"})
    settings_page = client.post(reverse("settings:identity"), {"name": "Mine now"})

    assert claim.status_code == 404
    assert setup_page.status_code == 302 and "/accounts/login/" in setup_page["Location"]
    assert settings_page.status_code == 302 and "/accounts/login/" in settings_page["Location"]
    assert not User.objects.exists()
    assert AssemblyConfiguration.get().name != "Mine now"


def test_a_signed_in_person_becomes_administrator_with_the_link(client, person):
    path = _link()
    client.force_login(person)

    page = client.get(path)
    response = client.post(path)

    person.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert person.is_staff and person.is_superuser


def test_the_link_refuses_an_address_someone_uses(client, person):
    path = _link()

    response = client.post(path, {**FIRST_ADMIN, "email": person.email})

    assert response.status_code == 302
    assert response["Location"] == path
    assert User.objects.filter(is_staff=True).count() == 0
    assert SetupLink.objects.get().used_at is None


def test_the_link_refuses_a_weak_password(client):
    path = _link()

    response = client.post(path, {**FIRST_ADMIN, "password1": "123", "password2": "123"})

    assert response.status_code == 200
    assert not User.objects.exists()


def test_the_link_is_stored_as_a_digest_only():
    url = setup.create_setup_link()

    stored = SetupLink.objects.get()
    assert stored.secret_digest not in url
    assert setup.setup_link_for(url.rstrip("/").rsplit("/", 1)[1]) == stored


# --- The wizard ---------------------------------------------------------------------------------


def test_setup_is_for_administrators_only(client, facilitator):
    client.force_login(facilitator)

    assert client.get(reverse("setup:index")).status_code == 403


def test_identity_step_saves_records_and_goes_on(admin_client, administrator):
    response = admin_client.post(
        reverse("setup:identity"),
        {
            "name": "Assemblée des Communs de Roubaix",
            "city": "Roubaix",
            "tagline": "<script>alert(1)</script>",
            "contact_email": "contact@example.org",
            "languages": ["fr"],
            "map_latitude": "50.69",
            "map_longitude": "3.17",
        },
    )

    config = AssemblyConfiguration.get()
    change = SettingChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("setup:rhythm")
    assert (config.city, config.languages, str(config.map_latitude)) == (
        "Roubaix",
        "fr",
        "50.690000",
    )
    assert change.changed_by == administrator
    assert change.before["city"] == ""
    assert change.after["city"] == "Roubaix"
    assert "<script>alert" not in admin_client.get("/").content.decode()


def test_identity_step_refused_writes_nothing(admin_client):
    response = admin_client.post(
        reverse("setup:identity"),
        {"name": "", "languages": ["fr"], "map_latitude": "91", "map_longitude": ""},
    )

    assert response.status_code == 200
    assert AssemblyConfiguration.get().name == "Assemblée des Communs"
    assert not SettingChange.objects.exists()


def test_identity_step_shows_the_time_zone_read_only(admin_client, settings):
    response = admin_client.get(reverse("setup:identity"))

    assert settings.TIME_ZONE in response.content.decode()
    assert 'name="time_zone"' not in response.content.decode()


def test_a_step_saved_without_change_records_nothing(admin_client):
    config = AssemblyConfiguration.get()
    admin_client.post(
        reverse("setup:rules"),
        {
            "membership_min_sessions": config.membership_min_sessions,
            "membership_window_days": config.membership_window_days,
            "discussion_days": config.discussion_days,
            "vote_days": config.vote_days,
            "vote_quorum_percent": config.vote_quorum_percent,
        },
    )

    assert not SettingChange.objects.exists()


def test_rules_step_defaults_are_the_cards_values(admin_client):
    response = admin_client.get(reverse("setup:rules"))

    form = response.context["form"]
    assert (form["membership_min_sessions"].value(), form["membership_window_days"].value()) == (
        2,
        365,
    )


RHYTHM = {
    "weekday": Rhythm.Weekday.THURSDAY,
    "week_of_month": Rhythm.Week.LAST,
    "start_times": "12:00,18:00",
    "duration_minutes": 180,
    "meeting_title": "Assemblée des communs",
    "months_ahead": 3,
}


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_rhythm_step_shows_the_meetings_without_creating_them(admin_client):
    venue = Venue.objects.create(name="La Maison des Communs")

    response = admin_client.post(
        reverse("setup:rhythm"), {**RHYTHM, "default_venue": venue.pk, "preview": "1"}
    )

    preview = response.context["preview"]
    assert [row["starts_at"].date() for row in preview] == [
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 28),
        datetime.date(2027, 2, 25),
    ]
    assert [row["starts_at"].hour for row in preview] == [18, 12, 18]
    assert not Meeting.objects.exists()
    assert Rhythm.get().default_venue is None


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_rhythm_step_confirmed_saves_the_rule_and_creates_the_meetings(admin_client):
    venue = Venue.objects.create(name="La Maison des Communs")

    response = admin_client.post(
        reverse("setup:rhythm"), {**RHYTHM, "default_venue": venue.pk, "confirm": "1"}
    )

    assert response["Location"] == reverse("setup:rules")
    assert Rhythm.get().default_venue == venue
    assert Meeting.objects.filter(venue=venue).count() == 3
    assert SettingChange.objects.get().after == {"default_venue": "La Maison des Communs"}


def test_rhythm_step_refuses_bad_times(admin_client):
    response = admin_client.post(
        reverse("setup:rhythm"), {**RHYTHM, "start_times": "midi", "confirm": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Meeting.objects.exists()


def test_every_step_can_be_skipped(admin_client):
    steps = ["identity", "rhythm", "rules", "facilitators", "email"]
    for step, following in zip(steps, [*steps[1:], "done"], strict=True):
        page = admin_client.get(reverse(f"setup:{step}")).content.decode()
        assert f'href="{reverse(f"setup:{following}")}"' in page


def test_finishing_marks_the_assembly_set_up_and_the_wizard_may_run_again(admin_client):
    response = admin_client.post(reverse("setup:done"))
    again = admin_client.get(reverse("setup:index"))

    assert response["Location"] == reverse("settings:index")
    assert AssemblyConfiguration.get().set_up_at is not None
    assert again.status_code == 200


def test_email_step_sends_a_test_email_and_says_so(admin_client, administrator):
    response = admin_client.post(reverse("setup:email"))

    assert response.context["result"]["ok"] is True
    assert [message.to for message in mail.outbox] == [[administrator.email]]


def test_email_step_shows_the_servers_refusal(admin_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2

    response = admin_client.post(reverse("setup:email"))

    result = response.context["result"]
    assert result["ok"] is False
    assert "ConnectionRefusedError" in result["detail"]
    assert "ConnectionRefusedError" in response.content.decode()


def test_staff_who_are_not_superusers_are_administrators_too(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert client.get(reverse("setup:index")).status_code == 200
    assert client.get(reverse("settings:index")).status_code == 200


def test_facilitators_are_not_administrators(client):
    client.force_login(FacilitatorFactory())

    assert client.get(reverse("settings:index")).status_code == 403
