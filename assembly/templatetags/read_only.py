"""{% read_only_banner %}: the banner of a read-only season, on every page (assembly/read_only.py).

An inclusion tag of templates/_read_only_banner.html, rendered as Django's InclusionNode renders
it; outside a season (nearly always) the template gives blank text (a line break), the same at
every render whatever the language, which the node keeps once it has rendered it: the inclusion
tag cost about a hundred calls on every page for it (issue 24).
"""

from django import template

from .. import read_only

register = template.Library()

TEMPLATE = "_read_only_banner.html"


class ReadOnlyBannerNode(template.Node):
    def __init__(self):
        # The template's text without a season, when blank: the code's alone (None until then).
        self.outside = None

    def render(self, context):
        season = read_only.season()
        if season is None and self.outside is not None:
            return self.outside
        text = self._render_template(context, {"season": season})
        if season is None and not text.strip():
            self.outside = text
        return text

    def _render_template(self, context, values):
        # As django.template.library.InclusionNode.render: the template found once per render,
        # a new context holding the values and the CSRF token.
        banner = context.render_context.get(self)
        if banner is None:
            banner = context.render_context[self] = context.template.engine.get_template(TEMPLATE)
        new_context = context.new(values)
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            new_context["csrf_token"] = csrf_token
        return banner.render(new_context)


@register.tag
def read_only_banner(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("read_only_banner takes no arguments")
    return ReadOnlyBannerNode()
