"""A workshop's card, {% workshop_card card %}: a dozen on a meeting's board, one on the workshop's
page and the one an htmx sign-up answers with.

Written in Python, not as an included template: the include cost about a thousand Python calls
per card, most of the board's first view after a write (issue 24). The bytes are those the
template wrote, whitespace included (tests/test_golden_html.py, tests/workshops/test_card.py).
What people wrote (a title, a name, a link, a message) goes through conditional_escape where it
is placed, as the template escaped it; our catalogue's words are written unescaped, as
{% translate %} and {% blocktranslate %} write them, under the template's msgids; numbers are
written as the template wrote them (no thousands separator).
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

from assembly import rows
from assembly.markdown import render_markdown

from ..models import Workshop
from ..models.workshops import NEEDS, needs_of

register = template.Library()

# The card's msgids, marked for makemessages once here rather than at each use (a call each):
# looked up once per page (Words).
_NEEDS_LABEL = gettext_noop("Needs:")
_INITIATION = gettext_noop("Initiation")
_HIDDEN = gettext_noop("Hidden from the public")
_PLACES = gettext_noop("/ %(capacity)s places")
_FULL = gettext_noop("Full")
_PROPOSED_BY = gettext_noop("Proposed by %(name)s")
_EDIT = gettext_noop("Edit")
_NOTES = gettext_noop("Notes")
_ONLINE_LINK = gettext_noop("Online link:")
_ALSO_ONLINE = gettext_noop("Can also be joined online: the link is shown to the people signed up.")
_OUT = gettext_noop("I'm out")
_IN_ALREADY = gettext_noop("You're in")
_IN = gettext_noop("I'm in")
_SHOW_AGAIN = gettext_noop("Show again")
_HIDE = gettext_noop("Hide")

# The card as the template laid it out; each field is HTML already (escaped, or ours).
_CARD = """\
<article class="card workshop-card{hidden}" id="workshop-{pk}">
  <h3 class="card-title"><a href="{url}">{title}</a></h3>
  <p>
    {initiation}
    {hidden_badge}
    <span class="signup-count">{people_in}</span>{capacity}
    {full}
  </p>
  {proposed_by}
  {needs}
  {online}
  {message}
  {sign_up}
  {edit}
  {hide}
  {notes}
</article>
"""


# Where Words keeps rows.here() for its URLs.
_HERE = ("here",)


class Words(dict):
    """The card's words in the active language, each looked up once per page rather than once
    per card (a board's cards say the same few): `words[_FULL]`, the msgid marked for
    makemessages where it is named above (never inside an f-string, where xgettext does not
    look). One per rendering, in one language."""

    def __missing__(self, msgid: str) -> SafeString:
        self[msgid] = text = mark_safe(gettext(msgid))
        return text

    def people_in(self, count: int) -> str:
        key = ("people in", count)
        text = self.get(key)
        if text is None:
            message = ngettext("%(counter)s person in", "%(counter)s people in", count)
            text = self[key] = message % {"counter": count}
        return text

    def needs(self, workshop) -> str:
        """The card's line of what the room needs (Workshop.needs, each escaped as the
        template's join did), written once per page for each set of needs."""
        flags = needs_of(workshop)
        key = ("needs", flags)
        line = self.get(key)
        if line is None:
            needs = [
                conditional_escape(gettext(label))
                for flag, label in zip(flags, NEEDS.values(), strict=True)
                if flag
            ]
            line = self[key] = (
                '<p class="muted">' + self[_NEEDS_LABEL] + " " + ", ".join(needs) + "</p>"
                if needs
                else ""
            )
        return line

    def url(self, make, what):
        """`make(what)`, assembly/rows.py's way to a workshop's address from its key (the
        card's own, `url_by_pk(Workshop)`, or a view's, `url_by_name`), asked once per page,
        with what URLs depend on read once too (`rows.here()`). The addresses it gives are
        escaped already (hence mark_safe where they are placed)."""
        key = (make, what)
        url = self.get(key)
        if url is None:
            where = self.get(_HERE)
            if where is None:
                where = self[_HERE] = rows.here()
            url = self[key] = make(what, where)
        return url


@register.simple_tag(takes_context=True)
def workshop_card(context, card) -> SafeString:
    """`card`: views/cards.py's card_context (with `error` or `done` after an htmx sign-up)."""
    words = context.render_context.get(Words)
    if words is None:
        words = context.render_context[Words] = Words()
    return render_card(card, words=words, csrf_token=context.get("csrf_token"))


def render_card(card, *, words: Words, csrf_token) -> SafeString:
    """The card's HTML; `csrf_token` as a template's context has it (a kept part's placeholder,
    or the person's token, read only if a form is shown)."""
    workshop = card["workshop"]
    pk = workshop.pk
    hidden = workshop.hidden
    capacity = workshop.capacity
    proposed_by = workshop.proposed_by
    notes = workshop.notes
    return mark_safe(
        _CARD.format(
            hidden=" is-hidden" if hidden else "",
            pk=pk,
            url=words.url(rows.url_by_pk, Workshop)(pk),
            title=rows.text(workshop.title),
            initiation=_badge(words[_INITIATION]) if workshop.is_initiation else "",
            hidden_badge=_badge(words[_HIDDEN], warn=True) if hidden else "",
            people_in=words.people_in(workshop.signup_count),
            capacity=(
                '\n    <span class="muted">' + words[_PLACES] % {"capacity": capacity} + "</span>"
                if capacity
                else ""
            ),
            full=_badge(words[_FULL], warn=True) if card["is_full"] else "",
            proposed_by=(
                '<p class="muted">'
                + words[_PROPOSED_BY] % {"name": rows.text(str(proposed_by))}
                + "</p>"
                if proposed_by
                else ""
            ),
            needs=words.needs(workshop),
            online=_online(workshop, card, words),
            message=_message(card),
            sign_up=_sign_up(workshop, card, words, csrf_token) if card["can_sign_up"] else "",
            edit=(
                format_html(
                    '<a class="card-action" href="{}">{}</a>',
                    mark_safe(words.url(rows.url_by_name, "workshops:edit")(pk)),
                    words[_EDIT],
                )
                if card["can_edit"]
                else ""
            ),
            hide=_hide(workshop, words, csrf_token) if card["can_hide"] else "",
            notes=(
                "<details><summary>"
                + words[_NOTES]
                + '</summary><div class="notes">'
                + render_markdown(notes)
                + "</div></details>"
                if notes
                else ""
            ),
        )
    )


def _badge(word: str, *, warn: bool = False) -> str:
    return (
        f'<span class="badge badge-warn">{word}</span>'
        if warn
        else f'<span class="badge">{word}</span>'
    )


def _online(workshop, card, words) -> str:
    """A hybrid workshop's link for those who may see it, else what it is (the line ends as the
    template's did)."""
    if not workshop.online_link:
        return ""
    if card["can_see_link"]:
        return format_html(
            '<p><strong>{}</strong> <a class="online-link" href="{}" rel="noopener noreferrer">'
            "{}</a></p>\n  ",
            words[_ONLINE_LINK],
            workshop.online_link,
            workshop.online_link,
        )
    return format_html(
        '<p class="muted">{}</p>',
        words[_ALSO_ONLINE],
    )


def _message(card) -> str:
    """What an htmx sign-up answers: its refusal, or what was done."""
    if card.get("error"):
        return format_html('<p class="message message-error" role="alert">{}</p>', card["error"])
    if card.get("done"):
        return format_html('<p class="message" role="status">{}</p>', card["done"])
    return ""


def _sign_up(workshop, card, words, csrf_token) -> str:
    """ "I'm in", "I'm out", or a disabled "Full"."""
    if card["signed_up"]:
        choice = format_html(
            '<input type="hidden" name="action" value="out">\n'
            '        <button type="submit" class="secondary">{}</button>\n'
            '        <span class="badge">{}</span>',
            words[_OUT],
            words[_IN_ALREADY],
        )
    elif card["is_full"]:
        choice = format_html('<button type="submit" disabled>{}</button>', words[_FULL])
    else:
        choice = format_html(
            '<input type="hidden" name="action" value="in">\n'
            '        <button type="submit">{}</button>',
            words[_IN],
        )
    url = mark_safe(words.url(rows.url_by_name, "workshops:sign-up")(workshop.pk))
    return format_html(
        '\n    <form method="post" action="{}" class="inline-form"\n'
        '          hx-post="{}" hx-target="#workshop-{}" hx-swap="outerHTML">\n'
        "      {}\n"
        "      \n"
        "        {}\n"
        "      \n"
        "    </form>\n  ",
        url,
        url,
        workshop.pk,
        _csrf_field(csrf_token),
        choice,
    )


def _hide(workshop, words, csrf_token) -> str:
    """A facilitator's form that hides the workshop from the public, or shows it again."""
    return format_html(
        '\n    <form method="post" action="{}" class="inline-form">\n'
        "      {}\n"
        '      <input type="hidden" name="hidden" value="{}">\n'
        '      <button type="submit" class="link-button card-action">{}</button>\n'
        "    </form>\n  ",
        mark_safe(words.url(rows.url_by_name, "workshops:hide")(workshop.pk)),
        _csrf_field(csrf_token),
        "0" if workshop.hidden else "1",
        words[_SHOW_AGAIN] if workshop.hidden else words[_HIDE],
    )


def _csrf_field(csrf_token) -> str:
    """As {% csrf_token %} writes it; read only where a form needs it (reading a person's token
    asks for the cookie to be set)."""
    if not csrf_token:
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
