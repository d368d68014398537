"""`{% extends %}` finds the blocks of the template it extends once per compiled template
(issue 24).

At every render of a page that extends another, Django's ExtendsNode walks the whole node tree
of the root template (templates/base.html: the layout, its parts and their tags) to find its
`{% block %}`s: about 900 Python calls on every page. Which blocks a compiled template holds
depends on its code only, so the compiled template keeps them, as the cached loader keeps the
template itself. Everything else is Django's own ExtendsNode.render (Django 5.2), unchanged.
"""

from django.template.base import TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode

# Where a compiled template keeps its blocks (None: it extends another, which adds its own).
_KEPT = "_assemblee_root_blocks"


def _root_blocks(template):
    """The blocks of `template` if it is the root of its chain (no `{% extends %}` first), as
    Django's ExtendsNode.render finds them; None otherwise."""
    try:
        return template.__dict__[_KEPT]
    except KeyError:
        pass
    blocks = None
    for node in template.nodelist:
        # The ExtendsNode has to be the first non-text node.
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                blocks = {n.name: n for n in template.nodelist.get_nodes_by_type(BlockNode)}
            break
    template.__dict__[_KEPT] = blocks
    return blocks


def _render(node, context):
    compiled_parent = node.get_parent(context)
    if BLOCK_CONTEXT_KEY not in context.render_context:
        context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
    block_context = context.render_context[BLOCK_CONTEXT_KEY]
    block_context.add_blocks(node.blocks)
    blocks = _root_blocks(compiled_parent)
    if blocks is not None:
        block_context.add_blocks(blocks)
    # Template._render, so that the parser context stays the same (as Django's).
    with context.render_context.push_state(compiled_parent, isolated_context=False):
        return compiled_parent._render(context)


def install() -> None:
    ExtendsNode.render = _render
