"""`{% translate "literal" %}` keeps its text per language in each process (issue 24).

Django's node turns its literal into a lazy translation, forces it, localises and escapes it at
every render: about seventy Python calls for a word of the page, and a page holds dozens. What
it gives depends only on the node's literal (and message context), the catalogues (the code),
the language and whether the template escapes; so each node keeps its text per language and
escaping, forgotten when a setting changes (tests change languages and catalogues). A node with
anything else (a variable, a filter, `as`, a context that is not a literal) renders as before.
"""

from django.core.signals import setting_changed
from django.template.base import Variable
from django.templatetags.i18n import TranslateNode
from django.utils.translation import get_language

_render = TranslateNode.render
# Where a node keeps its texts, and whether it may.
_TEXTS, _FIXED = "_assemblee_texts", "_assemblee_fixed"
# Texts one node keeps at most (languages × escaping: a few).
MAX_TEXTS = 16

# Moves on when a setting changes: every text kept before is then looked up again.
_generation = 0


def _is_fixed(node) -> bool:
    var, context = node.filter_expression.var, node.message_context
    return (
        node.asvar is None
        and not node.filter_expression.filters
        and isinstance(var, Variable)
        and var.lookups is None
        and isinstance(var.literal, str)
        and (context is None or (isinstance(context.var, str) and not context.filters))
    )


def _render_kept(node, context):
    fixed = node.__dict__.get(_FIXED)
    if fixed is None:
        fixed = node.__dict__[_FIXED] = _is_fixed(node)
    if not fixed:
        return _render(node, context)
    texts = node.__dict__.get(_TEXTS)
    if texts is None:
        texts = node.__dict__[_TEXTS] = {}
    key = (_generation, get_language(), context.autoescape)
    text = texts.get(key)
    if text is None:
        text = _render(node, context)
        if len(texts) >= MAX_TEXTS:
            texts.clear()
        texts[key] = text
    return text


def _forget(**kwargs) -> None:
    global _generation
    _generation += 1


def install() -> None:
    TranslateNode.render = _render_kept
    setting_changed.connect(_forget, dispatch_uid="assembly-translate")
