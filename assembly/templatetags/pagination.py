"""`{% pagination %}`: the links between the pages of a list, written in Python (issue 24).

templates/_pagination.html, which six lists include, is this tag: as a template, its conditions,
`{% querystring %}` twice, three `|default:_()` and a `{% blocktranslate %}` cost the decision
log about 640 calls at each first view. The bytes are the template's: each value is rendered as
`{{ }}` rendered it (`render_value_in_context`: localised, escaped; a page number's digits), the query string escaped as
the `{% querystring %}` tag's output was, the messages looked up by the template's msgids.
"""

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.template.defaulttags import querystring
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context):
    """The context's `page` (a Paginator page) and, optionally, `label` (the navigation's
    accessible name), `previous_label` and `next_label`: nothing when the list has one page. The
    links keep every other query parameter of the request (the list's filters), and change only
    `page`."""
    page = context.get("page")
    if page is None or not page.has_other_pages():
        return ""
    label = render_value_in_context(context.get("label") or gettext("Pages"), context)
    html = ['\n  <nav class="pagination" aria-label="', label, '">\n    ']
    if page.has_previous():
        previous = context.get("previous_label") or gettext("Previous")
        html += [
            '<a href="',
            _link(context, page.previous_page_number()),
            '" rel="prev">',
            render_value_in_context(previous, context),
            "</a>",
        ]
    number = _number(page.number, context)
    total = _number(page.paginator.num_pages, context)
    html += [
        "\n    <span>",
        gettext("Page %(number)s of %(total)s") % {"number": number, "total": total},
        "</span>\n    ",
    ]
    if page.has_next():
        following = context.get("next_label") or gettext("Next")
        html += [
            '<a href="',
            _link(context, page.next_page_number()),
            '" rel="next">',
            render_value_in_context(following, context),
            "</a>",
        ]
    html.append("\n  </nav>\n")
    return mark_safe("".join(html))  # every value escaped above


def _number(value: int, context) -> str:
    """`{{ value }}` for a page's number: its digits, as Django localises an integer without
    thousands separators (numberformat's first case), at the cost of a `str`."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return render_value_in_context(value, context)


def _link(context, number: int) -> str:
    """`{% querystring page=number %}`, escaped as the tag's output is."""
    link = querystring(context, page=number)
    return conditional_escape(link) if context.autoescape else link
