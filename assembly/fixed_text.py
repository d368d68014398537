"""The text of a kept part that depends only on the code, joined once per language (issue 24).

A kept part (assembly/fragments.py) is rendered from scratch on the first view after a write,
and most of the layout's parts are made of text that no data can change: markup, a
`{% translate "Menu" %}`, a `{% url 'home' %}`, a `{% static 'css/assemblee.css' %}`. Each of those
tags costs the template engine some seventy to a hundred function calls at every render, to give
the same text for the same language. So when a part is compiled, each run of such nodes becomes
one `FixedText` node, which renders its nodes once per language (and URL prefix, URL
configuration, current application and autoescaping: all they depend on) and keeps the text with
the compiled template, as the template keeps its nodes.

Only nodes known to read nothing else are joined: text, comments, `{% translate %}` of a literal
without `as`, `{% url %}` of a literal name without arguments nor `as`, `{% static %}` of a literal
path without `as`. Anything else (a variable, `{% if %}`, `{% csrf_token %}`…) renders as before,
between the runs; the runs inside `{% if %}`, `{% for %}` and `{% with %}` are joined too, never
inside `{% language %}` or `{% autoescape %}`, which change what the text depends on.
"""

import threading

from django.core.signals import setting_changed
from django.template.base import Node, TextNode, Variable
from django.template.defaulttags import (
    AutoEscapeControlNode,
    CommentNode,
    IfNode,
    URLNode,
)
from django.templatetags.i18n import LanguageNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

# Where a part's render keeps what its fixed text depends on (a template's render context), and
# the part of it that is the same for the whole render.
KEY = "assembly.fixed_text"
_URLS_KEY = "assembly.fixed_text.urls"
# Texts one node keeps at most: languages × current applications (the namespaces of the pages
# showing it), a few dozen.
MAX_TEXTS = 256

_lock = threading.Lock()
# Moves on when a setting changes (tests: ROOT_URLCONF, STATIC_URL, LOCALE_PATHS…): every text
# joined before is then joined again.
_generation = 0


def _constant(expression) -> bool:
    """A literal string without filters ('home', "css/assemblee.css")."""
    return isinstance(expression.var, str) and not expression.filters


def _translated_literal(expression) -> bool:
    # TranslateNode turns its literal into a Variable of that literal.
    var = expression.var
    return (
        isinstance(var, Variable)
        and var.lookups is None
        and isinstance(var.literal, str)
        and not expression.filters
    )


def is_fixed(node: Node) -> bool:
    if isinstance(node, (TextNode, CommentNode)):
        return True
    if isinstance(node, TranslateNode):
        return (
            node.asvar is None
            and _translated_literal(node.filter_expression)
            and (node.message_context is None or _constant(node.message_context))
        )
    if isinstance(node, URLNode):
        return (
            node.asvar is None and not node.args and not node.kwargs and _constant(node.view_name)
        )
    if isinstance(node, StaticNode):
        return node.varname is None and _constant(node.path)
    return False


class FixedText(Node):
    """A run of fixed nodes, rendered once per key (`fold_key()`), then given as kept."""

    def __init__(self, nodes: list[Node]):
        self.nodes = nodes
        self.texts: dict[tuple, str] = {}
        self.token = nodes[0].token
        self.origin = nodes[0].origin

    def __repr__(self):
        return f"<FixedText: {len(self.nodes)} nodes>"

    def render(self, context):
        # RenderContext.get's own reading, without its call.
        key = context.render_context.dicts[-1].get(KEY) or fold_key(context)
        text = self.texts.get(key)
        if text is None:
            text = "".join(node.render_annotated(context) for node in self.nodes)
            _keep(self.texts, key, text, MAX_TEXTS)
        return text


def _keep(texts: dict, key: tuple, text: str, most: int) -> None:
    with _lock:
        if len(texts) >= most:
            texts.clear()
        texts[key] = text


def current_app(context):
    """The current application, as `{% url %}` finds it (django.template.defaulttags.URLNode.
    render): what a URL reversed for this context depends on besides the request's prefix."""
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


def fold_key(context) -> tuple:
    """All that the fixed nodes' text depends on, besides the code: the language and the
    escaping of the moment, and what the URLs depend on, the same for the whole render (the
    request's), read once per render."""
    kept = context.render_context
    urls = kept.get(_URLS_KEY)
    if urls is None:
        urls = kept[_URLS_KEY] = (get_script_prefix(), get_urlconf(), current_app(context))
    return (_generation, get_language(), context.autoescape, *urls)


# Where a fixed node rendered alone keeps its texts (False: it may not).
_NODE_TEXTS = "_assemblee_texts"
# Texts such a node keeps at most (languages × escaping × URL prefixes and applications: a few).
MAX_NODE_TEXTS = 16


def keeping(render, *, urls: bool):
    """`render`, a node class's (`{% translate %}`'s, `{% url %}`'s), made to keep each fixed
    node's text (`is_fixed`) as FixedText keeps a run's: for the nodes no run holds (one alone
    between variables, or in a template that is not a kept part). Per language and escaping,
    and what URLs depend on when `urls` (`fold_key`); forgotten when a setting changes. Any other
    node renders as before."""

    def render_kept(node, context):
        texts = node.__dict__.get(_NODE_TEXTS)
        if texts is None:
            texts = node.__dict__[_NODE_TEXTS] = {} if is_fixed(node) else False
        if texts is False:
            return render(node, context)
        # Read here, not from the part's render context: a lone node may be inside a
        # {% language %} or an {% autoescape %}.
        key = fold_key(context) if urls else (_generation, get_language(), context.autoescape)
        text = texts.get(key)
        if text is None:
            text = render(node, context)
            _keep(texts, key, text, MAX_NODE_TEXTS)
        return text

    return render_kept


def _join(run: list[Node], into: list[Node]) -> None:
    if not run:
        return
    if all(isinstance(node, TextNode) for node in run):
        # Markup alone needs no key: one text node.
        text = TextNode("".join(node.s for node in run))
        text.token, text.origin = run[0].token, run[0].origin
        into.append(text)
    else:
        into.append(FixedText(run))


def fold(nodelist) -> None:
    """Each run of fixed nodes of `nodelist` (in place) and of the lists it holds becomes one
    node."""
    folded: list[Node] = []
    run: list[Node] = []
    for node in nodelist:
        if is_fixed(node):
            run.append(node)
            continue
        _join(run, folded)
        run = []
        _fold_inside(node)
        folded.append(node)
    _join(run, folded)
    nodelist[:] = folded


def only_fixed(nodelist) -> bool:
    """True when a folded list holds nothing but fixed text."""
    return all(isinstance(node, (TextNode, FixedText)) for node in nodelist)


def _fold_inside(node: Node) -> None:
    if isinstance(node, (LanguageNode, AutoEscapeControlNode, FixedText)) or hasattr(
        node, "render_part"
    ):
        # Another language or escaping inside; or a part of its own, folded already.
        return
    if isinstance(node, IfNode):
        for _condition, nodelist in node.conditions_nodelists:
            fold(nodelist)
        return
    if type(node).__module__ == "django.template.defaulttags":
        # {% for %}, {% with %}, {% spaceless %}…: their lists render in the same language.
        for name in node.child_nodelists:
            nodelist = getattr(node, name, None)
            if nodelist is not None:
                fold(nodelist)


def _forget(**kwargs) -> None:
    global _generation
    with _lock:
        _generation += 1


setting_changed.connect(_forget, dispatch_uid="assembly-fixed-text")
