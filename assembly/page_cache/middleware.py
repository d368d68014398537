"""The middleware: anonymous GETs of PUBLIC_PAGES from the shared cache, in two phases as
Django's own cache middleware works — looked up in `process_view`, stored after the view's
response came back — so that the view runs as everywhere else (process_exception, template
responses, ATOMIC_REQUESTS).

Only requests with no session cookie, no message cookie and not from htmx are served or kept. A
response that sets a cookie, queues a message, touches the session or is not a 200 is never kept;
nor is one rendered while a write happened (the version moved meanwhile).

Every response the cache serves or keeps says how others may keep it: `Vary: Cookie,
Accept-Language` (a signed-in person, or another language, gets another page), and
`Cache-Control: private, no-cache` for a page holding a visitor's CSRF token, `max-age=60` for
the feeds and exports (the same for every anonymous visitor of a language).
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from . import reads as page_reads
from . import storage, versioning
from .csrf import holds_placeholder
from .keys import page_key, reads_every_parameter

# The pages kept for anonymous visitors, by URL name, with the query parameters each one reads
# (tests/assembly/test_page_cache.py writes something each of them shows, then reads it back).
_COMMONS_FILTERS = frozenset({"q", "category", "status", "location"})
PUBLIC_PAGES: dict[str, frozenset[str]] = {
    "home": frozenset(),
    "commons:directory": _COMMONS_FILTERS | {"page"},
    "commons:map": _COMMONS_FILTERS | {"embed"},
    "commons:detail": frozenset(),
    "commons:export-geojson": _COMMONS_FILTERS,
    "commons:export-csv": _COMMONS_FILTERS,
    "commons:export-gogocarto": _COMMONS_FILTERS,
    "meetings:index": frozenset({"page"}),
    "meetings:detail": frozenset(),
    "meetings:ics": frozenset(),
    "workshops:detail": frozenset(),
    "calendar:public": frozenset(),
    "decisions:list": frozenset({"phase", "kind", "page"}),
    "decisions:detail": frozenset(),
    "charter:current": frozenset(),
    "charter:versions": frozenset(),
    "charter:diff": frozenset({"view"}),
    "people": frozenset({"q", "page"}),
    "search": frozenset({"q", "kind", "page"}),
    "feeds:agenda": frozenset(),
    "feeds:decisions": frozenset(),
    "feeds:commons": frozenset(),
    "network:index": frozenset({"neighbour", "local"}),
    "network:export-geojson": frozenset({"neighbour", "local"}),
    "gatherings:list": frozenset(),
    "gatherings:detail": frozenset(),
    "gatherings:programme": frozenset({"track", "format"}),
    "gatherings:programme-ics": frozenset(),
    "gatherings:changes": frozenset(),
}
# Where a page holds a visitor's token (page_cache/csrf.py). Looked for with `in`, which scans a
# body at memory speed: a regular expression with these two branches took 14 ms over the
# network's 120 KB export, at every request the cache served.
_TOKEN_MARKS = (b'name="csrfmiddlewaretoken"', b'"X-CSRFToken"')
# Seconds a shared proxy or a client may keep a page without a token (feeds and exports).
PUBLIC_MAX_AGE = 60
# The static archive (portal/archive.py) asks for every page once: keeping them all would push
# out the pages people ask for. A WSGI environ key, which no HTTP header can set (those all become
# HTTP_*).
ARCHIVE_REQUEST = "assemblee.archive"


def _anonymous_without_state(request) -> bool:
    # No session cookie: nobody is signed in and no message waits in a session (a session of an
    # anonymous visitor is rare, and it is simply not served from the cache).
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_HX_REQUEST" not in request.META
    )


def _may_keep(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # Something wrote this visitor's real CSRF token into the page, not the placeholder.
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _honest_headers(response):
    """What a proxy or browser may do with a page the cache served or kept."""
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    content = response.content
    if any(mark in content for mark in _TOKEN_MARKS):
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, max_age=PUBLIC_MAX_AGE)
    return response


class AnonymousPageCacheMiddleware:
    """Last in MIDDLEWARE, so that the response, kept or fresh, still goes through every other
    middleware (CSRF cookie, CSP, X-Frame-Options) on its way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Phase one: a kept copy, or a note for phase two of where to keep this one."""
        match = request.resolver_match
        reads = PUBLIC_PAGES.get(match.view_name) if match is not None else None
        if (
            reads is None
            or request.method != "GET"
            or not _anonymous_without_state(request)
            or ARCHIVE_REQUEST in request.META
        ):
            return None
        # Read before the view reads anything: the page, and its parts (assembly/fragments.py),
        # are kept under the versions of what it reads (page_cache/reads.py), so a write after
        # this moment can only make them unreachable.
        tables = page_reads.page_tables(match.view_name)
        versions = request.content_versions = versioning.Versions.read(tables)
        version = request.content_version = versions.of(tables) if versions is not None else ""
        if not version:
            # The shared cache does not answer: no write could be seen, so nothing is kept.
            return None
        key = page_key(request, version, reads)
        page = storage.kept(key)
        if page is not None:
            request.page_cache_served = True
            return _honest_headers(page.response(request))
        # A request with parameters the page does not read is served the canonical copy when
        # there is one, and never kept under its own.
        if reads_every_parameter(request, reads):
            request.page_cache_candidate = (key, version, tables)
        return None

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "page_cache_served", False):
            return response
        candidate = getattr(request, "page_cache_candidate", None)
        if not candidate:
            return response
        key, version, tables = candidate
        # A write while the page rendered (here or elsewhere) to a table it reads: what it shows
        # may be older than the new version, so it is not kept.
        if _may_keep(request, response) and versioning.content_version(tables) == version:
            if not holds_placeholder(response.content) and not response.has_header("ETag"):
                # Feeds and exports: their ETag is computed once, here, not at every request.
                set_response_etag(response)
            page = storage.Kept.of(response)
            storage.keep(key, page)
            return _honest_headers(page.response(request))
        return storage.with_fresh_token(request, response)
