import pytest
from django.template.loader import render_to_string

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_in_french_by_default(client):
    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert "Aller au contenu" in page
    assert page.count("<h1") == 1


def test_language_switcher_turns_the_site_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_navigation_reaches_every_section(client):
    page = client.get("/").content.decode()

    for path in ("/commons/", "/meetings/", "/decisions/", "/charter/", "/people/"):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200


def test_me_requires_login(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_me_saves_the_profile(client):
    person = UserFactory(display_name="Avant")
    client.force_login(person)

    response = client.post(
        "/me/",
        {
            "display_name": "Après",
            "bio": "Jardinière",
            "listed": "on",
            "language": "en",
        },
        follow=True,
    )

    person.refresh_from_db()
    assert (person.display_name, person.bio, person.listed, person.language) == (
        "Après",
        "Jardinière",
        True,
        "en",
    )
    assert "Votre profil est enregistré." in response.content.decode()


def test_people_lists_only_those_who_chose_to_be_listed(client):
    UserFactory(display_name="Visible Vera", listed=True)
    UserFactory(display_name="Hidden Hugo", listed=False)

    page = client.get("/people/").content.decode()

    assert "Visible Vera" in page
    assert "Hidden Hugo" not in page


def test_me_offers_the_private_calendar_address(client):
    person = UserFactory()
    client.force_login(person)

    page = client.get("/me/").content.decode()

    assert f"/calendar/{person.calendar_token}.ics" in page
    assert 'action="/calendar/revoke/"' in page


def test_people_is_paginated_and_searchable(client):
    for n in range(50):
        UserFactory(display_name=f"Personne {n:02d}", listed=True)
    UserFactory(display_name="Zoé Zéphyr", listed=True)

    first = client.get("/people/").content.decode()
    found = client.get("/people/", {"q": "zéph"}).content.decode()

    assert "Page 1 sur 2" in first
    assert "Zoé Zéphyr" not in first
    assert "Zoé Zéphyr" in found
    assert "Personne 01" not in found


def test_admin_header_names_the_assembly_software_in_french(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")

    assert "Administration d’Assemblée" in response.content.decode()


def test_missing_page_is_a_french_page_of_the_site(client):
    response = client.get("/commons/no-such-commons/")

    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr">' in page
    assert "<h1>Page introuvable</h1>" in page
    assert page.count("<h1") == 1


def test_forbidden_page_says_who_may_see_it(client):
    client.force_login(UserFactory())

    response = client.get("/deliveries/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in page
    assert "facilitateur·ices" in page


def test_server_error_page_renders_without_a_request():
    # As handler500 renders it: no request, the assembly's name only (assembly/unavailable.py).
    page = render_to_string("500.html", {"assembly": {"name": "Assemblée"}})

    assert "<h1>Quelque chose s’est mal passé</h1>" in page
