"""The next meeting on home, its board's rows and its details written in Python (issue 24).

As the template's loop, a row cost about 220 Python calls (a reversed URL, the title, a
`{% blocktranslate count %}`); here about twenty: the URL is reversed once for the list
(assembly/rows.py), each count's message translated once. The HTML is the loop's, byte for byte,
escaped as the loop escaped it: the URL, the title and the count escaped, the message inserted as
it is (tests/workshops/test_home_rows.py compares the two).

The meeting's details (`next_meeting_details`) cost about 1,800 calls as template (four dates
through the date filter, three `{% url %}`s, a `{% blocktranslate count %}`, a dozen variables and
conditions); here a few hundred: the dates written by assembly/localised.py, each value escaped
as a variable is, each message inserted as its tag inserted it (tests/workshops/
test_home_details.py compares the two).

The section around them (`next_meeting_section`) was the template workshops/_home.html, included:
its heading and the words saying no meeting is planned yet are translated through the catalogue
looked up once, inserted as `{% translate %}` inserted them (tests/workshops/test_home_details.py
compares it with the template).
"""

from html import escape as escape_text

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from assembly import fixed_text, localised
from assembly.rows import nothing_yet, text, url_by_pk

from ..models import Meeting, Workshop

register = template.Library()


_ROW = '\n          <li><a href="%s">%s</a> <span class="muted">%s</span></li>\n        '


@register.simple_tag
def board_rows(workshops, *, messages=None):
    """`next_meeting.board`'s rows, as workshops/_home.html's loop wrote them."""
    url = url_by_pk(Workshop)
    ngettext = (messages or localised.messages())[1]
    people_in, rows = {}, []
    for workshop in workshops:
        count = workshop.signup_count
        signed_up = people_in.get(count)
        if signed_up is None:
            signed_up = people_in[count] = ngettext(
                "%(counter)s person in", "%(counter)s people in", count
            ) % {"counter": localised.number(count)}
        rows.append(_ROW % (url(workshop.pk), text(workshop.title), signed_up))
    return mark_safe("".join(rows))  # every piece is escaped above


@register.simple_tag
def initiation_notes(workshops, *, messages=None):
    """ ", including an initiation…" once per initiation among `workshops`, as the loop wrote
    it."""
    initiations = sum(1 for workshop in workshops if workshop.is_initiation)
    if not initiations:
        return ""
    gettext = (messages or localised.messages())[0]
    # As {% translate %} inserts the translation of a literal: as it is.
    note = ", " + gettext("including an initiation to the commons for newcomers")
    return mark_safe(note * initiations)


_DETAILS = """
    <p><a href="{url}"><strong>{title}</strong></a>,
      <time datetime="{iso}">{day}, {time}</time>{venue_name}</p>
    {cancelled}
    {board}
    <p><a href="{url}">{see_board}</a></p>
    <section class="next-in-brief" aria-labelledby="next-in-brief-title">
      <h3 id="next-in-brief-title">{in_brief}</h3>
      <ul>
        <li>{when} <time datetime="{iso}">{day}, {time}–{ends}</time></li>
        {where}
        <li>{proposed}{initiations}</li>
        <li><a href="{propose_url}?meeting={pk}">{propose}</a> · <a href="{ics_url}">{ics}</a> · <a href="{subscribe_url}">{subscribe}</a></li>
      </ul>
    </section>
  """


# The links of the next meeting's details, escaped, per all they depend on besides the code
# (fixed_text.fold_key: the language, the URL prefix and configuration, the current application,
# the escaping): three `reverse()`s cost some two hundred calls at each first view.
_LINKS: dict[tuple, tuple] = {}
# Kept at most: languages × URL prefixes and applications, a few.
MAX_LINKS = 64
# Far from any real primary key: where the meeting's key goes in its .ics URL.
_MARK = 987654321


def _links(context) -> tuple:
    """The escaped URLs of the page to propose a workshop, of the subscription and a function
    giving a meeting's .ics from its key, as `{% url %}` would write them here."""
    key = fixed_text.fold_key(context)
    found = _LINKS.get(key)
    if found is None:
        current_app = fixed_text.current_app(context)
        before, _, after = reverse(
            "meetings:ics", args=[_MARK], current_app=current_app
        ).rpartition(str(_MARK))
        before, after = escape_text(before), escape_text(after)
        found = (
            escape_text(reverse("workshops:propose", current_app=current_app)),
            lambda pk: f"{before}{pk:d}{after}",
            escape_text(reverse("subscribe", current_app=current_app)),
        )
        if len(_LINKS) >= MAX_LINKS:
            _LINKS.clear()
        _LINKS[key] = found
    return found


@register.simple_tag(takes_context=True)
def next_meeting_details(context, meeting, *, messages=None):
    """What workshops/_home.html's `{% with %}` wrote for the next meeting: its title, time and
    place, its board, and "in brief". Translations of `{% translate %}` literals and of the
    `{% blocktranslate %}` inserted as those tags inserted them; every value escaped."""
    # The catalogue looked up once for the dozen messages below (assembly/localised.py).
    messages = messages or localised.messages()
    gettext, ngettext = messages
    url = url_by_pk(Meeting)(meeting.pk)
    # The date filter's work (assembly/localised.py), each format looked up once.
    iso, day, hours = localised.date_writers("c", "l j F Y", "H:i")
    venue = meeting.venue
    board = meeting.board
    if venue:
        venue_name = ", " + text(venue.name)
        address = ", " + text(venue.address) if venue.address else ""
        # Literal msgids outside the f-strings: makemessages does not look inside those.
        where_label = gettext("Where:")
        where = f"<li>{where_label} {text(venue.name)}{address}</li>"
        if venue.accessibility:
            access_label = gettext("Access:")
            where += f"\n        <li>{access_label} {text(venue.accessibility)}</li>"
        else:
            where += "\n        "
    else:
        venue_name = where = ""
    if meeting.is_cancelled:
        cancelled_label = gettext("Cancelled")
        cancelled = (
            f'<p><span class="badge badge-warn">{cancelled_label}</span> '
            f"{text(meeting.cancellation_reason)}</p>"
        )
    else:
        cancelled = ""
    if board:
        rows = f"\n      <ul>\n        {board_rows(board, messages=messages)}\n      </ul>\n    "
    else:
        empty = gettext("No workshop yet.")
        rows = f'\n      <p class="empty">{empty}</p>\n    '
    count = len(board)
    propose_url, ics_url, subscribe_url = _links(context)
    # Dates and URLs are text: escaped as Django's escape() escapes text (html.escape).
    return mark_safe(  # every value is escaped above or here
        _DETAILS.format(
            url=url,
            title=text(meeting.title),
            iso=iso(meeting.starts_at),
            day=day(meeting.starts_at),
            time=hours(meeting.starts_at),
            ends=hours(meeting.ends_at),
            venue_name=venue_name,
            cancelled=cancelled,
            board=rows,
            see_board=gettext("See the board and propose a workshop"),
            in_brief=gettext("The next assembly in brief"),
            when=gettext("When:"),
            where=where,
            proposed=ngettext(
                "%(counter)s workshop proposed so far",
                "%(counter)s workshops proposed so far",
                count,
            )
            % {"counter": localised.number(count)},
            initiations=initiation_notes(board, messages=messages),
            propose_url=propose_url,
            pk=localised.number(meeting.pk),
            propose=gettext("Propose a workshop"),
            ics_url=ics_url(meeting.pk),
            ics=gettext("Add to my calendar (.ics)"),
            subscribe_url=subscribe_url,
            subscribe=gettext("Get the announcement by e-mail"),
        )
    )


_SECTION = (
    '<section class="home-next-meeting" aria-labelledby="next-meeting-title">'
    '\n  <h2 id="next-meeting-title">%s</h2>'
    "\n  %s"
    "\n</section>\n"
)


@register.simple_tag(takes_context=True)
def next_meeting_section(context, meeting):
    """Home's "Next assembly": the details of `meeting` (workshops.services.next_meeting()), or
    the words saying none is planned yet, as workshops/_home.html wrote them."""
    messages = localised.messages()
    gettext = messages[0]
    if meeting:
        shown = next_meeting_details(context, meeting, messages=messages)
    else:
        shown = nothing_yet(gettext("No meeting is planned yet."))
    # The details escaped above, the messages inserted as they are.
    return mark_safe(_SECTION % (gettext("Next assembly"), shown))
