"""Sign-up with mandatory e-mail verification, login by password and by code, reset, claiming."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from assembly.models import User
from assembly.people import register_at_door, send_claim_invitation
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_up(client, email="camille@example.org"):
    return client.post(
        "/accounts/signup/",
        {"display_name": "Camille", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_sends_verification_email_and_does_not_log_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="camille@example.org")
    assert user.display_name == "Camille"
    assert user.language == "fr"
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert client.get("/me/").status_code == 302  # still anonymous


def test_following_verification_link_verifies_and_logs_in(client):
    sign_up(client)
    confirm_path = link_in(mail.outbox[0])

    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="camille@example.org").verified is True
    assert client.get("/me/").status_code == 200


def test_login_with_unverified_email_is_held_until_verified(client):
    UserFactory(email="late@example.org", verified=False)

    response = client.post("/accounts/login/", {"login": "late@example.org", "password": PASSWORD})

    assert response.url == "/accounts/confirm-email/"
    assert client.get("/me/").status_code == 302


def test_login_with_password(client):
    UserFactory(email="ana@example.org")

    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_login_with_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="ana@example.org")

    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": "nope"})

    assert response.status_code == 200
    assert "mot de passe sont incorrects" in response.content.decode()


def test_login_by_emailed_code(client):
    UserFactory(email="code@example.org")

    response = client.post("/accounts/login/code/", {"email": "code@example.org"})
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.MULTILINE).group(1)
    response = client.post("/accounts/login/code/confirm/", {"code": code})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_password_reset_sets_a_new_password(client):
    user = UserFactory(email="forgot@example.org")

    client.post("/accounts/password/reset/", {"email": "forgot@example.org"})
    response = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"password1": "a-brand-new-secret-9", "password2": "a-brand-new-secret-9"},
    )

    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-9")


def test_person_registered_at_door_has_no_password_and_cannot_log_in(client):
    walk_in = register_at_door("Dominique", "dominique@example.org")

    assert walk_in.has_usable_password() is False
    response = client.post("/accounts/login/", {"login": "dominique@example.org", "password": ""})
    assert client.get("/me/").status_code == 302
    assert response.status_code == 200


def test_walk_in_without_email_is_a_person_too():
    walk_in = register_at_door("  Sam  ")

    assert walk_in.email is None
    assert walk_in.display_name == "Sam"


def test_person_registered_at_door_claims_account_by_email(client):
    walk_in = register_at_door("Dominique", "Dominique@Example.org")

    send_claim_invitation(walk_in)
    message = mail.outbox[0]
    assert message.to == ["dominique@example.org"]
    response = client.get(link_in(message), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"password1": "my-first-password-42", "password2": "my-first-password-42"},
    )

    walk_in.refresh_from_db()
    assert walk_in.check_password("my-first-password-42")
    assert EmailAddress.objects.get(user=walk_in).verified is True
    client.logout()
    client.post(
        "/accounts/login/", {"login": "dominique@example.org", "password": "my-first-password-42"}
    )
    assert client.get("/me/").status_code == 200


def test_login_is_rate_limited_after_repeated_failures(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {}  # allauth's defaults, as in production
    UserFactory(email="ana@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ana@example.org", "password": "bad"})

    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})

    assert "Trop de tentatives" in response.content.decode()
    assert client.get("/me/").status_code == 302


def test_account_emails_are_signed_with_the_assembly_name(client):
    sign_up(client)

    assert "Assemblée des Communs" in mail.outbox[0].body
    assert "testserver !" not in mail.outbox[0].body
