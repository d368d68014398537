"""A meeting's board (workshops/meeting_detail.html) written in Python: its facts and actions
(`{% board_top %}`), its list of cards (`{% board_cards cards %}`, inside the kept part) and its
plenary notes with their form (`{% board_notes %}`).

The template engine spent some twenty calls on each of the board's variables and tags and about
a hundred and twenty on each `{% url %}` with the meeting's key, some 3,000 calls of the busiest
board's first view after a write (issue 24). These write the bytes the template wrote, whitespace
included (tests/workshops/test_board_html.py compares them with the template they replaced, in
both languages and every case of a meeting and a viewer; tests/test_golden_html.py the pages):
what people wrote goes through assembly.rows.text where it is placed, as `{{ value }}` escaped
it; our catalogue's words are written as `{% translate %}` wrote them (unescaped), under the
template's msgids; dates through assembly/localised.py, as `|date` wrote them; the URLs through
assembly/rows.py, reversed once per process around the meeting's key.
"""

import functools
from urllib.parse import quote

from django import template
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils.html import conditional_escape, escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assembly import localised
from assembly.markdown import render_markdown
from assembly.rows import text, url_by_name, url_of
from assembly.templatetags.social import social_meta

from .workshop_cards import Words, render_card

register = template.Library()


@functools.cache
def _stylesheet() -> str:
    # {% static 'css/workshops.css' %}: the same until the settings change (tests).
    return escape(static("css/workshops.css"))


setting_changed.connect(lambda **kwargs: _stylesheet.cache_clear(), weak=False)


@register.simple_tag(takes_context=True)
def board_social_meta(context) -> SafeString:
    """`{% social_meta title=meeting.title description=meeting.starts_at|date:"DATETIME_FORMAT" %}`,
    the date written by assembly/localised.py (escaped as the tag escapes it)."""
    meeting = context["meeting"]
    starts = localised.dates("DATETIME_FORMAT")(meeting.starts_at)
    return social_meta(context, title=meeting.title, description=mark_safe(starts))


@register.simple_tag
def board_stylesheet() -> SafeString:
    """`<link rel="stylesheet" href="{% static 'css/workshops.css' %}">`."""
    return mark_safe(f'<link rel="stylesheet" href="{_stylesheet()}">')


def _words(context) -> Words:
    """The page's words and URLs (workshop_cards.Words), shared with its cards."""
    words = context.render_context.get(Words)
    if words is None:
        words = context.render_context[Words] = Words()
    return words


def _urls(context, pk: int):
    """`at(name)`: `{% url name pk %}` of the meeting's key, escaped (assembly/rows.py)."""
    words = _words(context)
    return lambda name: words.url(url_by_name, name)(pk)


# The template's lines from the link back to the agenda to the workshops' heading; each field is
# HTML already (escaped, or ours).
_TOP = """
<p><a href="{agenda_url}">← {agenda}</a></p>
<h1>{title}</h1>
{cancelled}
<dl class="meeting-facts">
  <dt>{when}</dt>
  <dd><time datetime="{iso}">{day}</time> – {ends}</dd>
  <dt>{where}</dt>
  <dd>{venue}</dd>
  <dt>{hosts_label}</dt>
  <dd>{hosts}</dd>
  {online}
</dl>
<p class="actions">
  <a href="{ics_url}">{ics}</a>
  {attendance}
</p>
{admin}
{hosting}

<h2>{workshops}</h2>
<p class="muted">{anyone}</p>
{propose}
"""


@register.simple_tag(takes_context=True)
def board_top(context) -> SafeString:
    """The meeting's title, facts and actions, as the template wrote them."""
    meeting = context["meeting"]
    at = _urls(context, meeting.pk)
    words = _words(context)
    csrf_token = context.get("csrf_token")
    return mark_safe(
        _TOP.format(
            agenda_url=words.url(url_of, "meetings:index"),
            agenda=gettext("Agenda"),
            title=text(meeting.title),
            cancelled=_cancelled(meeting),
            when=gettext("When"),
            iso=localised.dates("c")(meeting.starts_at),
            day=localised.dates("l j F Y, H:i")(meeting.starts_at),
            ends=localised.dates("H:i")(meeting.ends_at),
            where=gettext("Where"),
            venue=_venue(meeting.venue),
            hosts_label=gettext("Hosts"),
            hosts=", ".join(map(text, context["hosts"])) or gettext("No host yet."),
            online=_online(meeting, context["can_see_meeting_link"]),
            ics_url=at("meetings:ics"),
            ics=gettext("Add to my calendar"),
            attendance=_attendance(at) if context["can_record_attendance"] else "",
            admin=_admin(context, at, csrf_token) if context["can_manage_meetings"] else "",
            hosting=_hosting(context, at, csrf_token),
            workshops=gettext("Workshops"),
            anyone=gettext(
                "Anyone may propose a workshop. The ones people sign up for are the ones that "
                "happen."
            ),
            propose=_propose(context, meeting, words),
        )
    )


def _attendance(at) -> str:
    label = gettext("Attendance sheet")
    return f' · <a href="{at("meetings:attendance")}">{label}</a>'


def _cancelled(meeting) -> str:
    if not meeting.is_cancelled:
        return ""
    cancelled = gettext("This meeting is cancelled.")
    return (
        '\n  <div class="notice notice-warn" role="note">\n'
        f"    <p><strong>{cancelled}</strong></p>\n"
        f"    {linebreaks(meeting.cancellation_reason, autoescape=True)}\n"
        "  </div>\n"
    )


def _venue(venue) -> str:
    if not venue:
        return gettext("Venue to be announced")
    written = text(venue.name)
    if venue.address:
        written += ", " + text(venue.address)
    if venue.accessibility:
        written += '<br><span class="muted">' + text(venue.accessibility) + "</span>"
    return written


def _online(meeting, can_see_link: bool) -> str:
    link = meeting.online_link
    if not link:
        return ""
    if can_see_link:
        shown = (
            f'<a class="online-link" href="{text(link)}" rel="noopener noreferrer">{text(link)}</a>'
        )
    else:
        note = gettext(
            "This meeting can also be joined online: the link is shown to its hosts and to the "
            "people who signed up to one of its workshops."
        )
        shown = f'<span class="muted">{note}</span>'
    label = gettext("Online")
    return f"\n  <dt>{label}</dt>\n  <dd>{shown}</dd>\n  "


def _csrf_field(csrf_token) -> str:
    """As {% csrf_token %} writes it (read only where a form is shown: reading a person's token
    asks for the cookie to be set)."""
    if not csrf_token or csrf_token == "NOTPROVIDED":
        return ""
    token = conditional_escape(csrf_token)
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'


def _admin(context, at, csrf_token) -> str:
    """A facilitator's links: edit, cancel, or plan again a cancelled meeting."""
    if context["can_cancel"]:
        label = gettext("Cancel the meeting")
        cancel = f' · <a href="{at("meetings:cancel")}">{label}</a>'
    else:
        cancel = ""
    if context["can_reinstate"]:
        label = gettext("Plan it again (cancelled by mistake)")
        reinstate = (
            "\n"
            f'    <form method="post" action="{at("meetings:reinstate")}" '
            'class="inline-form">\n'
            f"      {_csrf_field(csrf_token)}\n"
            f'      <button type="submit" class="secondary">{label}</button>\n'
            "    </form>\n  "
        )
    else:
        reinstate = ""
    edit = gettext("Edit the meeting")
    return (
        '\n<div class="actions meeting-admin">\n'
        f'  <a href="{at("meetings:edit")}">{edit}</a>\n'
        f"  {cancel}\n"
        f"  {reinstate}\n"
        "</div>\n"
    )


def _hosting(context, at, csrf_token) -> str:
    """Volunteer to host, withdraw, or the thanks of a host who no longer may."""
    thanks = gettext("You host this meeting. Thank you!")
    if context["can_volunteer"]:
        label = gettext("Volunteer to host")
        return (
            "\n"
            f'  <form method="post" action="{at("meetings:host")}" class="inline-form">\n'
            f"    {_csrf_field(csrf_token)}\n"
            f'    <button type="submit" class="secondary">{label}</button>\n'
            "  </form>\n"
        )
    if context["is_host"] and context["can_withdraw"]:
        label = gettext("I can no longer host it")
        return (
            "\n"
            f'  <form method="post" action="{at("meetings:host")}" class="inline-form">\n'
            f"    {_csrf_field(csrf_token)}\n"
            '    <input type="hidden" name="action" value="withdraw">\n'
            f"    {thanks}\n"
            f'    <button type="submit" class="link-button">{label}</button>\n'
            "  </form>\n"
        )
    if context["is_host"]:
        return f"\n  <p>{thanks}</p>\n"
    return ""


def _propose(context, meeting, words) -> str:
    if context["can_propose"]:
        label = gettext("Propose a workshop")
        return (
            f'\n  <p><a class="button" href="{words.url(url_of, "workshops:propose")}'
            f'?meeting={localised.number(meeting.pk)}">{label}</a></p>\n'
        )
    if not context["user"].is_authenticated and not meeting.is_cancelled:
        path = escape(quote(context["request"].path, safe="/"))
        label = gettext("Log in to propose a workshop or sign up.")
        return (
            f'\n  <p><a href="{words.url(url_of, "account_login")}?next={path}">{label}</a></p>\n'
        )
    return ""


@register.simple_tag(takes_context=True)
def board_cards(context, cards) -> SafeString:
    """The board's cards (views/cards.py's card_context), each as {% workshop_card %} writes it,
    or the empty board's invitation."""
    if not cards:
        empty = gettext("No workshop yet. Be the first to propose one!")
        return mark_safe(f'\n\n  <p class="empty">{empty}</p>\n\n')
    words = _words(context)
    csrf_token = context.get("csrf_token")
    items = "".join(
        f"\n      <li>{render_card(card, words=words, csrf_token=csrf_token)}</li>\n    "
        for card in cards
    )
    return mark_safe(f'\n\n  <ol class="card-list workshop-board">\n    {items}\n  </ol>\n\n')


_NOTES_FORM = """
  
  
  
<form method="post" action="{action}" class="stacked-form">
  {csrf}
  <input type="hidden" name="revision" value="{revision}">
  <div>
    <label for="id_notes">{label}</label>
    <textarea name="notes" id="id_notes" rows="8" aria-describedby="notes-help">{notes}</textarea>
    <span class="helptext" id="notes-help">{help}</span>
  </div>
  <button type="submit">{save}</button>
</form>

"""  # noqa: W293 (the template's indented lines of tags that wrote nothing)


@register.simple_tag(takes_context=True)
def board_notes(context) -> SafeString:
    """The plenary notes, their history's and the minutes' links, and the notes' form for those
    who may write them (as workshops/_notes_form.html writes it)."""
    meeting = context["meeting"]
    at = _urls(context, meeting.pk)
    label = gettext("Plenary notes")
    if meeting.plenary_notes:
        notes = f'\n  <div class="notes">{render_markdown(meeting.plenary_notes)}</div>\n'
    else:
        empty = gettext("No notes yet.")
        notes = f'\n  <p class="empty">{empty}</p>\n'
    history = gettext("History of the plenary notes")
    minutes = gettext("Minutes of this meeting")
    written = (
        f"\n\n<h2>{label}</h2>\n{notes}\n"
        f'<p><a href="{at("meetings:notes-history")}">{history}</a> · '
        f'<a href="{at("meetings:minutes")}">{minutes}</a></p>\n'
    )
    if context["can_write_notes"]:
        revision = meeting.notes_revision
        written += _NOTES_FORM.format(
            action=at("meetings:notes"),
            csrf=_csrf_field(context.get("csrf_token")),
            revision="" if revision is None else localised.number(revision),
            label=label,
            notes=text(meeting.plenary_notes),
            help=gettext("What was said and decided. Markdown works."),
            save=gettext("Save the notes"),
        )
    return mark_safe(written + "\n")
