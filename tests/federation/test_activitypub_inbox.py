"""The inbox refuses what it must: forged, replayed, stale, unsigned and oversized requests, and
too many of them; it acts on Follow, Undo, Delete and Join."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from federation import httpsig, inbox, publishing
from federation.models import Activity, ActivityDelivery, Follower, InboxItem, RemoteKey

pytestmark = pytest.mark.django_db

INBOX = "http://testserver/fediverse/inbox"
ALICE = "https://social.example/users/alice"


@pytest.fixture
def published(settings):
    settings.SITE_URL = "http://testserver"
    return publishing.configure(True, "assemblee")


@pytest.fixture
def alice_key():
    private, public = httpsig.generate_key_pair()
    RemoteKey.objects.create(key_id=f"{ALICE}#main-key", owner=ALICE, public_key_pem=public)
    return private


def _follow(**changes) -> dict:
    return {
        "id": f"{ALICE}#follows/{timezone.now().timestamp()}",
        "type": "Follow",
        "actor": ALICE,
        "object": "http://testserver/fediverse/actor",
        **changes,
    }


def _post(client, activity, private, *, now=None, body=None, key_id=f"{ALICE}#main-key"):
    body = body if body is not None else json.dumps(activity).encode()
    headers = httpsig.signed_headers(private, key_id, "POST", INBOX, body, now or timezone.now())
    return client.post(
        reverse("activitypub:inbox"), data=body, content_type="application/activity+json",
        headers=headers,
    )  # fmt: skip


def test_known_key_signed_follow_accepted_and_answered(client, published, alice_key):
    response = _post(client, _follow(), alice_key)

    assert response.status_code == 202
    item = InboxItem.objects.get()
    assert item.verified_key_id == f"{ALICE}#main-key"


def test_forged_signature_refused_at_once(client, published, alice_key):
    forger, _public = httpsig.generate_key_pair()

    response = _post(client, _follow(), forger)

    assert response.status_code == 401
    assert InboxItem.objects.count() == 0


def test_replayed_request_refused(client, published, alice_key):
    body = json.dumps(_follow()).encode()
    headers = httpsig.signed_headers(
        alice_key, f"{ALICE}#main-key", "POST", INBOX, body, timezone.now()
    )
    first = client.post(
        reverse("activitypub:inbox"),
        data=body,
        content_type="application/activity+json",
        headers=headers,
    )

    again = client.post(
        reverse("activitypub:inbox"),
        data=body,
        content_type="application/activity+json",
        headers=headers,
    )

    assert (first.status_code, again.status_code) == (202, 401)
    assert InboxItem.objects.count() == 1


def test_stale_request_refused(client, published, alice_key):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)

    response = _post(client, _follow(), alice_key, now=an_hour_ago)

    assert response.status_code == 401
    assert InboxItem.objects.count() == 0


def test_body_not_matching_digest_refused(client, published, alice_key):
    body = json.dumps(_follow()).encode()
    headers = httpsig.signed_headers(
        alice_key, f"{ALICE}#main-key", "POST", INBOX, body, timezone.now()
    )

    response = client.post(
        reverse("activitypub:inbox"), data=body.replace(b"Follow", b"Flag__"),
        content_type="application/activity+json", headers=headers,
    )  # fmt: skip

    assert response.status_code == 401
    assert InboxItem.objects.count() == 0


def test_oversized_request_refused(client, published, alice_key):
    padding = "x" * (inbox.MAX_BODY_BYTES + 1)

    response = _post(client, _follow(summary=padding), alice_key)

    assert response.status_code == 413
    assert InboxItem.objects.count() == 0


def test_unsigned_request_refused(client, published):
    response = client.post(
        reverse("activitypub:inbox"), data=json.dumps(_follow()),
        content_type="application/activity+json",
    )  # fmt: skip

    assert response.status_code == 401


def test_key_of_another_actor_refused(client, published, alice_key):
    response = _post(client, _follow(actor="https://social.example/users/bob"), alice_key)

    assert response.status_code == 401
    assert InboxItem.objects.count() == 0


def test_unknown_key_kept_for_the_worker(client, published):
    stranger, _public = httpsig.generate_key_pair()

    response = _post(client, _follow(), stranger)

    assert response.status_code == 202
    assert InboxItem.objects.get().verified_key_id == ""


def test_unknown_key_that_cannot_be_fetched_refused_by_the_worker(client, published):
    stranger, _public = httpsig.generate_key_pair()
    _post(client, _follow(), stranger)  # social.example resolves nowhere here

    counts = inbox.process_received()

    assert counts == {"refused": 1}
    assert Follower.objects.count() == 0
    assert InboxItem.objects.get().state == InboxItem.State.REFUSED


def test_inbox_per_ip_rate_limit(client, published, alice_key, settings):
    settings.ACCOUNT_RATE_LIMITS = {"activitypub_inbox": "2/m/ip"}

    answers = [_post(client, _follow(), alice_key).status_code for _ in range(3)]

    assert answers == [202, 202, 429]


def test_inbox_per_domain_rate_limit(client, published, alice_key, settings):
    settings.ACCOUNT_RATE_LIMITS = {"activitypub_server": "2/m/key"}

    answers = [_post(client, _follow(), alice_key).status_code for _ in range(3)]

    assert answers == [202, 202, 429]


def test_inbox_absent_while_switched_off(client, alice_key, settings):
    settings.SITE_URL = "http://testserver"

    response = _post(client, _follow(), alice_key)

    assert response.status_code == 404


def _actor_document() -> dict:
    return {
        "id": ALICE,
        "inbox": f"{ALICE}/inbox",
        "endpoints": {"sharedInbox": "https://social.example/inbox"},
    }


def test_follow_stores_follower_and_queues_accept(published):
    follow = _follow()

    outcome = inbox.act(follow, _actor_document(), timezone.now())

    assert outcome == "followed"
    follower = Follower.objects.get()
    assert follower.delivery_inbox == "https://social.example/inbox"
    accept = Activity.objects.get(kind="Accept")
    assert accept.payload["object"]["id"] == follow["id"]
    assert list(accept.deliveries.values_list("inbox_url", flat=True)) == [f"{ALICE}/inbox"]


def test_undo_follow_removes_follower(published):
    follow = _follow()
    inbox.act(follow, _actor_document(), timezone.now())

    outcome = inbox.act(
        {"id": f"{ALICE}#undo", "type": "Undo", "actor": ALICE, "object": follow},
        None, timezone.now(),
    )  # fmt: skip

    assert outcome == "unfollowed"
    assert Follower.objects.count() == 0


def test_delete_of_own_actor_removes_follower(published):
    inbox.act(_follow(), _actor_document(), timezone.now())

    outcome = inbox.act(
        {"id": f"{ALICE}#delete", "type": "Delete", "actor": ALICE, "object": ALICE},
        None, timezone.now(),
    )  # fmt: skip

    assert outcome == "actor deleted"
    assert Follower.objects.count() == 0


def test_join_answered_with_ignore(published):
    join = {
        "id": f"{ALICE}#join",
        "type": "Join",
        "actor": ALICE,
        "object": "http://testserver/meetings/1/",
    }

    outcome = inbox.act(join, _actor_document(), timezone.now())

    assert outcome == "ignored"
    ignore = Activity.objects.get()
    assert (ignore.kind, ignore.payload["object"]["id"], ignore.public) == (
        "Ignore",
        join["id"],
        False,
    )
    assert ActivityDelivery.objects.get().inbox_url == f"{ALICE}/inbox"


def test_other_activity_dropped(published):
    outcome = inbox.act(
        {"id": f"{ALICE}#like", "type": "Like", "actor": ALICE, "object": "x"}, None,
        timezone.now(),
    )  # fmt: skip

    assert outcome == "dropped"
    assert Activity.objects.count() == 0


def test_processing_twice_acts_once(client, published, alice_key, monkeypatch):
    _post(client, _follow(), alice_key)
    monkeypatch.setattr(inbox, "fetch_actor", lambda url: _actor_document())

    first, second = inbox.process_received(), inbox.process_received()

    assert (first, second) == ({"followed": 1}, {})
    assert Activity.objects.filter(kind="Accept").count() == 1


def test_signature_with_rotated_key_checked_again_by_the_worker(client, published, alice_key):
    RemoteKey.objects.update(fetched_at=timezone.now() - datetime.timedelta(days=2))
    rotated, _public = httpsig.generate_key_pair()

    response = _post(client, _follow(), rotated)

    assert response.status_code == 202
    assert InboxItem.objects.get().verified_key_id == ""
