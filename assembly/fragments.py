"""Parts of pages rendered once and reused by everyone who sees the same thing (issue 13).

A signed-in page is never served whole from a cache (page_cache.py keeps anonymous copies only),
but most of it is the same for every visitor: the layout's navigation, the decision log's rows,
the board's workshops. Templates mark such a part:

    {% fragment "decision-log" request.GET.urlencode %} … {% endfragment %}
    {% layoutfragment "header" here.namespace user.is_staff %} … {% endlayoutfragment %}

and it is rendered once per key, then copied. The key is the name, the values after it, the
language, and for `fragment` the content version of page_cache.py, read once by the view before
it reads anything (`remember_content_version`): any write to a table a page
shows replaces the version, so a part is never shown stale. `layoutfragment` parts depend on the
code and the values named only (the assembly's name is one of them when shown).

Whatever varies between people sharing a key must be among the values, or stay outside the part.
A part never keeps anyone's CSRF token: it renders with page_cache.PLACEHOLDER, replaced by this
request's token each time it is used.

Parts live in this process's memory, a bounded LRU: no round trip and no unpickling per use, and
an old version's parts simply fall out.
"""

import hashlib
import threading
from collections import OrderedDict

from django.utils.translation import get_language

from . import page_cache

MAX_ENTRIES = 1024

_lock = threading.Lock()
_parts: OrderedDict[str, str] = OrderedDict()


def remember_content_version(request) -> None:
    """Called by a view, first thing, when its template has `fragment` parts: they are kept under
    the content version read now, before the view reads any data, so that a write after this
    moment can only make them unreachable, never leave them stale. (For an anonymous public page
    the page cache's middleware has read it already.)"""
    if request.method == "GET" and getattr(request, "content_version", None) is None:
        request.content_version = page_cache.content_version()


def content_version_of(request) -> str | None:
    """The version remembered for this request; None when its view did not ask for it, or for a
    POST showing its form again: then its parts are rendered and not kept."""
    return getattr(request, "content_version", None) if request is not None else None


def key(name: str, values, *, version: str | None) -> str:
    text = "\x1f".join([name, get_language() or "", version or "", *map(str, values)])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def get(part_key: str) -> str | None:
    with _lock:
        html = _parts.get(part_key)
        if html is not None:
            _parts.move_to_end(part_key)
        return html


def put(part_key: str, html: str) -> None:
    with _lock:
        _parts[part_key] = html
        _parts.move_to_end(part_key)
        while len(_parts) > MAX_ENTRIES:
            _parts.popitem(last=False)


def forget_all() -> None:
    """Tests start from nothing, as they do with the shared cache."""
    with _lock:
        _parts.clear()
