"""Home's open decisions, their cards written in Python (issue 24).

As the template's loop, a card cost about 550 Python calls: a reversed URL, the phase badge, a
lazy label through a filter, an `{% if %}` per phase and a `{% blocktranslate %}` around a
localised date. Here the URL is reversed, the messages translated and the date format looked up
once for the list (assembly/rows.py), the badge and the label once per phase and kind. The HTML
is the loop's, byte for byte, and escaped as the loop escaped it: the URL, the title, the label
and the date escaped; the messages inserted as they are, as `{% translate %}` inserts the
translation of a literal and `{% blocktranslate %}` its message (tests/decisions/
test_home_cards.py compares the two).

The section around them (`decisions_home_section`) was the template decisions/_home.html:
included, with its `{% translate %}`s and `{% url %}`, some 150 calls. Here its messages are
translated through the catalogue looked up once, its link kept (assembly/rows.py), the messages
inserted as `{% translate %}` inserts the translation of a literal, as they are (tests/decisions/
test_home_cards.py compares it with the template).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from assembly import localised
from assembly.rows import card_list, fixed_urls, text, url_by_pk

from ..models import Decision
from .decisions import phase_badge

register = template.Library()

_CARD = (
    '\n        <li class="card">'
    '\n          <h3 class="card-title"><a href="%s">%s</a></h3>'
    '\n          <p>%s <span class="muted">%s</span></p>'
    '\n          <p class="muted">%s</p>'
    "\n        </li>\n      "
)


@register.simple_tag
def decision_home_cards(decisions, *, messages=None):
    """The cards of `decisions` (decisions.services.open_decisions()), each as the loop of
    decisions/_home.html wrote it."""
    url = url_by_pk(Decision)
    gettext = (messages or localised.messages())[0]
    # {{ value|date:"DATETIME_FORMAT" }} as a variable of {% blocktranslate %}: escaped.
    date = localised.dates("DATETIME_FORMAT")

    voting, discussion = (
        gettext("Vote open until %(closes)s"),
        gettext("Discussion open until %(ends)s"),
    )
    awaiting = gettext("Waiting for its proposal")
    badges, kinds, cards = {}, {}, []
    for decision in decisions:
        phase = decision.phase
        badge = badges.get((phase, decision.outcome))
        if badge is None:
            badge = badges[phase, decision.outcome] = phase_badge(decision)
        kind = kinds.get(decision.kind)
        if kind is None:
            kind = kinds[decision.kind] = escape(capfirst(decision.get_kind_display()))
        if phase == "voting":
            when = voting % {"closes": date(decision.vote_closes_at)}
        elif phase == "discussion":
            when = discussion % {"ends": date(decision.discussion_ends_at)}
        else:
            when = awaiting
        cards.append(_CARD % (url(decision.pk), text(decision.title), badge, kind, when))
    return mark_safe("".join(cards))  # every piece is escaped above


_SECTION = (
    '\n<section class="home-decisions" aria-labelledby="home-decisions-title">'
    '\n  <h2 id="home-decisions-title">%s</h2>'
    "\n  %s"
    '\n  <p><a href="%s">%s</a></p>'
    "\n</section>\n"
)


@register.simple_tag(takes_context=True)
def decisions_home_section(context, decisions):
    """Home's "Open decisions": the cards of `decisions` (decisions.services.open_decisions()),
    or the words saying none is open, and the link to them all, as decisions/_home.html wrote
    them."""
    messages = localised.messages()
    gettext = messages[0]
    (all_url,) = fixed_urls(context, "decisions:list")
    cards = decision_home_cards(decisions, messages=messages) if decisions else ""
    shown = card_list(cards, gettext("No decision is being discussed or voted on right now."))
    return mark_safe(  # the cards and the URL escaped, the messages inserted as they are
        _SECTION % (gettext("Open decisions"), shown, all_url, gettext("All decisions"))
    )
