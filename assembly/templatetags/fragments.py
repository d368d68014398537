"""{% fragment %} and {% layoutfragment %}: parts of pages rendered once per key (assembly/fragments.py)."""

from django import template
from django.utils.safestring import SafeString

from .. import fixed_text, fragments, page_cache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, *, versioned: bool, extra=None):
        # Its text that depends only on the code, joined once per language (fixed_text.py).
        fixed_text.fold(nodelist)
        self.nodelist = nodelist
        # Nothing left but that text: joined once already, it needs no keeping.
        self.fixed = fixed_text.only_fixed(nodelist)
        self._nodes_by_type = {}
        self.name = name
        self.versioned = versioned
        self.extra = extra

    def get_nodes_by_type(self, nodetype):
        """As Django's, found once: a compiled part never changes, and each render of a page that
        extends the layout looks for the layout's blocks through all of its parts."""
        found = self._nodes_by_type.get(nodetype)
        if found is None:
            found = self._nodes_by_type[nodetype] = super().get_nodes_by_type(nodetype)
        return list(found)

    def render_part(self, context, fold_key=None, **values):
        """The part itself, in a context of its own holding `values`; `with=` names a mapping
        (often lazy: a view's context computed only now) whose items the part sees as variables
        too. `fold_key`: fixed_text.fold_key(context), when the caller has it already."""
        extra = self.extra.resolve(context) if self.extra is not None else None
        if extra:
            values.update(extra)
        # The render context's own mapping (RenderContext.get and [] read and write its last
        # one): the same before and after the part, whose templates push and pop in pairs.
        kept = context.render_context.dicts[-1]
        outer = kept.get(fixed_text.KEY)
        kept[fixed_text.KEY] = fold_key or fixed_text.fold_key(context)
        try:
            with context.push(values):
                return self.nodelist.render(context)
        finally:
            kept[fixed_text.KEY] = outer

    def render_fixed(self, context):
        """A part of fixed text alone: its text, joined for this render's key (no variable to
        set, none to keep apart from the page's). Its name and key values are checked as a kept
        part's are."""
        fragments.key_values(self.name.resolve(context), context)
        kept = context.render_context.dicts[-1]
        outer = kept.get(fixed_text.KEY)
        kept[fixed_text.KEY] = fixed_text.fold_key(context)
        try:
            return self.nodelist.render(context)
        finally:
            kept[fixed_text.KEY] = outer

    def render(self, context):
        if self.fixed:
            return self.render_fixed(context)
        version = None
        name = self.name.resolve(context)
        if self.versioned:
            version = fragments.content_version_of(context.get("request"), name)
            if version is None:
                return self.render_part(context)
        # The language of the part's key is the one its fixed text is joined in.
        fold_key = fixed_text.fold_key(context)
        part_key = fragments.key(
            name, fragments.key_values(name, context), version=version, language=fold_key[1]
        )
        html = fragments.get(part_key)
        if html is None:
            html = str(self.render_part(context, fold_key, csrf_token=page_cache.placeholder()))
            fragments.put(part_key, html)
        if page_cache.holds_placeholder(html):
            html = page_cache.insert_token(html, context.get("csrf_token", ""))
        # Our own template's output, rendered above (or the same, kept): what mark_safe() gives
        # for a str.
        return SafeString(html)


def _parse(parser, token, end: str, *, versioned: bool):
    bits = token.split_contents()
    extra = None
    if bits[-1].startswith("with="):
        extra = parser.compile_filter(bits.pop()[len("with=") :])
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a name only (and with=): its key values come from its Python key "
            "function (assembly/fragments.py, @part)."
        )
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), versioned=versioned, extra=extra)


@register.tag
def fragment(parser, token):
    """A part that shows data: keyed also by the content version, so any write renews it."""
    return _parse(parser, token, "endfragment", versioned=True)


@register.tag
def layoutfragment(parser, token):
    """A part that depends only on the code and on the values named (navigation, footer)."""
    return _parse(parser, token, "endlayoutfragment", versioned=False)
