"""Home's newest commons, their cards written in Python (issue 24).

As the template's loop, a card cost about 290 Python calls, most of them the engine's: four
variables looked up and rendered one by one. Here a card is its URL, reversed once for the list
(assembly/rows.py), and three escaped texts. The HTML is the loop's, byte for byte, escaped as
the loop escaped it (tests/commons_registry/test_home_cards.py compares the two).
"""

from django import template
from django.utils.safestring import mark_safe

from assembly.rows import text, url_by_slug

from ..models import Commons

register = template.Library()

_CARD = (
    '\n        <li class="card">'
    '\n          <h3 class="card-title"><a href="%s">%s</a></h3>'
    '\n          <p class="muted">%s</p>'
    "\n          <p>%s</p>"
    "\n        </li>\n      "
)


@register.simple_tag
def commons_home_cards(newest):
    """The cards of `newest` (commons_registry.services.newest_published(), with their
    category), as commons_registry/_home.html's loop wrote them."""
    url = url_by_slug(Commons)
    return mark_safe(  # every piece is escaped
        "".join(
            _CARD
            % (
                url(commons),
                text(commons.name),
                text(commons.category.name),
                text(commons.summary),
            )
            for commons in newest
        )
    )
