"""When PostgreSQL restarts or stops answering, requests fail cleanly: a 503 page in our layout,
with Retry-After, instead of a 500. The next request after the database is back works again by
itself: CONN_HEALTH_CHECKS (settings) drops the broken connection before reusing it.

Any other error gets the 500 page, in the same layout and rendered the same way, without the
database: the error may well have come from it."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from .context_processors import CACHE_KEY
from .page_cache.versioning import last_kept_row

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def _page_without_database(template_name: str, status: int) -> HttpResponse:
    # The site's layout, rendered without the request: its context processors would ask the
    # database again. The assembly's name is the configuration this process last read, if any.
    assembly = last_kept_row(CACHE_KEY) or {"name": "Assemblée"}
    return HttpResponse(render_to_string(template_name, {"assembly": assembly}), status=status)


def unavailable_response() -> HttpResponse:
    response = _page_without_database("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("database unavailable: %s", exception)
            return unavailable_response()
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: errors outside the views (sessions saved after the view) get the same 503;
    any other error the 500 page in our layout."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable_response()
    return _page_without_database(template_name, 500)
