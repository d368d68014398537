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

# Far from any real primary key: where the key goes in a reversed URL.
_MARK = 987654321
# Models' URLs kept around their marks at most (models × languages × URL prefixes, a few).
MAX_KEPT = 256

_kept: dict[tuple, tuple[str, str]] = {}


def _around(what, reversed_with, mark) -> tuple[str, str]:
    """The URL `reversed_with()` gives (with `mark` where the key goes) before and after the
    mark, escaped. Reversed once per process for each `what`, language, URL prefix and URL
    configuration, all it depends on besides the code (as assembly/url_reversing.py keeps URLs)."""
    key = (what, get_language(), get_script_prefix(), get_resolver(get_urlconf()))
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


def url_by_pk(model):
    """A function giving the escaped `get_absolute_url()` of a `model` row from its primary
    key: the URL reversed through the model's own method (once, `_around`), the key put in its
    place."""
    before, after = _around((model, "pk"), lambda: _row_url(model, "pk", _MARK), _MARK)
    return lambda pk: f"{before}{pk:d}{after}"


def url_by_name(name: str):
    """A function giving the escaped `reverse(name, args=[pk])` from a primary key: the URL
    reversed once (`_around`), the key put in its place."""
    before, after = _around(name, lambda: reverse(name, args=[_MARK]), _MARK)
    return lambda pk: f"{before}{pk:d}{after}"


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
