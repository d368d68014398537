"""The decision log's rows, written in Python (issue 24).

The log shows twenty rows per page, each the same few cells. As a template loop, a row cost
about 1,350 Python calls: two `{% blocktranslate %}`, dates localised one by one, lazy labels,
a reversed URL, the phase badge. Here a row costs about eighty: what depends only on the code and
the language (the messages, the labels, the date and number formats: assembly/localised.py, the
URL: assembly/rows.py) is looked up once per language in each process; what depends on the
request (its time zone) once per page; the rest per row.

The HTML is byte for byte what the template wrote, and escaped as it was: the title and the
author through conditional_escape, everything else (labels, messages, formatted dates and
numbers) escaped when it is looked up. tests/decisions/test_log_rows.py compares this with the
template it replaced.
"""

from html import escape

from django.core.signals import setting_changed
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from assembly import localised
from assembly.rows import url_by_pk

from .models import Decision
from .templatetags.decisions import phase_badge

_ROW = (
    "\n    <tr>"
    '\n      <th scope="row"><a href="%s">%s</a>'
    '\n        <br><span class="muted">%s</span></th>'
    "\n      <td>%s</td>"
    "\n      <td>%s</td>"
    "\n      <td>%s</td>"
    "\n      <td>%s</td>"
    "\n      <td>%s</td>"
    "\n      <td>%s</td>"
    "\n    </tr>\n  "
)
# Where the template's dates cell left its line break (every branch but the last).
_AFTER_DATES = "\n        "


def render(decisions) -> SafeString:
    """The rows of the log's table: the decisions as views/log.py reads them (with `live_votes`,
    the votes cast so far, and their author)."""
    texts = _texts()
    url = url_by_pk(Decision)
    short_date = localised.dates("SHORT_DATE_FORMAT")
    short_datetime = localised.dates("SHORT_DATETIME_FORMAT")
    number = localised.numbers()
    rows = []
    for decision in decisions:
        phase = decision.phase
        author = decision.author
        turnout = votes = "—"
        if phase == "closed":
            dates = (
                texts.vote_between
                % {
                    "opened": short_date(decision.vote_opens_at),
                    "closed": short_date(decision.closed_at),
                }
                + _AFTER_DATES
            )
            turnout = f"{number(decision.turnout_percent)} %"
            votes = (
                f"{number(decision.consent_count)} / {number(decision.abstain_count)}"
                f" / {number(decision.objection_count)}"
            )
        elif phase == "voting":
            closes = short_datetime(decision.vote_closes_at)
            dates = texts.vote_until % {"closes": closes} + _AFTER_DATES
            turnout = f"{number(decision.live_votes)} / {number(decision.roll_size)}"
        elif phase == "discussion":
            ends = short_datetime(decision.discussion_ends_at)
            dates = texts.discussion_until % {"ends": ends} + _AFTER_DATES
        else:
            dates = texts.opened % {"opened": short_date(decision.created_at)}
        rows.append(
            _ROW
            % (
                url(decision.pk),
                conditional_escape(decision.title),
                texts.by
                % {"author": texts.former if author is None else conditional_escape(author)},
                texts.kind(decision.kind),
                texts.badge(phase, decision.outcome),
                dates,
                "—" if decision.roll_size is None else number(decision.roll_size),
                turnout,
                votes,
            )
        )
    # Each piece above is escaped: the title and the author here, the rest when looked up.
    return mark_safe("".join(rows))


class _Texts:
    """What the rows say in one language, escaped: messages and labels as the template looked
    them up. Kept per language in each process: it depends only on the code (the catalogues,
    the choices)."""

    def __init__(self):
        # The template's msgids (a blocktranslate's variables as %(name)s): the same translations.
        self.by = gettext("by %(author)s")
        self.former = escape(gettext("a former participant"))
        self.vote_between = gettext("vote %(opened)s – %(closed)s")
        self.vote_until = gettext("vote until %(closes)s")
        self.discussion_until = gettext("discussion until %(ends)s")
        self.opened = gettext("opened %(opened)s")
        self._kinds = {}
        self._badges = {}

    def kind(self, kind: str) -> str:
        """{{ decision.get_kind_display|capfirst }}."""
        found = self._kinds.get(kind)
        if found is None:
            found = escape(capfirst(Decision(kind=kind).get_kind_display()))
            if kind in Decision.Kind.values:  # anything else would be data, not code
                self._kinds[kind] = found
        return found

    def badge(self, phase: str, outcome: str) -> str:
        """{% phase_badge decision %}."""
        found = self._badges.get((phase, outcome))
        if found is None:
            found = phase_badge(Decision(phase=phase, outcome=outcome))
            if phase in Decision.Phase.values and outcome in ("", *Decision.Outcome.values):
                self._badges[phase, outcome] = found
        return found


_by_language: dict[str, _Texts] = {}


def _forget_texts(**kwargs) -> None:
    """A setting changed (tests: languages, formats, catalogues' paths): look everything up again."""
    _by_language.clear()


setting_changed.connect(_forget_texts, dispatch_uid="decisions-log-rows-texts")


def _texts() -> _Texts:
    language = get_language()
    texts = _by_language.get(language)
    if texts is None:
        texts = _by_language[language] = _Texts()
    return texts
