"""Home's newest commons, their section and cards written in Python (issue 24).

As the template's loop, a card cost about 290 Python calls, most of them the engine's: four
variables looked up and rendered one by one. Here a card is its URL, reversed once for the list
(assembly/rows.py), and three escaped texts. The HTML is the loop's, byte for byte, escaped as
the loop escaped it (tests/commons_registry/test_home_cards.py compares the two).

The section around them (`commons_home_section`) was the template commons_registry/_home.html:
included, with its `{% translate %}`s and `{% url %}`s, some 190 calls. Here its messages are
translated through the catalogue looked up once, its links kept (assembly/rows.py), the
messages inserted as `{% translate %}` inserts the translation of a literal, as they are
(tests/commons_registry/test_home_cards.py compares it with the template).
"""

from django import template
from django.utils.safestring import mark_safe

from assembly import localised
from assembly.rows import card_list, fixed_urls, text, url_by_slug

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


_SECTION = (
    '\n<section aria-labelledby="home-commons-heading">'
    '\n  <h2 id="home-commons-heading">%s</h2>'
    "\n  %s"
    '\n  <p><a href="%s">%s</a> · <a href="%s">%s</a></p>'
    "\n</section>\n"
)


@register.simple_tag(takes_context=True)
def commons_home_section(context, newest):
    """Home's "Newest commons": the cards of `newest`, or the words saying there is none yet,
    and the links to the map and to the directory, as commons_registry/_home.html wrote them."""
    gettext = localised.messages()[0]
    map_url, directory_url = fixed_urls(context, "commons:map", "commons:directory")
    cards = commons_home_cards(newest) if newest else ""
    shown = card_list(cards, gettext("No commons is on the map yet."))
    return mark_safe(  # the cards and the URLs escaped, the messages inserted as they are
        _SECTION
        % (
            gettext("Newest commons"),
            shown,
            map_url,
            gettext("See the map of the commons"),
            directory_url,
            gettext("Browse the directory"),
        )
    )
