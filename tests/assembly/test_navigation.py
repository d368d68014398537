"""The main navigation marks the section a page belongs to, by the page's route, not its path."""

import re

import pytest
from django.template.loader import render_to_string

from tests.commons_registry.factories import CommonsFactory

NAV = re.compile(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', re.DOTALL)
CURRENT = re.compile(r'<a href="([^"]*)" aria-current="page">')


def current_section(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return CURRENT.findall(NAV.search(response.content.decode())[1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/commons/", "/commons/"),
        ("/commons/map/", "/commons/"),
        ("/meetings/", "/meetings/"),
        ("/decisions/", "/decisions/"),
        ("/charter/", "/charter/"),
        ("/charter/versions/", "/charter/"),
        ("/people/", "/people/"),
    ],
)
def test_navigation_marks_the_section_of_the_page(client, path, section):
    assert current_section(client, path) == [section]


@pytest.mark.django_db
def test_a_commons_entry_belongs_to_the_commons_section(client):
    commons = CommonsFactory()

    assert current_section(client, commons.get_absolute_url()) == ["/commons/"]


@pytest.mark.django_db
def test_home_marks_no_section(client):
    assert current_section(client, "/") == []


@pytest.mark.django_db
def test_missing_page_leads_back_to_home_agenda_and_directory(client):
    page = client.get("/commons/no-such-commons/").content.decode()

    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert re.findall(r'href="([^"#]*)"', main) == ["/", "/meetings/", "/commons/"]


def test_server_error_page_leads_back_home():
    # As handler500 renders it: no request, the assembly's name only (assembly/unavailable.py).
    page = render_to_string("500.html", {"assembly": {"name": "Assemblée"}})

    assert '<a href="/">' in page
