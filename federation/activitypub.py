"""The ActivityPub documents we publish: the actor, WebFinger, NodeInfo, Events and activities.

One actor, of type `Application`, speaks for the assembly. Mobilizon follows an instance's
`Application` actor, which it finds through the NodeInfo link of FEP-2677; Mastodon follows it
by its handle through WebFinger. Every id is an absolute URL under SITE_URL, so that a worker
without a request builds the same ids as the web process.
"""

import uuid

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from assembly.addresses import split_address
from assembly.markdown import render_markdown
from assembly.models import AssemblyConfiguration

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTIVITY_JSON = "application/activity+json"
LD_JSON = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
APPLICATION_REL = "https://www.w3.org/ns/activitystreams#Application"
NODEINFO_REL = "http://nodeinfo.diaspora.software/ns/schema/2.1"
SOFTWARE_VERSION = "0.1.0"
OUTBOX_ITEMS = 20
# The terms Mobilizon (and FEP-8a8e) add to ActivityStreams for events.
EVENT_CONTEXT = {
    "sc": "http://schema.org/",
    "mz": "https://joinmobilizon.org/ns#",
    "ical": "http://www.w3.org/2002/12/cal/ical#",
    "PostalAddress": "sc:PostalAddress",
    "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
    "streetAddress": "sc:streetAddress",
    "postalCode": "sc:postalCode",
    "addressLocality": "sc:addressLocality",
    "addressCountry": "sc:addressCountry",
    "eventStatus": "sc:eventStatus",
    "organizers": {"@id": "mz:organizers", "@type": "@id"},
    "timezone": "mz:timezone",
    "joinMode": "mz:joinMode",
    "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "@id"},
    "category": "mz:category",
    "formerType": "as:formerType",
}
CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", EVENT_CONTEXT]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def actor_url() -> str:
    return absolute(reverse("activitypub:actor"))


def key_id() -> str:
    return actor_url() + "#main-key"


def followers_url() -> str:
    return absolute(reverse("activitypub:followers"))


def new_activity_id() -> str:
    return absolute(reverse("activitypub:actor")) + f"/activities/{uuid.uuid4()}"


def logo_url() -> str:
    return absolute(static("og-image.png"))


def actor_document(publication) -> dict:
    configuration = AssemblyConfiguration.get()
    return {
        "@context": CONTEXT,
        "id": actor_url(),
        "type": "Application",
        "preferredUsername": publication.handle,
        "name": configuration.name,
        "summary": escape(configuration.tagline or configuration.name),
        "url": absolute(reverse("home")),
        "icon": {"type": "Image", "mediaType": "image/png", "url": logo_url()},
        "inbox": absolute(reverse("activitypub:inbox")),
        "outbox": absolute(reverse("activitypub:outbox")),
        "followers": followers_url(),
        "endpoints": {"sharedInbox": absolute(reverse("activitypub:inbox"))},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {
            "id": key_id(),
            "owner": actor_url(),
            "publicKeyPem": publication.public_key_pem,
        },
    }


def webfinger_document(publication) -> dict:
    return {
        "subject": f"acct:{publication.handle}@{host()}",
        "aliases": [actor_url()],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": actor_url()},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": absolute(reverse("home")),
            },
        ],
    }


def nodeinfo_links() -> dict:
    """/.well-known/nodeinfo, with FEP-2677's link to the instance actor."""
    return {
        "links": [
            {"rel": NODEINFO_REL, "href": absolute(reverse("activitypub:nodeinfo"))},
            {"rel": APPLICATION_REL, "href": actor_url()},
        ]
    }


def nodeinfo_document(local_posts: int) -> dict:
    configuration = AssemblyConfiguration.get()
    return {
        "version": "2.1",
        "software": {"name": "assemblee", "version": SOFTWARE_VERSION},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0"]},
        "openRegistrations": True,
        "usage": {"users": {}, "localPosts": local_posts},
        "metadata": {"nodeName": configuration.name},
    }


def _when(meeting) -> str:
    """ "jeudi 28 janvier 2027, 18:00–21:00", in the site's language (Mastodon shows summary)."""
    starts = timezone.localtime(meeting.starts_at)
    ends = timezone.localtime(meeting.ends_at)
    day = formats.date_format(starts, "l j F Y")
    end = formats.time_format(ends, "H:i")
    if ends.date() != starts.date():
        end = f"{formats.date_format(ends, 'l j F Y')} {end}"
    return f"{day}, {formats.time_format(starts, 'H:i')}–{end}"


def event_object(meeting) -> dict:
    """A meeting as an Event of FEP-8a8e, with Mobilizon's extensions beside it.

    `updated` and `published` stay out of the digest (publishing.py): only what a follower sees
    makes an Update.
    """
    url = absolute(meeting.get_absolute_url())
    with translation.override(settings.LANGUAGE_CODE):
        when = _when(meeting)
        kind = str(meeting.get_kind_display())
    venue = meeting.venue
    place = f" · {venue.name}" if venue else ""
    summary = f"{meeting.title} — {when}{place}"
    paragraphs = [f"<p>{escape(kind.capitalize())} — {escape(when)}</p>"]
    location = None
    if venue:
        address = split_address(venue.address)
        location = {
            "type": "Place",
            "name": venue.name,
            "address": {"type": "PostalAddress", **address},
        }
        if venue.latitude is not None and venue.longitude is not None:
            location["latitude"] = float(venue.latitude)
            location["longitude"] = float(venue.longitude)
        paragraphs.append(f"<p>{escape(venue.name)}<br>{escape(venue.address)}</p>")
    if meeting.is_cancelled:
        paragraphs.append(f"<p>{escape(meeting.cancellation_reason)}</p>")
    paragraphs.append(f'<p><a href="{escape(url)}">{escape(url)}</a></p>')
    cancelled = meeting.is_cancelled
    return {
        "id": url,
        "type": "Event",
        "name": meeting.title,
        "summary": summary,
        "content": "".join(paragraphs),
        "mediaType": "text/html",
        "startTime": timezone.localtime(meeting.starts_at).isoformat(),
        "endTime": timezone.localtime(meeting.ends_at).isoformat(),
        "timezone": settings.TIME_ZONE,
        "url": url,
        "attributedTo": actor_url(),
        "organizers": [actor_url()],
        "eventStatus": "EventCancelled" if cancelled else "EventScheduled",
        "ical:status": "CANCELLED" if cancelled else "CONFIRMED",
        "location": location,
        "joinMode": "external",
        "externalParticipationUrl": url,
        "category": "MEETING",
        "attachment": [],
        "to": [PUBLIC],
        "cc": [followers_url()],
        "published": meeting.created_at.isoformat(),
        "updated": meeting.updated_at.isoformat(),
    }


def decision_note(decision) -> dict:
    """An adopted decision as a Note: its title, the proposal adopted, the link to its page."""
    url = absolute(decision.get_absolute_url())
    with translation.override(settings.LANGUAGE_CODE):
        adopted = str(_("Adopted by consent"))
    return {
        "id": url + "#adopted",
        "type": "Note",
        "name": decision.title,
        "summary": None,
        "content": (
            f"<p><strong>{escape(adopted)} : {escape(decision.title)}</strong></p>"
            f"{render_markdown(decision.proposal)}"
            f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
        ),
        "mediaType": "text/html",
        "url": url,
        "attributedTo": actor_url(),
        "published": decision.closed_at.isoformat(),
        "to": [PUBLIC],
        "cc": [followers_url()],
        "attachment": [],
    }


def tombstone(object_id: str, now) -> dict:
    return {"id": object_id, "type": "Tombstone", "formerType": "Event", "deleted": now.isoformat()}


def public_activity(kind: str, obj: dict, now) -> dict:
    """Create, Update or Delete of an Event, addressed to everyone and to our followers."""
    return {
        "@context": CONTEXT,
        "id": new_activity_id(),
        "type": kind,
        "actor": actor_url(),
        "published": now.isoformat(),
        "to": [PUBLIC],
        "cc": [followers_url()],
        "object": obj,
    }


def answer(kind: str, received: dict, now) -> dict:
    """Accept (of a Follow) or Ignore (of a Join), addressed to the actor who sent it."""
    return {
        "@context": CONTEXT,
        "id": new_activity_id(),
        "type": kind,
        "actor": actor_url(),
        "published": now.isoformat(),
        "to": [received["actor"]],
        "object": {
            key: received[key] for key in ("id", "type", "actor", "object") if key in received
        },
    }
