"""Our inbox: what other servers send the assembly, checked, then acted on in the worker.

The web request does only what is cheap and refuses what is plainly wrong: a body over the cap,
no readable signature, a Date outside the window, a Digest that does not match, a signature seen
before (a replay). When the signing key is already known it verifies at once (401 otherwise);
when it is not, it keeps the request as received and answers 202: the worker fetches the key
through the guarded fetcher, verifies, then acts. Either way the key's owner must be the
activity's actor.

Acting: `Follow` of our actor → a follower, answered with a signed `Accept`; `Undo{Follow}` and
`Delete` of the follower's own actor → the follower removed; `Join` → `Ignore` (people join a
meeting on its page, not from afar); anything else → dropped.
"""

import datetime
import hashlib
import json
import logging
from urllib.parse import urldefrag, urlsplit

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from assembly.tasking import enqueue_on_commit

from . import activitypub, fetching, httpsig
from .models import Follower, InboxItem, Publication, RemoteKey
from .publishing import record_activity

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
MAX_ACTOR_BYTES = 512 * 1024
KEEP_HANDLED = datetime.timedelta(days=7)
KEY_REFRESH_AFTER = datetime.timedelta(days=1)
# Headers the worker needs to verify later; the rest of the request is not kept.
KEPT_HEADERS = ("host", "date", "digest", "signature", "content-type", "authorization")


class Refused(Exception):
    """A request the inbox refuses; status is the HTTP answer."""

    def __init__(self, reason: str, status: int = 401):
        super().__init__(reason)
        self.status = status


def domain_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _id_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _seen_before(signature_header: str) -> bool:
    """True the second time a signature comes within the Date window (a replayed request)."""
    key = "ap-signature:" + hashlib.sha256(signature_header.encode()).hexdigest()
    return not cache.add(key, 1, timeout=int(httpsig.DATE_WINDOW.total_seconds()) * 2)


def receive(method: str, target: str, headers: dict, body: bytes, now=None) -> InboxItem:
    """Check a POST to the inbox and keep it for the worker; Refused says why not.

    headers: lower-case names.
    """
    now = now or timezone.now()
    if len(body) > MAX_BODY_BYTES:
        raise Refused("body too large", 413)
    try:
        signature = httpsig.parse_signature(headers.get("signature", ""))
        httpsig.check_request(
            signature, method, target, headers, body, now, httpsig.REQUIRED_FOR_POST
        )
    except httpsig.SignatureError as error:
        raise Refused(str(error)) from error
    try:
        activity = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise Refused("the body is not JSON", 400) from error
    if not isinstance(activity, dict) or not _id_of(activity.get("actor")):
        raise Refused("not an activity", 400)
    key_id = urldefrag(signature.key_id)[0]
    if domain_of(key_id) != domain_of(_id_of(activity["actor"])):
        raise Refused("the key and the actor are not of one server")
    known = RemoteKey.objects.filter(key_id=signature.key_id).first()
    verified = ""
    if known is not None:
        if known.owner != _id_of(activity["actor"]):
            raise Refused("the key's owner is not the activity's actor")
        try:
            httpsig.verify_request(
                known.public_key_pem, method, target, headers, body, now,
                httpsig.REQUIRED_FOR_POST,
            )  # fmt: skip
            verified = signature.key_id
        except httpsig.SignatureError as error:
            # A key kept for long may have been rotated since: the worker fetches it again and
            # verifies then. A key fetched lately that does not match is a forgery.
            if now - known.fetched_at < KEY_REFRESH_AFTER:
                raise Refused(str(error)) from error
    if _seen_before(headers.get("signature", "")):
        raise Refused("this signature was already received")
    item = InboxItem.objects.create(
        method=method, target=target, body=body, received_at=now, verified_key_id=verified,
        actor_url=_id_of(activity["actor"])[:500],
        headers={name: headers[name] for name in KEPT_HEADERS if name in headers},
    )  # fmt: skip
    enqueue_on_commit("federation.process_inbox")
    return item


def _signed_get(url: str) -> dict:
    """Our actor's signature of a GET, for servers that answer only signed fetches."""
    publication = Publication.get()
    if not publication.private_key_pem:
        return {}
    headers = httpsig.signed_headers(
        publication.private_key_pem, activitypub.key_id(), "GET", url, None, timezone.now()
    )
    headers.pop("Host")  # the fetcher sets it from the URL, as it connects to the checked address
    return headers


def fetch_actor(url: str) -> dict:
    """A remote actor's document, through the guarded fetcher; FetchError if unusable."""
    fetched = fetching.fetch(
        url,
        accept=f"{activitypub.ACTIVITY_JSON}, {activitypub.LD_JSON.split(';')[0]}",
        sign=_signed_get,
    )
    if len(fetched.body) > MAX_ACTOR_BYTES:
        raise fetching.FetchError("actor document too large")
    try:
        document = json.loads(fetched.body)
    except (UnicodeDecodeError, ValueError) as error:
        raise fetching.FetchError("the actor document is not JSON") from error
    if not isinstance(document, dict) or _id_of(document) != urldefrag(url)[0]:
        raise fetching.FetchError("the actor document is not the one asked for")
    return document


def fetch_key(key_id: str) -> tuple[RemoteKey, dict]:
    """The key (and its owner's document), fetched from the key's URL and kept."""
    document = fetch_actor(urldefrag(key_id)[0])
    key = document.get("publicKey")
    keys = key if isinstance(key, list) else [key]
    for candidate in keys:
        if isinstance(candidate, dict) and candidate.get("id") == key_id:
            owner = candidate.get("owner") or document["id"]
            pem = candidate.get("publicKeyPem") or ""
            if owner != document["id"] or not isinstance(pem, str):
                break
            remote, _created = RemoteKey.objects.update_or_create(
                key_id=key_id,
                defaults={"owner": owner, "public_key_pem": pem, "fetched_at": timezone.now()},
            )
            return remote, document
    raise fetching.FetchError("the actor document does not hold this key")


def process_item(item_id: int, now=None) -> str:
    """Verify (if need be) and act on one received activity; returns what was done."""
    now = now or timezone.now()
    item = InboxItem.objects.filter(pk=item_id, state=InboxItem.State.RECEIVED).first()
    if item is None:
        return "gone"
    headers = dict(item.headers)
    body = bytes(item.body)
    activity = json.loads(body)
    actor_id = _id_of(activity.get("actor"))
    actor_document = None
    try:
        if not item.verified_key_id:
            signature = httpsig.parse_signature(headers.get("signature", ""))
            key, actor_document = fetch_key(signature.key_id)
            if key.owner != actor_id:
                raise httpsig.SignatureError("the key's owner is not the activity's actor")
            httpsig.verify_request(
                key.public_key_pem, item.method, item.target, headers, body, item.received_at,
                httpsig.REQUIRED_FOR_POST,
            )  # fmt: skip
        outcome = act(activity, actor_document, now)
        state = InboxItem.State.DONE
    except (httpsig.SignatureError, fetching.FetchError) as error:
        outcome, state = f"refused: {error}", InboxItem.State.REFUSED
        logger.info("fediverse inbox item %s refused: %s", item.pk, error)
    InboxItem.objects.filter(pk=item.pk, state=InboxItem.State.RECEIVED).update(
        state=state, outcome=outcome[:300]
    )
    return outcome


def _inboxes_of(actor_document: dict) -> tuple[str, str]:
    inbox = actor_document.get("inbox")
    endpoints = actor_document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else ""
    if not isinstance(inbox, str) or not inbox:
        raise fetching.FetchError("the actor has no inbox")
    fetching.check_url(inbox)
    if isinstance(shared, str) and shared:
        fetching.check_url(shared)
    else:
        shared = ""
    return inbox, shared


def act(activity: dict, actor_document: dict | None, now) -> str:
    kind = activity.get("type")
    actor_id = _id_of(activity.get("actor"))
    target = _id_of(activity.get("object"))
    if kind == "Follow" and target == activitypub.actor_url():
        document = actor_document or fetch_actor(actor_id)
        inbox, shared = _inboxes_of(document)
        with transaction.atomic():
            Follower.objects.update_or_create(
                actor_url=actor_id,
                defaults={
                    "inbox_url": inbox,
                    "shared_inbox_url": shared,
                    "follow_activity_id": _id_of(activity)[:500],
                    "followed_at": now,
                },
            )
            record_activity(activitypub.answer("Accept", activity, now), [inbox], False, now)
        return "followed"
    if kind == "Undo" and isinstance(activity.get("object"), dict):
        undone = activity["object"]
        if undone.get("type") == "Follow" and _id_of(undone.get("actor")) in ("", actor_id):
            deleted, _rows = Follower.objects.filter(actor_url=actor_id).delete()
            return "unfollowed" if deleted else "not following"
        return "dropped"
    if kind == "Delete" and target == actor_id:
        deleted, _rows = Follower.objects.filter(actor_url=actor_id).delete()
        return "actor deleted" if deleted else "dropped"
    if kind == "Join":
        inbox, _shared = _inboxes_of(actor_document or fetch_actor(actor_id))
        with transaction.atomic():
            record_activity(activitypub.answer("Ignore", activity, now), [inbox], False, now)
        return "ignored"
    return "dropped"


def process_received(now=None) -> dict:
    """Act on what was received; forget what was dealt with a week ago (data minimisation)."""
    now = now or timezone.now()
    InboxItem.objects.exclude(state=InboxItem.State.RECEIVED).filter(
        received_at__lt=now - KEEP_HANDLED
    ).delete()
    counts: dict[str, int] = {}
    for item_id in list(
        InboxItem.objects.filter(state=InboxItem.State.RECEIVED)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:200]
    ):
        outcome = process_item(item_id, now).split(":", 1)[0]
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
