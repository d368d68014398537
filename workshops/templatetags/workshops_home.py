"""The next meeting's board on home, its rows written in Python (issue 24).

As the template's loop, a row cost about 220 Python calls (a reversed URL, the title, a
`{% blocktranslate count %}`); here about twenty: the URL is reversed once for the list
(assembly/rows.py), each count's message translated once. The HTML is the loop's, byte for byte,
escaped as the loop escaped it: the URL, the title and the count escaped, the message inserted as
it is (tests/workshops/test_home_rows.py compares the two).
"""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from assembly.rows import url_by_pk

from ..models import Workshop

register = template.Library()

_ROW = '\n          <li><a href="%s">%s</a> <span class="muted">%s</span></li>\n        '


@register.simple_tag
def board_rows(workshops):
    """`next_meeting.board`'s rows, as workshops/_home.html's loop wrote them."""
    url = url_by_pk(Workshop)
    people_in, rows = {}, []
    for workshop in workshops:
        count = workshop.signup_count
        signed_up = people_in.get(count)
        if signed_up is None:
            signed_up = people_in[count] = ngettext(
                "%(counter)s person in", "%(counter)s people in", count
            ) % {"counter": escape(localize(count))}
        rows.append(_ROW % (url(workshop.pk), conditional_escape(workshop.title), signed_up))
    return mark_safe("".join(rows))  # every piece is escaped above


@register.simple_tag
def initiation_notes(workshops):
    """ ", including an initiation…" once per initiation among `workshops`, as the loop wrote
    it."""
    initiations = sum(1 for workshop in workshops if workshop.is_initiation)
    if not initiations:
        return ""
    # As {% translate %} inserts the translation of a literal: as it is.
    note = ", " + gettext("including an initiation to the commons for newcomers")
    return mark_safe(note * initiations)
