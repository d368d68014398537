"""The three Atom feeds, routed under /feeds/ by the composition root: open to everyone, and
announced by each page they mirror (a <link rel="alternate"> in the head and a visible link)."""

import re

import pytest
from django.urls import reverse

from tests.decisions.factories import MemberFactory
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db

FEEDS = ["feeds:agenda", "feeds:decisions", "feeds:commons"]


def test_feeds_are_at_their_contract_urls():
    assert [reverse(name) for name in FEEDS] == [
        "/feeds/agenda.atom",
        "/feeds/decisions.atom",
        "/feeds/commons.atom",
    ]


@pytest.mark.parametrize("role", ["anonymous", "participant", "member", "facilitator", "admin"])
@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_is_open_to_everyone(client, role, name):
    people = {
        "anonymous": None,
        "participant": UserFactory,
        "member": MemberFactory,
        "facilitator": FacilitatorFactory,
        "admin": lambda: UserFactory(is_staff=True, is_superuser=True),
    }
    if people[role] is not None:
        client.force_login(people[role]())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/meetings/", ["agenda"]),
        ("/decisions/", ["decisions"]),
        ("/commons/", ["commons"]),
        ("/commons/map/", ["commons"]),
        ("/", ["agenda", "decisions", "commons"]),
    ],
)
def test_each_page_announces_its_feed_in_the_head_and_links_to_it(client, page, feeds):
    html = client.get(page).content.decode()
    head, body = html.split("</head>")

    for feed in feeds:
        url = f"/feeds/{feed}.atom"
        announced = (
            rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{url}">'
        )
        assert re.search(announced, head)
        assert f'<a href="{url}" type="application/atom+xml">' in body
