"""A fediverse server of the test's own, on 127.0.0.1, follows the assembly (in live_server) over
real HTTP, and checks what it receives with an HTTP Signatures implementation that is not ours
(apsig): the signed Accept of its Follow, then the Create{Event} of a new meeting."""

import json

import pytest
import urllib3
from apsig.draft.verify import Verifier

from federation import deliveries, fetching, inbox, publishing
from federation.models import Follower
from tests.workshops.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _get_json(url: str, accept: str) -> dict:
    return json.loads(fetching.fetch(url, accept=accept).body)


def _verified_by_apsig(received: dict, public_pem: str, remote_base: str, method="POST") -> str:
    return Verifier(
        public_pem=public_pem,
        method=method,
        url=remote_base + received["path"],
        headers=received["headers"],
        body=received["body"],
    ).verify(raise_on_fail=True)


def test_remote_server_follows_and_receives_signed_accept_and_create_event(
    live_server, remote_fediverse, allow_loopback, settings
):
    settings.SITE_URL = live_server.url
    publishing.configure(True, "assemblee")
    host = live_server.url.split("://", 1)[1]

    # Discovery, as Mastodon does it: WebFinger, then the actor as activity+json.
    finger = _get_json(
        f"{live_server.url}/.well-known/webfinger?resource=acct:assemblee@{host}",
        "application/jrd+json",
    )
    actor_url = next(link["href"] for link in finger["links"] if link["rel"] == "self")
    actor = _get_json(actor_url, "application/activity+json")
    assert actor["type"] == "Application"
    assert actor["preferredUsername"] == "assemblee"
    # …and as Mobilizon does it: NodeInfo's FEP-2677 link to the instance actor.
    links = _get_json(f"{live_server.url}/.well-known/nodeinfo", "application/json")["links"]
    application = [
        link["href"]
        for link in links
        if link["rel"] == "https://www.w3.org/ns/activitystreams#Application"
    ]
    assert application == [actor_url]

    # Alice follows the assembly with a Follow signed by apsig.
    follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{remote_fediverse.actor_url}#follows/1",
        "type": "Follow",
        "actor": remote_fediverse.actor_url,
        "object": actor_url,
    }
    remote_fediverse.require_signed_fetch = True
    body, headers = remote_fediverse.signed(actor["inbox"], follow)
    answer = urllib3.request("POST", actor["inbox"], body=body, headers=headers)
    assert answer.status == 202

    # The worker: fetches Alice's key, verifies, stores her, and sends the Accept.
    assert inbox.process_received() == {"followed": 1}
    # It fetched Alice's key with a GET signed by the assembly's key (authorized fetch).
    fetch = remote_fediverse.fetched[-1]
    assert fetch["path"] == "/users/alice"
    assert (
        _verified_by_apsig(
            {**fetch, "body": b""},
            actor["publicKey"]["publicKeyPem"],
            remote_fediverse.base_url,
            method="GET",
        )
        == actor["publicKey"]["id"]
    )
    follower = Follower.objects.get()
    assert (follower.actor_url, follower.shared_inbox_url) == (
        remote_fediverse.actor_url, f"{remote_fediverse.base_url}/inbox",
    )  # fmt: skip
    assert deliveries.deliver_due() == {"sent": 1}

    accept = remote_fediverse.received[-1]
    assert accept["path"] == "/users/alice/inbox"
    key_id = _verified_by_apsig(
        accept, actor["publicKey"]["publicKeyPem"], remote_fediverse.base_url
    )
    assert key_id == actor["publicKey"]["id"]
    accepted = json.loads(accept["body"])
    assert (accepted["type"], accepted["actor"], accepted["object"]["id"]) == (
        "Accept", actor_url, follow["id"],
    )  # fmt: skip
    assert set(accept["headers"]["Signature"].split('headers="')[1].split('"')[0].split()) == {
        "(request-target)", "host", "date", "digest",
    }  # fmt: skip

    # A meeting is planned: its Event reaches Alice's server's shared inbox, signed.
    meeting = MeetingFactory(
        title="Assemblée de février",
        venue=VenueFactory(
            name="La Filature", address="12 rue des Tisserands, 59000 Lille",
            latitude=50.63, longitude=3.06,
        ),
    )  # fmt: skip
    assert publishing.publish_events() == {"Create": 1, "Update": 0, "Delete": 0, "Note": 0}
    assert deliveries.deliver_due() == {"sent": 1}

    create = remote_fediverse.received[-1]
    assert create["path"] == "/inbox"
    assert (
        _verified_by_apsig(create, actor["publicKey"]["publicKeyPem"], remote_fediverse.base_url)
        == actor["publicKey"]["id"]
    )
    activity = json.loads(create["body"])
    event = activity["object"]
    assert (activity["type"], event["type"], event["name"]) == (
        "Create", "Event", "Assemblée de février",
    )  # fmt: skip
    assert event["url"] == f"{live_server.url}/meetings/{meeting.pk}/"
    assert event["location"]["address"]["postalCode"] == "59000"
    assert event["location"]["latitude"] == 50.63
    # The Event its id names is the one a server fetches back, as activity+json.
    assert fetching.fetch(event["id"], accept="text/html").status == 200
