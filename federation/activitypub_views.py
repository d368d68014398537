"""The fediverse's pages: discovery, the actor, its inbox, outbox and followers.

All answer 404 while the publication is switched off, so that nothing says the assembly is on
the fediverse before an administrator decides it is.
"""

import json
import logging

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from assembly import ratelimits

from . import activitypub, publishing
from . import inbox as inbox_rules
from .models import Activity, Follower, Publication

logger = logging.getLogger(__name__)
INBOX_RATE, SERVER_RATE = "activitypub_inbox", "activitypub_server"


def _publication() -> Publication:
    publication = Publication.get()
    if not publication.enabled:
        raise Http404
    return publication


def _activity_json(document: dict, content_type=activitypub.ACTIVITY_JSON) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False).encode(), content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept"
    return response


def wants_activity_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/activity+json" in accept or "application/ld+json" in accept


@require_GET
def webfinger(request):
    """acct:<handle>@<host>, or the actor's URL, leads to the actor (RFC 7033)."""
    publication = _publication()
    resource = request.GET.get("resource", "")
    if not resource:
        return HttpResponse("resource is required", status=400, content_type="text/plain")
    accepted = {f"acct:{publication.handle}@{activitypub.host()}".lower(), activitypub.actor_url()}
    if resource.lower() not in accepted and resource not in accepted:
        raise Http404
    response = JsonResponse(
        activitypub.webfinger_document(publication), content_type="application/jrd+json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request):
    _publication()
    response = JsonResponse(activitypub.nodeinfo_links())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo(request):
    _publication()
    local_posts = Activity.objects.filter(public=True).count()
    response = JsonResponse(
        activitypub.nodeinfo_document(local_posts),
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def actor(request):
    """The actor as JSON to servers; to a browser, a page that says how to follow it."""
    publication = publishing.ensure_keys() if Publication.get().enabled else _publication()
    if wants_activity_json(request):
        return _activity_json(activitypub.actor_document(publication))
    response = render(
        request,
        "federation/actor.html",
        {
            "handle": f"@{publication.handle}@{activitypub.host()}",
            "actor_url": activitypub.actor_url(),
        },
    )
    response["Vary"] = "Accept"
    return response


@require_GET
def outbox(request):
    _publication()
    items = publishing.outbox_items()
    return _activity_json(
        {
            "@context": activitypub.CONTEXT,
            "id": activitypub.absolute(request.path),
            "type": "OrderedCollection",
            "totalItems": len(items),
            "orderedItems": items,
        }
    )


@require_GET
def followers(request):
    """How many follow us, never who: the list is personal data of a kind."""
    _publication()
    return _activity_json(
        {
            "@context": activitypub.CONTEXT,
            "id": activitypub.followers_url(),
            "type": "OrderedCollection",
            "totalItems": Follower.objects.count(),
        }
    )


def _refused(reason: str, status: int) -> HttpResponse:
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def inbox(request):
    """Checks cheaply and keeps; the worker acts (federation/inbox.py)."""
    _publication()
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > inbox_rules.MAX_BODY_BYTES:
        return _refused("body too large", 413)
    if not ratelimits.allow(request, INBOX_RATE):
        return _refused("too many requests", 429)
    headers = {name.lower(): value for name, value in request.headers.items()}
    try:
        key_id = inbox_rules.httpsig.parse_signature(headers.get("signature", "")).key_id
    except inbox_rules.httpsig.SignatureError:
        key_id = ""
    if key_id and not ratelimits.allow(request, SERVER_RATE, inbox_rules.domain_of(key_id)):
        return _refused("too many requests", 429)
    body = request.read(inbox_rules.MAX_BODY_BYTES + 1)
    target = request.get_full_path()
    try:
        inbox_rules.receive(request.method, target, headers, body)
    except inbox_rules.Refused as refusal:
        logger.info("fediverse inbox refused a request: %s", refusal)
        return _refused(str(refusal), refusal.status)
    return HttpResponse(status=202)
