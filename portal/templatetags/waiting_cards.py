"""What waits for a person (home, /me/), its cards written in Python (issue 24).

As assembly/_waiting.html's three loops, a card cost 600 to 700 Python calls: a reversed URL, two
`{% blocktranslate %}` (one around a localised date, or a count), the phase badge. Here the URLs
are reversed and the messages translated once for the lists (assembly/rows.py), each date format
looked up once per list (assembly/localised.py). The HTML is the loops', byte for byte, and
escaped as they escaped it: the URLs, the titles, the dates and the counts escaped, the messages
of `{% blocktranslate %}` inserted as they are (tests/portal/test_waiting_cards.py compares the
two).

The section around them (`waiting_section`) was assembly/_waiting.html's own markup: home writes
it without including that template (some fifty calls), /me/ through it; its messages are
translated through the catalogue looked up once and inserted as `{% translate %}` inserted them.
"""

from django import template
from django.utils.safestring import mark_safe

from assembly import localised
from assembly.rows import text, url_by_pk
from decisions.models import Decision
from decisions.templatetags.decisions import phase_badge
from workshops.models import Workshop

register = template.Library()

_VOTE = (
    '\n      <li class="card waiting-vote">'
    '\n        <a href="%s#vote">%s</a>'
    '\n        <span class="muted">%s</span>'
    "\n      </li>\n    "
)
_DISCUSSION = (
    '\n      <li class="card waiting-discussion">'
    '\n        <a href="%s#discussion">%s</a>'
    "\n        %s"
    "\n        %s"
    "\n      </li>\n    "
)
_NOTES = (
    '\n      <li class="card waiting-notes">'
    '\n        <a href="%s#id_notes">%s</a>'
    '\n        <span class="muted">%s, %s</span>'
    "\n      </li>\n    "
)
# Where the template's loops left their line breaks, between one list and the next.
_BETWEEN = "\n    "


def _votes(votes, messages) -> list[str]:
    if not votes:
        return []
    url = url_by_pk(Decision)
    gettext = messages[0]
    vote_on, closes_on = gettext("Vote on “%(title)s”"), gettext("The vote closes on %(closes)s.")
    date = localised.dates("DATETIME_FORMAT")
    return [
        _VOTE
        % (
            url(decision.pk),
            vote_on % {"title": text(decision.title)},
            closes_on % {"closes": date(decision.vote_closes_at)},
        )
        for decision in votes
    ]


def _new_comments(count, ngettext) -> str:
    if not count:
        return ""
    message = ngettext("%(counter)s new comment", "%(counter)s new comments", count)
    return '<span class="muted">%s</span>' % (message % {"counter": localised.number(count)})


def _discussions(discussions, messages) -> list[str]:
    if not discussions:
        return []
    url = url_by_pk(Decision)
    gettext, ngettext = messages
    see_what_is_new = gettext("See what is new in “%(title)s”")
    return [
        _DISCUSSION
        % (
            url(decision.pk),
            see_what_is_new % {"title": text(decision.title)},
            phase_badge(decision),
            _new_comments(decision.new_comments, ngettext),
        )
        for decision in discussions
    ]


def _notes(notes, messages) -> list[str]:
    if not notes:
        return []
    url = url_by_pk(Workshop)
    gettext = messages[0]
    write_the_notes = gettext("Write the notes of “%(title)s”")
    day = localised.dates("j F Y")
    return [
        _NOTES
        % (
            url(workshop.pk),
            write_the_notes % {"title": text(workshop.title)},
            text(workshop.meeting.title),
            day(workshop.meeting.starts_at),
        )
        for workshop in notes
    ]


@register.simple_tag
def waiting_cards(waiting, *, messages=None):
    """The cards of `waiting` (portal.waiting.Waiting): the votes to cast, the discussions that
    moved on, the notes to write, as assembly/_waiting.html's loops wrote them. `messages`: the
    section's localised.messages(), when it looked them up already."""
    messages = messages or localised.messages()
    return mark_safe(  # every piece is escaped above
        "".join(_votes(waiting.votes, messages))
        + _BETWEEN
        + "".join(_discussions(waiting.discussions, messages))
        + _BETWEEN
        + "".join(_notes(waiting.notes, messages))
    )


_SECTION = (
    '\n\n<section class="waiting" aria-labelledby="waiting-title">'
    '\n  <h2 id="waiting-title">%s</h2>'
    "\n  %s"
    "\n</section>\n\n"
)
_CARDS = '<ul class="card-list">\n    %s\n  </ul>'
_NOTHING = '<p class="empty">%s</p>'


@register.simple_tag
def waiting_section(waiting, show_empty=False):
    """ "Waiting for you": the cards of `waiting` (portal.waiting.Waiting, or None for someone
    not signed in); when nothing waits, the words saying so if `show_empty`, else nothing. As
    assembly/_waiting.html wrote it, line breaks included."""
    if not waiting and not show_empty:
        return "\n\n"
    messages = localised.messages()
    gettext = messages[0]
    if waiting:
        shown = _CARDS % waiting_cards(waiting, messages=messages)
    else:
        shown = _NOTHING % gettext("Nothing is waiting for you.")
    # The cards escaped above, the messages inserted as they are.
    return mark_safe(_SECTION % (gettext("Waiting for you"), shown))
