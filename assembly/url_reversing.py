"""`{% url %}` and `get_absolute_url()` keep what they reversed, in each process (issue 24).

A page reverses dozens of URLs (the layout's links, a link per row of a list), and Django's
resolver matches each one against its patterns and a regular expression at every call. What it
gives depends only on the resolver, the view's name, the prefix, the arguments and the active
language (translated patterns), so each process keeps the answers, a bounded number of them.
Arguments other than text and integers (objects whose text may change) are never kept.
"""

from django.urls.resolvers import URLResolver
from django.utils.translation import get_language

MAX_ENTRIES = 8192

_reverse = URLResolver._reverse_with_prefix
_kept: dict[tuple, str] = {}


def _plain(values) -> bool:
    return all(type(value) in (int, str) for value in values)


def _reverse_with_prefix(resolver, lookup_view, _prefix, *args, **kwargs):
    if not (isinstance(lookup_view, str) and _plain(args) and _plain(kwargs.values())):
        return _reverse(resolver, lookup_view, _prefix, *args, **kwargs)
    key = (resolver, lookup_view, _prefix, args, tuple(sorted(kwargs.items())), get_language())
    found = _kept.get(key)
    if found is None:
        found = _reverse(resolver, lookup_view, _prefix, *args, **kwargs)
        if len(_kept) >= MAX_ENTRIES:
            _kept.clear()
        _kept[key] = found
    return found


def install() -> None:
    URLResolver._reverse_with_prefix = _reverse_with_prefix
