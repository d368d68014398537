"""Parts of pages rendered once and reused by everyone who sees the same thing (issue 13).

A signed-in page is never served whole from a cache (page_cache.py keeps anonymous copies only),
but most of it is the same for every visitor: the layout's navigation, the decision log's rows,
the board's workshops. Templates mark such a part:

    {% fragment "decision-log" %} … {% endfragment %}
    {% layoutfragment "header" %} … {% endlayoutfragment %}

and it is rendered once per key, then copied. The key is the name, the values that the part's
key function gives (`@part("decision-log")`, a Python function of the template's context, next to
the view that renders it, with a test of its own), the language, and for `fragment` the content
version of page_cache, read once by the view before it reads anything
(`remember_content_version`), with the current minute: any write to a table the page reads
replaces that version (page_cache/reads.py: the tables a page, or one of its parts, declared), so
a part is never shown stale. `layoutfragment` parts depend on the code and their
key values only (the assembly's name is one of them when shown). A variable the key function
needs and the context lacks raises (KeyError): it never silently becomes "" for everyone.

Whatever varies between people sharing a key must be among the values, or stay outside the part.
A part never keeps anyone's CSRF token: it renders with page_cache.placeholder(), replaced by this
request's token each time it is used.

Parts live in this process's memory, a bounded LRU: no round trip and no unpickling per use, and
an old version's parts simply fall out.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.utils import timezone
from django.utils.translation import get_language

from . import page_cache

# What one worker keeps at most, least recently used out first: parts of an old content version
# are never asked for again and simply fall out. A kept fact (memo) counts as SMALL_VALUE_SIZE.
MAX_ENTRIES = 2048
MAX_BYTES = 4 * 1024 * 1024
SMALL_VALUE_SIZE = 256

_lock = threading.Lock()
_kept: OrderedDict[str, object] = OrderedDict()
_bytes = 0


# Each kept part's key function, by the part's name.
_key_functions: dict[str, Callable[[object], Sequence]] = {}


def part(name: str):
    """Decorator: the function of a template context that gives part `name`'s key values."""

    def register(function):
        _key_functions[name] = function
        return function

    return register


def key_values(name: str, context) -> list:
    """The key values of part `name` in this context; a missing variable raises KeyError."""
    try:
        function = _key_functions[name]
    except KeyError:
        raise LookupError(f"the kept part {name!r} has no key function (@fragments.part)") from None
    return list(function(context))


def registered_parts() -> frozenset[str]:
    return frozenset(_key_functions)


def _field(row, name: str):
    # The configuration row, or the plain mapping the 503 page stands in for it with.
    return row.get(name, "") if isinstance(row, dict) else getattr(row, name)


# The layout's parts (templates/base.html).
@part("header")
def header_key(context):
    # The 503 page renders the layout without a request (assembly/unavailable.py).
    here = getattr(context.get("request"), "resolver_match", None)
    namespace, url_name = (here.namespace, here.url_name) if here is not None else ("", "")
    assembly = context["assembly"]
    return (namespace, url_name, _field(assembly, "name"), _field(assembly, "city"))


@part("account-nav")
def account_nav_key(context):
    # The administrators' Settings link (is_staff or is_superuser), and the section it marks.
    here = getattr(context.get("request"), "resolver_match", None)
    user = context["user"]
    return (
        user.is_authenticated,
        user.is_staff,
        user.is_superuser,
        here.namespace if here is not None else "",
    )


@part("language-choice")
def language_choice_key(context):
    # The languages the assembly offers (/settings/): the switcher lists only those.
    return (_field(context["assembly"], "languages"),)


@part("footer")
def footer_key(context):
    return (_field(context["assembly"], "name"),)


for _name in ("head", "search-button", "language-form", "scripts", "home-feeds"):
    # The same for every page and person: only the language and the code. (Home's feeds, text
    # alone: its text is joined once per language, assembly/fixed_text.py.)
    part(_name)(lambda context: ())


def remember_content_version(request) -> None:
    """Called by a view, first thing, when its template has `fragment` parts: they are kept under
    the versions read now — of the tables the page declared (page_cache/reads.py), or the one
    every write replaces — before the view reads any data, so that a write after this moment can
    only make them unreachable, never leave them stale. (For an anonymous public page the page
    cache's middleware has read them already.)"""
    if request.method == "GET" and getattr(request, "content_version", None) is None:
        match = getattr(request, "resolver_match", None)
        tables = page_cache.reads.page_tables(match.view_name if match is not None else None)
        versions = request.content_versions = page_cache.Versions.read(tables)
        request.content_version = versions.of(tables) if versions is not None else ""


def current_minute() -> str:
    """For the key of a part that shows what is due "now" (votes still open, a standing today):
    it is then rendered again at least each minute, as anonymous pages are (page_cache.py)."""
    return timezone.now().strftime("%Y%m%d%H%M")


def content_version_of(request, part: str | None = None) -> str | None:
    """The version remembered for this request — for `part`, the versions of the tables it
    declared, when it declared some (page_cache/reads.py); None when its view did not ask for
    it, for a POST showing its form again, or when the shared cache does not answer (no version
    can tell a write then): its parts are then rendered and not kept."""
    version = getattr(request, "content_version", None) if request is not None else None
    if not version:
        return None
    tables = page_cache.reads.part_tables(part) if part is not None else None
    versions = getattr(request, "content_versions", None)
    if tables is not None and versions is not None:
        return versions.of(tables)
    return version


def key(name: str, values, *, version: str | None, language: str | None = None) -> str:
    """A versioned part's key holds the minute too: a bump that the shared cache lost while it
    failed shows at most a minute late (page_cache/versioning.py). `language`: the active one,
    when the caller has read it already."""
    if version:
        version = f"{version}@{current_minute()}"
    if language is None:
        language = get_language()
    text = "\x1f".join([name, language or "", version or "", *map(str, values)])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def get(part_key: str) -> str | None:
    with _lock:
        html = _kept.get(part_key)
        if html is not None:
            _kept.move_to_end(part_key)
        return html


def _size(value) -> int:
    return len(value) if isinstance(value, str) else SMALL_VALUE_SIZE


def put(part_key: str, value) -> None:
    global _bytes
    with _lock:
        if part_key in _kept:
            _bytes -= _size(_kept[part_key])
        _kept[part_key] = value
        _kept.move_to_end(part_key)
        _bytes += _size(value)
        while len(_kept) > MAX_ENTRIES or _bytes > MAX_BYTES:
            _key, oldest = _kept.popitem(last=False)
            _bytes -= _size(oldest)


def memo(request, name: str, values, compute):
    """`compute()` once per content version for these values, in this process: for what a view
    reads before its template (a person's sign-ups on a board, what waits for them), which the
    template's fragments cannot spare. Keep small facts (ids, booleans, numbers), or objects that
    no view changes (a meeting the board only reads): every request of this version gets the
    same one. Without a remembered version (a POST), computed every time."""
    version = content_version_of(request, "memo:" + name)
    if version is None:
        return compute()
    memo_key = key("memo:" + name, values, version=version)
    with _lock:
        if memo_key in _kept:
            _kept.move_to_end(memo_key)
            return _kept[memo_key]
    value = compute()
    put(memo_key, value)
    return value


def count() -> int:
    with _lock:
        return len(_kept)


def kept_bytes() -> int:
    with _lock:
        return _bytes


def forget_all() -> None:
    """Tests start from nothing, as they do with the shared cache."""
    global _bytes
    with _lock:
        _kept.clear()
        _bytes = 0
    page_cache.versioning.forget_rows()
