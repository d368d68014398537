"""`{% url %}` and `get_absolute_url()` keep what they reversed, in each process (issue 24).

A page reverses dozens of URLs (the layout's links, a link per row of a list), and Django's
resolver matches each one against its patterns and a regular expression at every call. What it
gives depends only on the resolver, the view's name, the prefix, the arguments and the active
language (translated patterns), so each process keeps the answers, a bounded number of them.
Arguments other than text and integers (objects whose text may change) are never kept.

Even kept, a `{% url 'name' %}` costs about a hundred calls (the tag, `reverse()`'s namespaces
and prefix, the escaping), for the same text on every page of a language. So a node of a literal
name without arguments nor `as` keeps its text too, per language, URL prefix, URL configuration,
current application and escaping: all it depends on besides the code.
"""

from django.core.signals import setting_changed
from django.template.defaulttags import URLNode
from django.urls import get_script_prefix, get_urlconf
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


_render_url = URLNode.render
# Where a node keeps its texts, and whether it may.
_TEXTS, _FIXED = "_assemblee_texts", "_assemblee_fixed"
# Texts one node keeps at most (languages × prefixes × applications: a few).
MAX_TEXTS = 16
# Moves on when a setting changes (ROOT_URLCONF in tests…): every text is then reversed again.
_generation = 0


def _current_app(context):
    # As URLNode.render finds it.
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


def _render_url_kept(node, context):
    fixed = node.__dict__.get(_FIXED)
    if fixed is None:
        name = node.view_name
        fixed = node.__dict__[_FIXED] = (
            node.asvar is None
            and not node.args
            and not node.kwargs
            and isinstance(name.var, str)
            and not name.filters
        )
    if not fixed:
        return _render_url(node, context)
    texts = node.__dict__.get(_TEXTS)
    if texts is None:
        texts = node.__dict__[_TEXTS] = {}
    key = (
        _generation,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        _current_app(context),
        context.autoescape,
    )
    text = texts.get(key)
    if text is None:
        text = _render_url(node, context)
        if len(texts) >= MAX_TEXTS:
            texts.clear()
        texts[key] = text
    return text


def _forget(**kwargs) -> None:
    global _generation
    _generation += 1


def install() -> None:
    URLResolver._reverse_with_prefix = _reverse_with_prefix
    URLNode.render = _render_url_kept
    setting_changed.connect(_forget, dispatch_uid="assembly-url-tag")
