"""Where a page is kept: a key made of the content version, the current minute, the language, the
scheme, the host, the path and the query parameters the page reads — and no other, so that
`?x=1`, `?x=2`… cannot each keep a copy (page_cache/middleware.py serves such a request the
canonical copy, and keeps none of its own)."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language


def current_minute() -> str:
    return timezone.now().strftime("%Y%m%d%H%M")


def read_query(request, reads: frozenset[str]) -> str:
    """The query parameters a page reads, in a fixed order (values in the order sent)."""
    return urlencode(
        [(name, value) for name in sorted(reads) for value in request.GET.getlist(name)]
    )


def reads_every_parameter(request, reads: frozenset[str]) -> bool:
    """True when the request carries no query parameter that the page does not read."""
    return all(name in reads for name in request.GET)


def page_key(request, version: str, reads: frozenset[str]) -> str:
    parts = (
        version,
        current_minute(),
        get_language() or "",
        request.scheme,
        request.get_host(),
        request.path,
        read_query(request, reads),
        # A read-only season's banner: pages kept before it began must not be served during it.
        "read-only" if settings.READ_ONLY else "",
    )
    return "page-cache:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
