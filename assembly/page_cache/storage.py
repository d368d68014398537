"""How a page is kept: the response without its body, the body, and the body gzip-compressed.

A page with no token in it (the feeds and exports) is also kept gzip-compressed, compressed once
when it is stored, and a client that sends `Accept-Encoding: gzip` gets that body (`Vary:
Accept-Encoding` on both). A page with a token is never compressed: secret and attacker-chosen
text in one compressed body is what BREACH reads. The biggest pages (the GeoJSON exports, up to
megabytes) are kept in the worker's own memory as well, under the same key (which holds the
content version, read from the shared cache on every request), within LOCAL_MAX_BYTES.

What the shared cache keeps is bounded in total by the cache server itself (`maxmemory` with
`allkeys-lru` in docker-compose.yml; MAX_ENTRIES for the embedded file cache), and no single body
over MAX_BODY_BYTES is kept at all.
"""

import dataclasses
import gzip
import pickle
import re
import threading
from collections import OrderedDict

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from .csrf import holds_placeholder, insert_token

# Bodies shorter than this are sent as they are: compressing saves less than it costs.
GZIP_MIN_BYTES = 1024
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Pages at least this big are also kept in each worker's memory, the most recent first, within
# LOCAL_MAX_BYTES per worker (bodies, plain and compressed).
LOCAL_MIN_BYTES = 64 * 1024
LOCAL_MAX_BYTES = 8 * 1024 * 1024
# No body bigger than this is kept anywhere: it would push everything else out.
MAX_BODY_BYTES = 8 * 1024 * 1024
# Seconds a kept page lives; the minute in the key already bounds clock-dependent content.
TIMEOUT = 60


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
        if len(body) >= GZIP_MIN_BYTES and not holds_placeholder(body):
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
        return with_fresh_token(request, response) if self.gzipped is None else response


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


def kept(key: str) -> Kept | None:
    """The page kept under `key`: from this worker's memory, else from the shared cache."""
    page = local_pages.get(key)
    if page is None:
        page = cache.get(key)
        if isinstance(page, Kept):
            local_pages.add(key, page)
        else:
            page = None
    return page


def keep(key: str, page: Kept) -> None:
    if page.size > MAX_BODY_BYTES:
        return
    cache.set(key, page, TIMEOUT)
    local_pages.add(key, page)


def with_fresh_token(request, response):
    if holds_placeholder(response.content):
        # get_token also tells CsrfViewMiddleware to set this visitor's CSRF cookie.
        response.content = insert_token(response.content, get_token(request))
    return response
