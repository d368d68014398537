"""Discovery and the actor: what Mastodon and Mobilizon read first; the administrator's switch."""

import json

import pytest
from django.urls import reverse

from federation import publishing
from federation.models import Follower, Publication
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(settings):
    settings.SITE_URL = "http://testserver"
    return publishing.configure(True, "assemblee")


def test_webfinger_finds_actor_by_handle(client, published):
    response = client.get(
        reverse("activitypub:webfinger"), {"resource": "acct:assemblee@testserver"}
    )

    assert response["Content-Type"] == "application/jrd+json"
    document = json.loads(response.content)
    assert document["subject"] == "acct:assemblee@testserver"
    assert document["links"][0] == {
        "rel": "self",
        "type": "application/activity+json",
        "href": "http://testserver/fediverse/actor",
    }


def test_webfinger_unknown_handle_404(client, published):
    response = client.get(reverse("activitypub:webfinger"), {"resource": "acct:relay@testserver"})

    assert response.status_code == 404


def test_nodeinfo_links_to_application_actor(client, published):
    links = json.loads(client.get(reverse("activitypub:nodeinfo-links")).content)["links"]

    assert links == [
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": "http://testserver/nodeinfo/2.1",
        },
        {
            "rel": "https://www.w3.org/ns/activitystreams#Application",
            "href": "http://testserver/fediverse/actor",
        },
    ]
    document = json.loads(client.get(reverse("activitypub:nodeinfo")).content)
    assert (document["version"], document["software"]["name"]) == ("2.1", "assemblee")
    assert document["protocols"] == ["activitypub"]


def test_actor_json_to_servers_html_to_browsers(client, published):
    as_json = client.get(
        reverse("activitypub:actor"), headers={"Accept": "application/activity+json"}
    )
    as_html = client.get(reverse("activitypub:actor"), headers={"Accept": "text/html"})

    actor = json.loads(as_json.content)
    assert as_json["Content-Type"] == "application/activity+json"
    assert (actor["type"], actor["preferredUsername"]) == ("Application", "assemblee")
    assert actor["publicKey"]["owner"] == actor["id"]
    assert actor["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert actor["icon"]["mediaType"] == "image/png"
    assert "@assemblee@testserver" in as_html.content.decode()


def test_key_pair_kept_across_requests(client, published):
    first = json.loads(
        client.get(
            reverse("activitypub:actor"), headers={"Accept": "application/activity+json"}
        ).content
    )
    second = json.loads(
        client.get(
            reverse("activitypub:actor"), headers={"Accept": "application/activity+json"}
        ).content
    )

    assert first["publicKey"] == second["publicKey"]


def test_followers_collection_counts_without_listing(client, published):
    Follower.objects.create(
        actor_url="https://s.example/u/a", inbox_url="https://s.example/u/a/inbox"
    )

    collection = json.loads(client.get(reverse("activitypub:followers")).content)

    assert collection["totalItems"] == 1
    assert "orderedItems" not in collection and "items" not in collection


@pytest.mark.parametrize(
    "name",
    [
        "activitypub:webfinger",
        "activitypub:nodeinfo-links",
        "activitypub:nodeinfo",
        "activitypub:actor",
        "activitypub:outbox",
        "activitypub:followers",
    ],
)
def test_everything_absent_while_switched_off(client, name):
    assert Publication.get().enabled is False

    response = client.get(reverse(name), {"resource": "acct:assemblee@testserver"})

    assert response.status_code == 404


def test_administrator_turns_publication_on_with_handle(client, settings):
    settings.SITE_URL = "http://testserver"
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(reverse("network:fediverse"), {"enabled": "on", "handle": "lillebonne"})

    assert response.status_code == 302
    publication = Publication.get()
    assert (publication.enabled, publication.handle) == (True, "lillebonne")
    assert publication.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")


def test_bad_handle_refused_and_nothing_saved(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(reverse("network:fediverse"), {"enabled": "on", "handle": "Relay!"})

    assert response.status_code == 200
    assert (Publication.get().enabled, Publication.get().handle) == (False, "assemblee")


def test_facilitator_cannot_switch(client):
    client.force_login(UserFactory())

    response = client.post(reverse("network:fediverse"), {"enabled": "on", "handle": "x"})

    assert response.status_code == 403
    assert Publication.get().enabled is False
