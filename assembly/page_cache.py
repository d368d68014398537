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
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language

from .context_processors import CACHE_KEY as CONFIGURATION_KEY

VERSION_KEY = "page-cache:content-version"
# Seconds a cached page lives; the minute in the key already bounds clock-dependent content.
TIMEOUT = 60
# Where {% csrf_token %} writes the token in a page being cached; letters only, so no escaping.
PLACEHOLDER = "assembleeCsrfTokenPlaceholder"

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
        version = content_version()
        key = page_key(request, version)
        response = cache.get(key)
        if response is None:
            request.page_cache_candidate = True
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            # A write while the page rendered (here or elsewhere): what it shows may be older
            # than the new version, so it is not kept.
            if _may_keep(request, response) and content_version() == version:
                if PLACEHOLDER.encode() not in response.content and not response.has_header("ETag"):
                    # Feeds and exports: their ETag is computed once, here, not at every request.
                    set_response_etag(response)
                cache.set(key, response, TIMEOUT)
        return _with_fresh_token(request, response)


def csrf_placeholder(request):
    """Context processor: in a page being cached, {% csrf_token %} writes PLACEHOLDER."""
    if getattr(request, "page_cache_candidate", False):
        return {"csrf_token": PLACEHOLDER}
    return {}
