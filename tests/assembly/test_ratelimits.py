"""A flood of comments, proposals or walk-ins from one account or address is slowed down, with a page
that says so in our layout, and nothing of the refused request is saved."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from commons_registry.models import Commons
from decisions.models import Comment
from tests.assembly.test_settings import PRODUCTION, run_django
from tests.commons_registry.factories import category
from tests.decisions.factories import discussion
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import MeetingFactory
from workshops.models import Attendance, Workshop

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def comment(client, n):
    decision = discussion(UserFactory())
    return client.post(f"/decisions/{decision.pk}/comments/", {"text": f"Comment {n}"})


def workshop_proposal(client, n):
    meeting = MeetingFactory()
    return client.post(
        f"{reverse('workshops:propose')}?meeting={meeting.pk}",
        {"title": f"Workshop {n}", "description": "Bring seeds"},
    )


def commons_proposal(client, n):
    return client.post(
        "/commons/propose/",
        {
            "name": f"Grainothèque {n}",
            "summary": "Des graines libres de droits, échangées.",
            "category": category("jardins-alimentation").pk,
            "status": "active",
            "latitude": "50.6301",
            "longitude": "3.0899",
        },
    )


def walk_in(client, n):
    meeting = MeetingFactory()
    return client.post(
        reverse("meetings:walk-in", args=[meeting.pk]), {"display_name": f"Newcomer {n}"}
    )


FLOODS = [
    ("comment", comment, Comment.objects.count, "commentaires"),
    ("workshop_proposal", workshop_proposal, Workshop.objects.count, "ateliers"),
    ("commons_proposal", commons_proposal, Commons.objects.count, "communs"),
    ("walk_in", walk_in, Attendance.objects.count, "nouveaux venus"),
]


@pytest.fixture
def facilitator_client(client):
    # Walk-ins are a facilitator's; the other actions are open to them too.
    client.force_login(FacilitatorFactory())
    return client


@pytest.mark.parametrize(("action", "send", "count", "words"), FLOODS)
def test_flood_from_one_account_is_slowed_down_with_a_page_that_says_so(
    facilitator_client, settings, action, send, count, words
):
    settings.ACCOUNT_RATE_LIMITS = {action: "3/m/user"}
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            assert send(facilitator_client, n).status_code == 302
        saved = count()

        response = send(facilitator_client, 3)

    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "<h1>Trop de requêtes</h1>" in page
    assert words in page
    assert "Rien n’a été enregistré" in page
    assert count() == saved


@pytest.mark.parametrize(("action", "send", "count", "words"), FLOODS)
def test_slowed_down_account_may_act_again_once_the_period_has_passed(
    facilitator_client, settings, action, send, count, words
):
    settings.ACCOUNT_RATE_LIMITS = {action: "3/m/user"}
    with time_machine.travel(NOW, tick=False):
        for n in range(4):
            send(facilitator_client, n)
    saved = count()

    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        response = send(facilitator_client, 4)

    assert response.status_code == 302
    assert count() == saved + 1


def test_flood_from_one_address_is_slowed_down_across_accounts(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "5/m/user,3/m/ip"}
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            client.force_login(UserFactory())
            comment(client, n)
        client.force_login(UserFactory())

        response = comment(client, 3)

    assert response.status_code == 429
    assert Comment.objects.count() == 3


def test_anonymous_post_to_a_signed_in_action_is_sent_to_sign_in_not_counted(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user"}

    response = comment(client, 1)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_reading_a_form_is_never_counted(person_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"commons_proposal": "1/m/user"}
    for _ in range(3):
        assert person_client.get("/commons/propose/").status_code == 200

    assert commons_proposal(person_client, 1).status_code == 302


def test_go_back_link_returns_to_the_page_of_the_form(person_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user"}
    decision = discussion(UserFactory())
    url = f"/decisions/{decision.pk}/comments/"
    person_client.post(url, {"text": "first"})

    response = person_client.post(
        url, {"text": "second"}, HTTP_REFERER=f"http://testserver/decisions/{decision.pk}/"
    )

    assert f'href="http://testserver/decisions/{decision.pk}/"' in response.content.decode()


def test_go_back_link_never_leads_to_another_site(person_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user"}
    comment(person_client, 1)

    response = person_client.post(
        f"/decisions/{discussion(UserFactory()).pk}/comments/",
        {"text": "again"},
        HTTP_REFERER="https://evil.example/",
    )

    assert "evil.example" not in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_production_settings_limit_every_kind_of_writing_by_default():
    result = run_django(
        "import django; django.setup(); from allauth.account import app_settings; "
        "print(sorted(app_settings.RATE_LIMITS))",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    for action in ("comment", "workshop_proposal", "commons_proposal", "walk_in", "login_failed"):
        assert f"'{action}'" in result.stdout


def test_a_malformed_limit_stops_the_server_from_starting():
    result = run_django("import django; django.setup()", RATE_LIMIT_COMMENT="lots", **PRODUCTION)

    assert result.returncode != 0
    assert "RATE_LIMIT_COMMENT='lots'" in result.stderr


def test_behind_a_proxy_each_client_address_is_counted_apart(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "50/m/user,1/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    decision = discussion(UserFactory())
    answers = []
    for client_address in ("203.0.113.1", "203.0.113.2", "203.0.113.1"):
        client.force_login(UserFactory())
        answers.append(
            client.post(
                f"/decisions/{decision.pk}/comments/",
                {"text": "From the hall"},
                REMOTE_ADDR="10.0.0.2",  # the proxy
                HTTP_X_FORWARDED_FOR=client_address,
            ).status_code
        )

    assert answers == [302, 302, 429]


def test_production_behind_a_proxy_trusts_one_proxy_for_client_addresses():
    result = run_django(
        "import django; django.setup(); from allauth import app_settings; "
        "print(app_settings.TRUSTED_PROXY_COUNT)",
        **PRODUCTION,
    )

    assert result.stdout.strip() == "1", result.stderr
