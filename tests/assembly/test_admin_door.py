"""The administrator's door is guarded like the site's: the same sign-in, the same attempt limits."""

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DOORS = ["/accounts/login/", "/admin/login/?next=/admin/"]


def try_password(client, door, email, password):
    """What an attacker does: open the door, fill in the form it shows, send it."""
    form_page = client.get(door, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else door
    login_field = "username" if form_url.startswith("/admin/") else "login"
    return client.post(form_url, {login_field: email, "password": password}, follow=True)


@pytest.mark.parametrize("door", DOORS)
def test_sixth_attempt_is_refused_on_every_door_even_with_the_right_password(
    client, settings, door
):
    settings.ACCOUNT_RATE_LIMITS = {}  # allauth's defaults, as in production
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for _ in range(5):
        try_password(client, door, "root@example.org", "wrong-guess")

    response = try_password(client, door, "root@example.org", PASSWORD)

    assert "Trop de tentatives" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still outside
    assert client.get("/me/").status_code == 302


def test_admin_door_leads_to_the_site_sign_in_and_back_to_the_admin(client):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)

    door = client.get("/admin/")
    form_page = client.get(door.url, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"login": "root@example.org", "password": PASSWORD},
        follow=True,
    )

    assert form_page.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200


def test_admin_door_refuses_a_signed_in_person_who_is_not_staff(person_client):
    response = person_client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_admin_door_sends_signed_in_staff_straight_in(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/login/?next=/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200


def test_admin_door_never_redirects_to_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")

    assert response.url == "/accounts/login/?next=%2Fadmin%2F"


def test_posting_straight_to_the_admin_door_never_signs_in(client, settings):
    # What a script does without reading the form: Django's admin login fields, sent again and
    # again. The door only redirects to the site's sign-in; nothing is authenticated there.
    settings.ACCOUNT_RATE_LIMITS = {}
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)

    answers = [
        client.post(
            "/admin/login/?next=/admin/", {"username": "root@example.org", "password": PASSWORD}
        )
        for _ in range(8)
    ]

    assert {response.status_code for response in answers} == {302}
    assert {response.url for response in answers} == {"/accounts/login/?next=%2Fadmin%2F"}
    assert client.get("/admin/").status_code == 302
