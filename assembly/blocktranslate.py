"""`{% blocktranslate %}` builds its message once per template node (issue 24).

Django's node joins its tokens and, with `trimmed`, runs a regular expression over the text at
every render: for the decision log's twenty rows, or a board's cards, the same few messages
dozens of times per page. The message and its variables depend on the node's tokens only, so
each node keeps them; the translation itself is still looked up at each render, in the language
of the moment.
"""

from django.templatetags.i18n import BlockTranslateNode

_build = BlockTranslateNode.render_token_list


def _render_token_list(node, tokens):
    kept = node.__dict__.setdefault("_assemblee_messages", {})
    found = kept.get(id(tokens))
    if found is None:
        # The token list lives as long as the node: its id names it.
        found = kept[id(tokens)] = _build(node, tokens)
    message, variables = found
    return message, list(variables)  # the node extends the list it is given


def install() -> None:
    BlockTranslateNode.render_token_list = _render_token_list
