"""For lists whose rows are written in Python rather than looped over in a template (issue 24).

A row of a template loop pays the template engine for each tag, and Django again for what is the
same on every row of a page: a URL reversed whole for each key, a message or a label translated
again, a date format looked up again. A renderer written with these asks once per list (and
assembly/localised.py for its dates and numbers).
"""

import html
import re

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.translation import get_language

from . import fixed_text

# Far from any real primary key: where the key goes in a reversed URL.
_MARK = 987654321
# Models' URLs kept around their marks at most (models × languages × URL prefixes, a few).
MAX_KEPT = 256

_kept: dict[tuple, tuple[str, str]] = {}


def here() -> tuple:
    """What a URL depends on besides the code: the language, the URL prefix and configuration of
    the moment. Each is a thread's own (asgiref's Local, about a dozen calls each): a renderer
    that places several URLs reads them once and gives them to each (`where=`)."""
    return (get_language(), get_script_prefix(), get_resolver(get_urlconf()))


def _around(what, reversed_with, mark, where: tuple | None = None) -> tuple[str, str]:
    """The URL `reversed_with()` gives (with `mark` where the key goes) before and after the
    mark, escaped. Reversed once per process for each `what`, language, URL prefix and URL
    configuration, all it depends on besides the code (as assembly/url_reversing.py keeps URLs);
    `where`: those, `here()`, when the caller read them already."""
    if where is None:
        key = (what, get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    else:
        key = (what, *where)
    found = _kept.get(key)
    if found is None:
        before, _, after = reversed_with().rpartition(str(mark))
        found = (escape(before), escape(after))
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = found
    return found


def _row_url(model, field: str, mark) -> str:
    """The `get_absolute_url()` of a `model` row whose `field` is `mark`."""
    row = model.__new__(model)  # not __init__, which sets every field: `field` is all it reads
    setattr(row, field, mark)
    return row.get_absolute_url()


def url_by_pk(model, where: tuple | None = None):
    """A function giving the escaped `get_absolute_url()` of a `model` row from its primary
    key: the URL reversed through the model's own method (once, `_around`), the key put in its
    place."""
    before, after = _around((model, "pk"), lambda: _row_url(model, "pk", _MARK), _MARK, where)
    return lambda pk: f"{before}{pk:d}{after}"


def url_by_name(name: str, where: tuple | None = None):
    """A function giving the escaped `reverse(name, args=[pk])` from a primary key: the URL
    reversed once (`_around`), the key put in its place."""
    before, after = _around(name, lambda: reverse(name, args=[_MARK]), _MARK, where)
    return lambda pk: f"{before}{pk:d}{after}"


def url_of(name: str, where: tuple | None = None) -> str:
    """The escaped `reverse(name)` of a view without arguments, reversed once (`_around`)."""
    before, _after = _around(("name", name), lambda: reverse(name) + str(_MARK), _MARK, where)
    return before


# What Django's `slug` path converter accepts: such a slug goes into a URL as it is.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_MARK = f"slug-{_MARK}"


def url_by_slug(model):
    """A function giving the escaped `get_absolute_url()` of a `model` row from the row: the URL
    reversed through the model's own method (once, `_around`), the row's slug put in its place
    (a slug Django would not take as it is is left to the method)."""
    before, after = _around(
        (model, "slug"), lambda: _row_url(model, "slug", _SLUG_MARK), _SLUG_MARK
    )

    def url(found) -> str:
        if _SLUG.fullmatch(found.slug):
            return f"{before}{found.slug}{after}"
        return escape(found.get_absolute_url())

    return url


def url_by_name_and_slug(name: str):
    """A function giving the escaped `reverse(name, args=[slug])` of a text argument: the URL
    reversed once (`_around`), a slug Django would take as it is put in its place (any other
    text is reversed whole)."""
    before, after = _around((name, "slug"), lambda: reverse(name, args=[_SLUG_MARK]), _SLUG_MARK)

    def url(slug: str) -> str:
        if _SLUG.fullmatch(slug):
            return f"{before}{slug}{after}"
        return escape(reverse(name, args=[slug]))

    return url


def text(value) -> str:
    """`{{ value }}` of a row's text, escaped as a template escapes it (conditional_escape): a
    plain `str` — a column's value, never marked safe — by html.escape directly, which is what
    Django's escape() calls (one call instead of about fifteen); anything else as
    conditional_escape does."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


_fixed: dict[tuple, tuple[str, ...]] = {}


def fixed_urls(context, *names: str) -> tuple[str, ...]:
    """The URLs of `names` (URL names without arguments) as `{% url %}` writes them in `context`:
    reversed, then kept, per all that `{% url %}` depends on besides the code (the language, the
    URL prefix and configuration, the current application, the escaping:
    fixed_text.fold_key)."""
    key = (names, *fixed_text.fold_key(context))
    found = _fixed.get(key)
    if found is None:
        current_app = fixed_text.current_app(context)
        urls = (reverse(name, current_app=current_app) for name in names)
        found = tuple(map(conditional_escape, urls)) if context.autoescape else tuple(urls)
        if len(_fixed) >= MAX_KEPT:
            _fixed.clear()
        _fixed[key] = found
    return found


def card_list(cards: str, empty: str) -> str:
    """A home section's body as its templates wrote it: the cards (HTML already escaped) in
    their list, or, when there are none, the sentence saying so (a message, inserted as it is)."""
    if cards:
        return f'\n    <ul class="card-list">\n      {cards}\n    </ul>\n  '
    return nothing_yet(empty)


def nothing_yet(message: str) -> str:
    """A section's sentence saying it has nothing to show, as its templates wrote it."""
    return f'\n    <p class="empty">{message}</p>\n  '
