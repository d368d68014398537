"""{% language_options %}: the language switcher's options, in Python (issue 24).
{% aria_current %}: the main navigation's mark of the section shown.

The layout (templates/base.html) lists the languages the assembly offers, and the one in use,
in a select: written in the template, the loop, its conditions and filters cost some six
hundred function calls at each first view after a write, for two options.
"""

import functools
from html import escape

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

register = template.Library()

# One option, indented as the select's other lines in templates/base.html.
_OPTION = '\n            <option value="{code}"{selected} lang="{code}">{name}</option>\n          '


@register.simple_tag
def language_options(assembly, current):
    """An option for each language of settings.LANGUAGES that the assembly offers, and for
    `current`, the language in use (selected). The 503 page's stand-in for the configuration (a
    mapping, assembly/unavailable.py) offers none but the current one."""
    offered = getattr(assembly, "language_codes", ())
    options = [
        _option(code, code == current)
        for code, _name in settings.LANGUAGES
        if code in offered or code == current
    ]
    return mark_safe("".join(options))  # each value escaped in _option


@functools.cache
def _option(code: str, selected: bool) -> str:
    # Django's names of the language (django.conf.locale.LANG_INFO): the code's alone, written
    # once per process.
    return _OPTION.format(
        code=escape(code),
        selected=" selected" if selected else "",
        name=escape(_capfirst(get_language_info(code)["name_local"])),
    )


def _capfirst(text: str) -> str:
    # django.utils.text.capfirst, and html.escape is Django's escape, without their lazy wrappers.
    return text[:1].upper() + text[1:]


# What the navigation's link to the section shown carries (templates/base.html).
_ARIA_CURRENT = ' aria-current="page"'


class AriaCurrentNode(template.Node):
    def __init__(self, value, names: tuple[str, ...]):
        self.value = value
        self.names = names

    def render(self, context):
        # As `{% if value == "a" or value == "b" %}`: a variable that does not resolve is "".
        return _ARIA_CURRENT if self.value.resolve(context, True) in self.names else ""


@register.tag
def aria_current(parser, token):
    """`{% aria_current here.namespace "commons" %}`: ` aria-current="page"` when the value is
    one of the names given, else nothing: what the layout wrote with an `{% if %}` per link,
    some twenty calls each on every first view of a page (issue 24)."""
    bits = token.split_contents()
    names = bits[2:]
    if not names or any(name[:1] not in "\"'" or name[-1:] != name[:1] for name in names):
        raise template.TemplateSyntaxError(
            "aria_current takes a value and one or more quoted names"
        )
    return AriaCurrentNode(parser.compile_filter(bits[1]), tuple(n[1:-1] for n in names))
