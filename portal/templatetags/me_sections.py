"""/me/'s sections written in Python (issue 24): the membership and the profile form ("Waiting
for you" is home's tag, portal/templatetags/waiting_cards.py).

As templates/assembly/me.html wrote them, the membership section cost some 1,400 Python calls on
the first view after a write (each session's row 350: a date through |date, a reversed URL, the
title), and the profile form 2,300 (ProfileForm built, then its four fields through Django's
BoundField and widget machinery, which assembly/form_rendering.py cannot avoid).

The membership section: the template's messages (the same msgids), its dates and numbers through
assembly/localised.py, the meetings' URL reversed once (assembly/rows.py). The profile form: a
ProfileForm is rendered, once per process for each language and each value of the fields whose
markup varies (the box ticked or not, the language selected), with marks in place of the two
texts (the name and the bio); a page writes the person's, escaped as the widgets escape them, in
their place. A bound form (a POST with errors) is rendered by the form itself.

The HTML is byte for byte what the template wrote: tests/portal/test_me_sections.py compares the
two.
"""

import html

from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from assembly import localised
from assembly.forms import ProfileForm
from assembly.models import User
from assembly.rows import nothing_yet, url_by_name

register = template.Library()


class _Texts:
    """The sections' messages that take no count, in one language: the template's msgids (a
    blocktranslate's variables as %(name)s). Kept per language in each process: they depend only
    on the code (the catalogues)."""

    def __init__(self):
        self.member_until = gettext("You are a member until %(until)s.")
        self.attend_before = gettext(
            "Attend a session on or before %(until)s to keep your membership."
        )
        self.sessions_in_the_last = gettext("My sessions in the last %(days)s days")
        self.date, self.meeting = gettext("Date"), gettext("Meeting")
        self.no_session = gettext(
            "No session recorded yet. A facilitator ticks your name at the door of each meeting."
        )


_texts_by_language: dict[str, _Texts] = {}


def _texts() -> _Texts:
    language = get_language()
    texts = _texts_by_language.get(language)
    if texts is None:
        texts = _texts_by_language[language] = _Texts()
    return texts


# --- Membership -----------------------------------------------------------------------------------

_MEMBER = '\n  \n    <p class="lead" id="membership-status">%s</p>\n    <p>%s</p>\n  \n  '
_DECLARE = (
    '\n  \n    <p class="lead" id="membership-status">%s</p>\n    \n    <p>%s</p>'
    '\n    <form method="post" action="%s" class="inline-form">'
    '\n      %s\n      <button type="submit">%s</button>\n    </form>\n  \n  '
)
_NEEDED = '\n  \n    <p class="lead" id="membership-status">%s</p>\n    <p>%s</p>\n  \n  '
_TABLE = (
    '\n    <table>\n      <thead><tr><th scope="col">%s</th><th scope="col">%s</th></tr></thead>'
    "\n      <tbody>\n        %s\n      </tbody>\n    </table>\n  "
)
_SESSION = '\n          <tr><td>%s</td><td><a href="%s">%s</a></td></tr>\n        '


def _status(context, standing, texts) -> str:
    """The `{% with %}` block: where the person stands, and what they may do."""
    if standing.is_member:
        until = {"until": localised.dates("j F Y")(standing.eligible_until)}
        return _MEMBER % (texts.member_until % until, texts.attend_before % until)
    if standing.can_declare:
        charter_url = html.escape(reverse("charter:current"))
        return _DECLARE % (
            gettext("You can declare yourself a member."),
            gettext(
                "Members take the assembly's formal decisions by consent. Before declaring "
                'yourself a member, please read <a href="%(charter_url)s">the charter</a>.'
            )
            % {"charter_url": charter_url},
            html.escape(reverse("me-declare")),
            CsrfTokenNode().render(context),
            gettext("Declare myself a member"),
        )
    rule, number = standing.rule, localised.numbers()
    needed = standing.sessions_needed
    return _NEEDED % (
        ngettext("%(counter)s more session needed", "%(counter)s more sessions needed", needed)
        % {"counter": number(needed)},
        ngettext(
            "Anyone who took part in %(counter)s session (an assembly or one of its workshops) "
            "in the last %(days)s days may declare themselves a member.",
            "Anyone who took part in %(counter)s sessions (assemblies or their workshops) in the "
            "last %(days)s days may declare themselves a member.",
            rule.min_sessions,
        )
        % {"counter": number(rule.min_sessions), "days": number(rule.window_days)},
    )


def _sessions(sessions, texts) -> str:
    """The sessions' table, or the sentence saying there is none yet."""
    if not sessions:
        return nothing_yet(texts.no_session)
    day = localised.dates("j F Y")
    url = url_by_name("meetings:detail")
    rows = "".join(
        _SESSION % (day(meeting.starts_at), url(meeting.pk), html.escape(meeting.title))
        for meeting in sessions
    )
    return _TABLE % (texts.date, texts.meeting, rows)


@register.simple_tag(takes_context=True)
def membership_standing(context, standing):
    """Where the person stands (workshops.membership.Standing), their sessions of the window."""
    texts = _texts()
    heading = texts.sessions_in_the_last % {"days": localised.number(standing.rule.window_days)}
    status, sessions = _status(context, standing, texts), _sessions(standing.sessions, texts)
    # The messages are the catalogue's, inserted as the template inserted them; every value is
    # escaped above.
    return mark_safe(f"{status}\n  <h3>{heading}</h3>\n  {sessions}")


# --- The profile form -----------------------------------------------------------------------------

# Where the name and the bio go: letters and digits, which no widget escapes or changes.
_NAME_MARK = "assembleeprofilename987654321"
_BIO_MARK = "assembleeprofilebio987654321"
# The form's other fields: their values change its markup (the box ticked, the option selected),
# so a form is kept for each of their values. Any field added to ProfileForm is among them.
_OTHER_FIELDS = tuple(
    name for name in ProfileForm._meta.fields if name not in ("display_name", "bio")
)
# Values such a field may have to be kept by (anything else: the form renders it).
_KEPT_TYPES = (str, bool, int, type(None))
# Forms kept around their marks at most: languages × ticked or not × languages chosen.
MAX_KEPT = 64

_kept: dict[tuple, tuple[str, str, str] | None] = {}


def _forget(**kwargs) -> None:
    """A setting changed (tests: languages, catalogues, the form renderer): again."""
    _kept.clear()
    _texts_by_language.clear()


setting_changed.connect(_forget, dispatch_uid="portal-me-profile-form")


def _around_marks(others: tuple) -> tuple[str, str, str] | None:
    """The unbound form of someone whose name and bio are the marks and whose other fields are
    `others`: its HTML before the name, between the name and the bio, after the bio; None if the
    marks are not each found once, in that order (the form is then rendered whole each time)."""
    sample = User(
        display_name=_NAME_MARK, bio=_BIO_MARK, **dict(zip(_OTHER_FIELDS, others, strict=True))
    )
    written = str(ProfileForm(instance=sample).as_div())
    if written.count(_NAME_MARK) != 1 or written.count(_BIO_MARK) != 1:
        return None
    before, _, rest = written.partition(_NAME_MARK)
    if _BIO_MARK not in rest:
        return None
    between, _, after = rest.partition(_BIO_MARK)
    return before, between, after


@register.simple_tag
def profile_form(form, person):
    """`{{ form.as_div }}`: the bound `form` itself when there is one (a POST with errors),
    otherwise the unbound ProfileForm of `person`, written around the kept marks."""
    if form is not None:
        return form.as_div()
    name, bio = person.display_name, person.bio
    others = tuple(getattr(person, field) for field in _OTHER_FIELDS)
    # An empty name writes no value="" at all, and anything but text may render otherwise: those
    # are rendered by the form.
    if not (type(name) is str and name and type(bio) is str) or not all(
        type(value) in _KEPT_TYPES for value in others
    ):
        return ProfileForm(instance=person).as_div()
    key = (get_language(), *(type(value) for value in others), *others)
    if key not in _kept:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = _around_marks(others)
    around = _kept[key]
    if around is None:
        return ProfileForm(instance=person).as_div()
    before, between, after = around
    # As the text input (|stringformat:'s') and the textarea ({{ }}) escape a plain str.
    return mark_safe(f"{before}{html.escape(name)}{between}{html.escape(bio)}{after}")
