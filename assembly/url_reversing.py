"""`{% url %}` and `get_absolute_url()` keep what they reversed, in each process (issue 24).

A page reverses dozens of URLs (the layout's links, a link per row of a list), and Django's
resolver matches each one against its patterns and a regular expression at every call. What it
gives depends only on the resolver, the view's name, the prefix, the arguments and the active
language (translated patterns), so each process keeps the answers, a bounded number of them.
Arguments other than text and integers (objects whose text may change) are never kept.

Even kept, a `{% url 'name' %}` costs about a hundred calls (the tag, `reverse()`'s namespaces
and prefix, the escaping), for the same text on every page of a language. So a node of a literal
name without arguments nor `as` keeps its text too, per language, URL prefix, URL configuration,
current application and escaping: all it depends on besides the code (assembly/fixed_text.py's
`keeping`, as a run of such nodes keeps its text).

Resolving a request's path is kept the same way: every request's handler matches its path against
the patterns in turn, some two hundred calls for a page under /decisions/, and the match depends
only on the resolver, the path and the active language (translated patterns; the project's
converters are Django's own, functions of the text alone). A path that matches nothing (404) is
never kept. Each use gets its own copy of the match (and of its keyword arguments): a view may
change them.
"""

from django.template.defaulttags import URLNode
from django.urls.resolvers import ResolverMatch, URLResolver
from django.utils.translation import get_language

from .fixed_text import keeping

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


_resolve = URLResolver.resolve
_resolved: dict[tuple, ResolverMatch] = {}


def _resolve_kept(resolver, path):
    if type(path) is not str:
        # A lazy path (reverse_lazy) reads as its text of the moment.
        return _resolve(resolver, path)
    key = (resolver, path, get_language())
    found = _resolved.get(key)
    if found is None:
        # Resolver404 when nothing matches: never kept.
        found = _resolve(resolver, path)
        if len(_resolved) >= MAX_ENTRIES:
            _resolved.clear()
        _resolved[key] = found
    match = object.__new__(ResolverMatch)
    match.__dict__.update(found.__dict__)
    match.kwargs = dict(found.kwargs)
    return match


_render_url = URLNode.render


def install() -> None:
    URLResolver._reverse_with_prefix = _reverse_with_prefix
    URLResolver.resolve = _resolve_kept
    URLNode.render = keeping(_render_url, urls=True)
