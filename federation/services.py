"""Following neighbours: adding one by its address, refreshing what it publishes, keeping the copy.

A neighbour that fails keeps its last good copy, says since when it fails, and is tried again
after a growing delay; one neighbour's failure or bad data never stops the refresh of the others.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import discovery, fetching, parsing
from .models import Neighbour, NeighbourCommons, NeighbourMeeting

logger = logging.getLogger(__name__)

# After n failures in a row the next attempt waits 2^(n-1) hours, at most a day.
MAX_BACKOFF = datetime.timedelta(hours=24)
FEED_ACCEPT = {
    "discovery": "application/json",
    "commons": "application/geo+json, application/json",
    "calendar": "text/calendar",
}


class FollowError(Exception):
    """A neighbour that cannot be followed; the message is for the administrator."""


@dataclass
class RefreshReport:
    changed: bool = False
    commons: int = 0
    meetings: int = 0
    rejected: int = 0
    error: str = ""


def normalise_base_url(url: str) -> str:
    url = (url or "").strip()
    if url.endswith(discovery.DISCOVERY_PATH):
        url = url[: -len(discovery.DISCOVERY_PATH)]
    return url.rstrip("/")


def fetch_profile(base_url: str, validators: dict | None = None):
    """(fetched response, cleaned profile or None when not modified); FollowError if unusable."""
    try:
        fetched = fetching.fetch(
            discovery.discovery_url(base_url), validators, FEED_ACCEPT["discovery"]
        )
        if fetched.not_modified:
            return fetched, None
        return fetched, discovery.read_document(parsing.load_json(fetched.body))
    except (fetching.FetchError, parsing.FeedError, discovery.InvalidDocument) as error:
        raise FollowError(str(error)) from error


def check_neighbour(url: str) -> tuple[str, dict]:
    """The normalised address and the profile of an assembly one may follow, or FollowError."""
    base_url = normalise_base_url(url)
    try:
        fetching.check_url(base_url)
    except fetching.FetchError as error:
        raise FollowError(str(error)) from error
    if Neighbour.objects.filter(base_url=base_url).exists():
        raise FollowError(_("This assembly is already followed."))
    _fetched, profile = fetch_profile(base_url)
    return base_url, profile


def follow(url: str, now=None) -> Neighbour:
    """Follow the assembly at url once its discovery document is fetched and valid.

    Nothing is saved when the address is bad, unreachable or does not publish a valid document.
    Its feeds are fetched at once; a feed failing there is a refresh failure, shown on the
    neighbour, not a reason to refuse it.
    """
    now = now or timezone.now()
    base_url, profile = check_neighbour(url)
    neighbour = Neighbour.objects.create(base_url=base_url, followed_at=now, **profile)
    refresh_neighbour(neighbour, now=now)
    return neighbour


def store_commons(neighbour: Neighbour, items: list[dict]) -> None:
    """Update in place by the source's ids, add the new ones, remove what the source removed."""
    NeighbourCommons.objects.filter(neighbour=neighbour).exclude(
        source_id__in=[item["source_id"] for item in items]
    ).delete()
    NeighbourCommons.objects.bulk_create(
        [NeighbourCommons(neighbour=neighbour, **item) for item in items],
        update_conflicts=True,
        unique_fields=["neighbour", "source_id"],
        update_fields=["name", "summary", "url", "category", "status", "latitude", "longitude"],
        batch_size=500,
    )


def store_meetings(neighbour: Neighbour, items: list[dict]) -> None:
    NeighbourMeeting.objects.filter(neighbour=neighbour).exclude(
        source_id__in=[item["source_id"] for item in items]
    ).delete()
    NeighbourMeeting.objects.bulk_create(
        [NeighbourMeeting(neighbour=neighbour, **item) for item in items],
        update_conflicts=True,
        unique_fields=["neighbour", "source_id"],
        update_fields=["title", "starts_at", "ends_at", "location", "url", "cancelled"],
        batch_size=500,
    )


def _fetch_feed(neighbour, name: str, url: str, now):
    """(fetched, parsed or None when not modified) for one feed; FetchError/FeedError otherwise."""
    fetched = fetching.fetch(url, neighbour.validators.get(name), FEED_ACCEPT[name])
    if fetched.not_modified:
        return fetched, None
    if name == "commons":
        return fetched, parsing.parse_commons(fetched.body)
    return fetched, parsing.parse_calendar(fetched.body, now)


def refresh_neighbour(neighbour: Neighbour, now=None) -> RefreshReport:
    """Fetch the neighbour's document and feeds; store them only if every one could be read.

    Network and parsing happen before the transaction, so no lock is held while waiting on a
    neighbour. A 304 leaves the stored copy as it is.
    """
    now = now or timezone.now()
    report = RefreshReport()
    validators = dict(neighbour.validators)
    try:
        fetched, profile = fetch_profile(neighbour.base_url, validators.get("discovery"))
        validators["discovery"] = fetched.validators
        feeds = {
            "commons": (profile or {}).get("commons_feed_url", neighbour.commons_feed_url),
            "calendar": (profile or {}).get("calendar_feed_url", neighbour.calendar_feed_url),
        }
        results = {}
        for name, url in feeds.items():
            if url:
                fetched, parsed = _fetch_feed(neighbour, name, url, now)
                validators[name] = fetched.validators
                results[name] = parsed
    except (FollowError, fetching.FetchError, parsing.FeedError) as error:
        record_failure(neighbour, str(error), now)
        report.error = str(error)
        return report

    with transaction.atomic():
        neighbour = Neighbour.objects.select_for_update().get(pk=neighbour.pk)
        if profile:
            for key, value in profile.items():
                setattr(neighbour, key, value)
            report.changed = True
        for name, parsed in results.items():
            if parsed is None:
                continue
            report.changed = True
            report.rejected += parsed.rejected
            if name == "commons":
                store_commons(neighbour, parsed.items)
                report.commons = len(parsed.items)
            else:
                store_meetings(neighbour, parsed.items)
                report.meetings = len(parsed.items)
        if not feeds["commons"]:
            NeighbourCommons.objects.filter(neighbour=neighbour).delete()
        if not feeds["calendar"]:
            NeighbourMeeting.objects.filter(neighbour=neighbour).delete()
        if report.changed:
            neighbour.rejected_items = report.rejected
        neighbour.validators = validators
        neighbour.last_success_at = now
        neighbour.failing_since = None
        neighbour.failures = 0
        neighbour.last_error = ""
        neighbour.next_attempt_at = None
        neighbour.save()
    if report.rejected:
        logger.warning("neighbour %s: %s items rejected", neighbour.base_url, report.rejected)
    return report


def record_failure(neighbour: Neighbour, error: str, now) -> None:
    """Keep the last good copy; note since when it fails and when to try again."""
    with transaction.atomic():
        neighbour = Neighbour.objects.select_for_update().get(pk=neighbour.pk)
        neighbour.failures += 1
        neighbour.failing_since = neighbour.failing_since or now
        neighbour.last_error = error[:1000]
        neighbour.next_attempt_at = now + min(
            datetime.timedelta(hours=2 ** min(neighbour.failures - 1, 10)), MAX_BACKOFF
        )
        neighbour.save(update_fields=["failures", "failing_since", "last_error", "next_attempt_at"])
    logger.warning("neighbour %s failed: %s", neighbour.base_url, error)


def refresh_due_neighbours(now=None) -> dict:
    """Refresh every neighbour whose time has come; one failing never stops the others."""
    now = now or timezone.now()
    counts = {"refreshed": 0, "failed": 0}
    for neighbour in Neighbour.objects.due(now).order_by("pk"):
        try:
            report = refresh_neighbour(neighbour, now=now)
        except Exception as error:  # a bug on one neighbour's data must not stop the others
            logger.exception("neighbour %s: refresh crashed", neighbour.base_url)
            record_failure(neighbour, _("Unexpected error: %(error)s") % {"error": error}, now)
            counts["failed"] += 1
            continue
        counts["failed" if report.error else "refreshed"] += 1
    return counts
