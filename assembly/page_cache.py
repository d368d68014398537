"""Anonymous public pages served from the shared cache, and the content version that keeps them exact.

Every page in PUBLIC_PAGES, asked for with GET by someone with no session (nobody signed in, no
message waiting), is kept in Django's cache (Redis when REDIS_URL is set, local memory otherwise)
under a key made of the content version, the current minute, the language, the scheme, the host,
the path and the query string.

The content version is one value in the cache, replaced by a new random one after every INSERT,
UPDATE or DELETE of a table that a page shows. Writes are seen at the database layer: an execute
wrapper installed on every connection (`install`, from `connection_created`) watches each statement,
so the ORM, bulk updates, raw SQL, the admin, management commands and Celery workers all count.
Inside a transaction the version is replaced twice: at once (the writer's own connection already
sees its rows) and again after the commit, because a reader between the write and the commit
would otherwise keep the old page under the new version. Clock-dependent content ("upcoming",
"vote open until") changes at most a minute late: the minute is part of the key.

A cached copy never holds a visitor's CSRF token: while a page to be cached renders, the
`csrf_placeholder` context processor puts PLACEHOLDER where `{% csrf_token %}` writes the token, and
every response, fresh or cached, gets this request's own token in its place (and the CSRF cookie
with it). A response that sets a cookie, queues a message, touches the session or is not a 200 is
never kept.

A page with no token in it (the feeds and exports) is also kept gzip-compressed, compressed once
when it is stored, and a client that sends `Accept-Encoding: gzip` gets that body (`Vary:
Accept-Encoding` on both). A page with a token is never compressed: secret and attacker-chosen
text in one compressed body is what BREACH reads. The biggest pages (the GeoJSON exports, up to
megabytes) are kept in the worker's own memory as well, under the same key: the content version in
that key is read from the shared cache on every request, so a write through any process still
shows at once; only the copy out of Redis is saved.
"""

import dataclasses
import gzip
import hashlib
import pickle
import re
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.translation import get_language

from .context_processors import CACHE_KEY as CONFIGURATION_KEY

VERSION_KEY = "page-cache:content-version"
# Seconds a cached page lives; the minute in the key already bounds clock-dependent content.
TIMEOUT = 60
# Where {% csrf_token %} writes the token in a page being cached; letters only, so no escaping.
PLACEHOLDER = "assembleeCsrfTokenPlaceholder"
# Bodies shorter than this are sent as they are: compressing saves less than it costs.
GZIP_MIN_BYTES = 1024
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Pages at least this big are also kept in each worker's memory, the most recent first, within
# LOCAL_MAX_BYTES per worker (bodies, plain and compressed).
LOCAL_MIN_BYTES = 64 * 1024
LOCAL_MAX_BYTES = 8 * 1024 * 1024

# The pages kept for anonymous visitors, by URL name (tests/assembly/test_page_cache.py writes
# something each of them shows, then reads it back).
PUBLIC_PAGES = frozenset(
    {
        "home",
        "commons:directory",
        "commons:map",
        "commons:detail",
        "commons:export-geojson",
        "commons:export-csv",
        "meetings:index",
        "meetings:detail",
        "meetings:ics",
        "workshops:detail",
        "calendar:public",
        "decisions:list",
        "decisions:detail",
        "charter:current",
        "charter:versions",
        "charter:diff",
        "people",
        "search",
        "feeds:agenda",
        "feeds:decisions",
        "feeds:commons",
        "network:index",
        "network:export-geojson",
        "gatherings:list",
        "gatherings:detail",
        "gatherings:programme",
        "gatherings:programme-ics",
        "gatherings:changes",
    }
)

# Tables no public page shows: writing them leaves every cached page as it is. Sessions change on
# every signed-in request; the delivery logs and the admin's log at every e-mail and admin action.
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "assembly_delivery",
        "assembly_subscriberdelivery",
    }
)

# Other cached values that a write to one table makes wrong, forgotten at the write and again
# after its commit: the assembly's configuration, which every page reads
# (assembly/context_processors.py).
FORGET_ON_WRITE = {"assembly_assemblyconfiguration": (CONFIGURATION_KEY,)}

_WRITE = re.compile(
    r"""^\s*(?:
        (?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+["`]?(?P<insert>\w+)
      | UPDATE\s+(?:OR\s+\w+\s+)?["`]?(?P<update>\w+)
      | DELETE\s+FROM\s+["`]?(?P<delete>\w+)
      | (?P<other>TRUNCATE|WITH|MERGE|ALTER|CREATE|DROP)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never back to an old value: a new random one, so that pages kept under a version that
        # the cache forgot can never be served again.
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def bump_content_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def written_table(sql: str) -> str | None:
    """The table a statement writes ("" when it writes but names no single table), else None."""
    match = _WRITE.match(sql)
    if match is None:
        return None
    if match["other"]:
        # WITH … SELECT only reads; WITH … UPDATE/INSERT/DELETE writes.
        if match["other"].upper() == "WITH" and not re.search(
            r"\b(INSERT|UPDATE|DELETE)\b", sql, re.IGNORECASE
        ):
            return None
        return ""
    return (match["insert"] or match["update"] or match["delete"]).lower()


def writes_shown_content(sql: str) -> bool:
    table = written_table(sql)
    return table is not None and table not in IGNORED_TABLES


def _after_commit_once(connection) -> None:
    """One callback per transaction, however many statements write in it (and none more: tests
    count the callbacks a transaction leaves)."""
    if any(getattr(func, "page_cache", False) for _sids, func, _robust in connection.run_on_commit):
        return

    def after_commit():
        bump_content_version()
        forget, connection.page_cache_forget = connection.page_cache_forget, set()
        if forget:
            cache.delete_many(list(forget))

    after_commit.page_cache = True
    transaction.on_commit(after_commit, using=connection.alias)


def _watch_writes(connection):
    connection.page_cache_forget = set()

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        table = written_table(sql)
        if table is None or table in IGNORED_TABLES:
            return result
        bump_content_version()
        forget = FORGET_ON_WRITE.get(table, ())
        if forget:
            cache.delete_many(list(forget))
        if connection.in_atomic_block:
            connection.page_cache_forget.update(forget)
            _after_commit_once(connection)
        return result

    watch.page_cache_watch = True
    return watch


def install(sender, connection, **kwargs):
    """connection_created: watch this connection's writes (once, even when it reconnects)."""
    if not any(
        getattr(wrapper, "page_cache_watch", False) for wrapper in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_watch_writes(connection))


def _anonymous_without_state(request) -> bool:
    # No session cookie: nobody is signed in and no message waits in a session (a session of an
    # anonymous visitor is rare, and it is simply not served from the cache).
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_HX_REQUEST" not in request.META
    )


def page_key(request, version: str) -> str:
    minute = timezone.now().strftime("%Y%m%d%H%M")
    parts = (
        version,
        minute,
        get_language() or "",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )
    return "page-cache:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _may_keep(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # Something wrote this visitor's real CSRF token into the page, not the placeholder.
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


@dataclasses.dataclass(frozen=True)
class Kept:
    """A page as the cache keeps it: the response without its body (pickled, so that every request
    gets its own copy to add headers and cookies to), the body, and the body gzip-compressed when
    it may be (None otherwise)."""

    head: bytes
    body: bytes
    gzipped: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")

    @classmethod
    def of(cls, response) -> "Kept":
        body = response.content
        gzipped = None
        if len(body) >= GZIP_MIN_BYTES and PLACEHOLDER.encode() not in body:
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
            if len(gzipped) >= len(body):
                gzipped = None
        if gzipped is not None:
            # Both copies say that the body depends on the header, for caches on the way.
            patch_vary_headers(response, ("Accept-Encoding",))
        response.content = b""
        head = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
        response.content = body
        return cls(head=head, body=body, gzipped=gzipped)

    def response(self, request):
        """A new response for this request: compressed when the client accepts it."""
        response = pickle.loads(self.head)  # noqa: S301 (our own cache's bytes)
        if self.gzipped is not None and ACCEPTS_GZIP.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        ):
            response.content = self.gzipped
            response["Content-Encoding"] = "gzip"
            etag = response.get("ETag", "")
            if etag.startswith('"'):
                # Another encoding of the same content: a weak validator (as GZipMiddleware does).
                response["ETag"] = "W/" + etag
            return response
        response.content = self.body
        return _with_fresh_token(request, response) if self.gzipped is None else response


class LocalPages:
    """The biggest kept pages, also in this worker's memory: least recently used go first."""

    def __init__(self, max_bytes: int = LOCAL_MAX_BYTES, min_bytes: int = LOCAL_MIN_BYTES):
        self.max_bytes = max_bytes
        self.min_bytes = min_bytes
        self._pages: OrderedDict[str, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Kept | None:
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def add(self, key: str, kept: Kept) -> None:
        if kept.size < self.min_bytes or kept.size > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                return
            self._pages[key] = kept
            self._bytes += kept.size
            while self._bytes > self.max_bytes:
                _key, oldest = self._pages.popitem(last=False)
                self._bytes -= oldest.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


local_pages = LocalPages()


def _kept(key: str) -> Kept | None:
    kept = local_pages.get(key)
    if kept is None:
        kept = cache.get(key)
        if isinstance(kept, Kept):
            local_pages.add(key, kept)
        else:
            kept = None
    return kept


def _with_fresh_token(request, response):
    placeholder = PLACEHOLDER.encode()
    if placeholder in response.content:
        # get_token also tells CsrfViewMiddleware to set this visitor's CSRF cookie.
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response


class AnonymousPageCacheMiddleware:
    """Serves PUBLIC_PAGES to anonymous GETs from the cache; last in MIDDLEWARE, so that the
    response, fresh or cached, still goes through every other middleware (CSRF cookie, CSP,
    X-Frame-Options) on its way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method != "GET"
            or match is None
            or match.view_name not in PUBLIC_PAGES
            or not _anonymous_without_state(request)
        ):
            return None
        # Read before the view reads anything: the page, and its fragments (assembly/fragments.py),
        # are kept under it, so a write after this moment can only make them unreachable.
        version = request.content_version = content_version()
        key = page_key(request, version)
        # No version (the shared cache does not answer): nothing is kept, not even here, since no
        # write could be seen.
        kept = _kept(key) if version else None
        if kept is not None:
            return kept.response(request)
        request.page_cache_candidate = True
        response = view_func(request, *view_args, **view_kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        # A write while the page rendered (here or elsewhere): what it shows may be older than
        # the new version, so it is not kept.
        if version and _may_keep(request, response) and content_version() == version:
            if PLACEHOLDER.encode() not in response.content and not response.has_header("ETag"):
                # Feeds and exports: their ETag is computed once, here, not at every request.
                set_response_etag(response)
            kept = Kept.of(response)
            cache.set(key, kept, TIMEOUT)
            local_pages.add(key, kept)
            return kept.response(request)
        return _with_fresh_token(request, response)


def csrf_placeholder(request):
    """Context processor: in a page being cached, {% csrf_token %} writes PLACEHOLDER."""
    if getattr(request, "page_cache_candidate", False):
        return {"csrf_token": PLACEHOLDER}
    return {}
