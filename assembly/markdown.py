"""Safe Markdown: the one way every app turns text that people wrote into HTML.

Markdown is rendered, then sanitised by nh3 (Ammonia) against an allow-list, so whatever the
Markdown library lets through, no script, event handler, style or dangerous URL reaches a page.

Rendering costs milliseconds per text and a meeting's board shows a dozen of them on every request,
so each worker keeps the most recent results, keyed by a hash of the text and RENDERER_VERSION: the
same text always gives the same HTML, so nothing needs invalidating; a change to the rendering
(extensions, allow-lists) bumps RENDERER_VERSION.
"""

import copy
import hashlib
import threading
from collections import OrderedDict

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    # The toc extension's anchors, which tables of contents link to.
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"align"}, "th": {"align"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists", "toc"]
# Bump when the output for a given text changes (extensions, allow-lists, nh3 options).
RENDERER_VERSION = 1
# Rendered texts each worker keeps (a bounded LRU: a few MB at most for long charter versions).
CACHED_TEXTS = 512


_per_thread = threading.local()


def _converter() -> markdown_lib.Markdown:
    """This thread's Markdown instance, reset before each text.

    Building one (loading its extensions) costs more than converting a workshop's notes, and a
    meeting's board renders a dozen of them; an instance must not be shared between threads.
    """
    converter = getattr(_per_thread, "converter", None)
    if converter is None:
        converter = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
        _per_thread.converter = converter
    return converter.reset()


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML; links get rel="nofollow ugc noopener"."""
    return _rendered(text)[0]


def render_markdown_with_toc(text: str | None) -> tuple[SafeString, list[dict]]:
    """Sanitised HTML and the toc extension's headings: nested dicts with "level", "id" (the
    heading's anchor in the HTML), "name" (its text, HTML-escaped) and "children"."""
    html, toc = _rendered(text)
    # The cached headings are shared between requests: each caller gets its own copy.
    return html, copy.deepcopy(toc)


def _rendered(text: str | None) -> tuple[SafeString, list[dict]]:
    """The text's HTML and headings, kept: the headings are not to be changed (they are shared)."""
    if not text:
        return _NOTHING
    key = _digest(text)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        cached = _render(text)
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > CACHED_TEXTS:
                _cache.popitem(last=False)
    return cached


_NOTHING = (mark_safe(""), [])


# digest -> (html, toc headings), least recently used first; the source texts are not kept.
_cache: OrderedDict[str, tuple[SafeString, list[dict]]] = OrderedDict()
_cache_lock = threading.Lock()


def _digest(text: str) -> str:
    payload = f"{RENDERER_VERSION}\0{text}".encode()
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def _render(text: str) -> tuple[SafeString, list[dict]]:
    converter = _converter()
    html = converter.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
    return mark_safe(clean), copy.deepcopy(converter.toc_tokens)
