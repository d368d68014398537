"""A read-only season (issue 26): every page keeps answering, every write is refused.

It is switched on and off in the environment (`READ_ONLY=1`, `READ_ONLY_SINCE`, `READ_ONLY_MESSAGE`),
so that turning it off never needs the database to accept a write. While it lasts:

- every request with a method that is not safe (a form, a sign-in, a vote, an import, the admin's
  saves, a federation inbox) gets a 503 page in our layout with `Retry-After`, before any view runs;
  only the language switch (a cookie) and signing out (one's own session) go through;
- a GET that would write anyway (a confirmation link, say) is refused the same way: the database
  connection refuses every writing statement while the request runs;
- the periodic tasks pause (settings: the beat schedule is empty) and a worker refuses to write;
- a banner on every page says since when and why.

Discussions and votes open when the season began are extended by its length once it is over
(`decisions.services.extend_after_read_only_season`).
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from .page_cache import written_table

# A day: machines (federation senders, feed readers) should come back later, not hammer us.
RETRY_AFTER_SECONDS = 24 * 60 * 60
# The only non-safe requests that go through: they write nothing an assembly keeps.
ALLOWED_URL_NAMES = frozenset({"set_language", "account_logout"})
# Writes a request may still make: a signed-in person's session (kept by the session middleware,
# and removed when they sign out).
ALLOWED_TABLES = frozenset({"django_session"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReadOnlyError(Exception):
    """A write attempted during a read-only season."""


def is_read_only() -> bool:
    return bool(settings.READ_ONLY)


def season_since() -> datetime.datetime | None:
    """When the season began (READ_ONLY_SINCE), or None; kept after the season while set."""
    return settings.READ_ONLY_SINCE


def season() -> dict | None:
    """What the banner and the refusal page say, or None outside a season."""
    if not is_read_only():
        return None
    return {"since": season_since(), "message": settings.READ_ONLY_MESSAGE}


def refuse_writes(execute, sql, params, many, context):
    """A connection's execute wrapper: every statement that writes raises ReadOnlyError."""
    table = written_table(sql)
    if table is not None and table not in ALLOWED_TABLES:
        raise ReadOnlyError(sql.split(None, 1)[0].upper())
    return execute(sql, params, many, context)


def refused_response(request):
    """The 503 page in our layout, with Retry-After."""
    body = render_to_string("read_only.html", {"season": season()}, request=request)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _allowed(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in ALLOWED_URL_NAMES


class ReadOnlyMiddleware:
    """After the session, authentication and messages (the refusal page shows the layout as the
    person sees it); before any view, so that no form is even read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_read_only():
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            if not _allowed(request):
                return refused_response(request)
            return self.get_response(request)
        with connection.execute_wrapper(refuse_writes):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ReadOnlyError):
            return refused_response(request)
        return None


def _guard_connection(sender, connection, **kwargs):
    if refuse_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(refuse_writes)


def guard_worker(**kwargs):
    """celery worker_init: in a read-only season, a task left in the queue from before cannot
    write either (its writes raise, the task fails and is logged)."""
    if is_read_only():
        connection_created.connect(_guard_connection, dispatch_uid="read-only-worker", weak=False)
