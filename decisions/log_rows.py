"""The decision log's rows, written in Python (issue 24).

The log shows twenty rows per page, each the same few cells. As a template loop, a row cost
about 1,350 Python calls: two `{% blocktranslate %}`, dates localised one by one, lazy labels,
a reversed URL, the phase badge. Here a row costs about eighty: what depends only on the code and
the language (the messages, the labels, the date and number formats) is looked up once per
language in each process; what depends on the request (its time zone, its script prefix) once
per page; the rest per row.

The HTML is byte for byte what the template wrote, and escaped as it was: the title and the
author through conditional_escape, everything else (labels, messages, formatted dates and
numbers) escaped when it is looked up. tests/decisions/test_log_rows.py compares this with the
template it replaced.
"""

import operator
from html import escape

from django.conf import settings
from django.core.signals import setting_changed
from django.utils import dateformat, numberformat, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from .models import Decision
from .templatetags.decisions import phase_badge

_ROW = (
    "\n    <tr>"
    '\n      <th scope="row"><a href="%s%d%s">%s</a>'
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
    zone = timezone.get_current_timezone()
    url_before_pk, url_after_pk = _detail_url_around_pk()
    short_date, short_datetime, number = texts.short_date, texts.short_datetime, texts.number
    rows = []
    for decision in decisions:
        phase = decision.phase
        author = decision.author
        turnout = votes = "—"
        if phase == "closed":
            dates = (
                texts.vote_between
                % {
                    "opened": short_date(decision.vote_opens_at, zone),
                    "closed": short_date(decision.closed_at, zone),
                }
                + _AFTER_DATES
            )
            turnout = f"{number(decision.turnout_percent)} %"
            votes = (
                f"{number(decision.consent_count)} / {number(decision.abstain_count)}"
                f" / {number(decision.objection_count)}"
            )
        elif phase == "voting":
            closes = short_datetime(decision.vote_closes_at, zone)
            dates = texts.vote_until % {"closes": closes} + _AFTER_DATES
            turnout = f"{number(decision.live_votes)} / {number(decision.roll_size)}"
        elif phase == "discussion":
            ends = short_datetime(decision.discussion_ends_at, zone)
            dates = texts.discussion_until % {"ends": ends} + _AFTER_DATES
        else:
            dates = texts.opened % {"opened": short_date(decision.created_at, zone)}
        rows.append(
            _ROW
            % (
                url_before_pk,
                decision.pk,
                url_after_pk,
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


# Far from any real primary key: where the key goes in a decision's URL.
_MARK = 987654321


def _detail_url_around_pk() -> tuple[str, str]:
    """A decision's URL (get_absolute_url) before and after its key, escaped: reversed once per
    page, since it depends on the request (its script prefix, its language)."""
    before, _, after = Decision(pk=_MARK).get_absolute_url().rpartition(str(_MARK))
    return escape(before), escape(after)


class _Texts:
    """What the rows say in one language, escaped: messages and labels as the template looked
    them up, dates and numbers in the language's formats. Kept per language in each process:
    it depends only on the code (the catalogues, the choices, the format modules)."""

    def __init__(self):
        # The template's msgids (a blocktranslate's variables as %(name)s): the same translations.
        self.by = gettext("by %(author)s")
        self.former = escape(gettext("a former participant"))
        self.vote_between = gettext("vote %(opened)s – %(closed)s")
        self.vote_until = gettext("vote until %(closes)s")
        self.discussion_until = gettext("discussion until %(ends)s")
        self.opened = gettext("opened %(opened)s")
        self.short_date = _date_formatter(get_format("SHORT_DATE_FORMAT"))
        self.short_datetime = _date_formatter(get_format("SHORT_DATETIME_FORMAT"))
        self.number = _number_formatter()
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


# Django's date format characters that print a number of the date alone, as DateFormat prints
# them: each as a printf conversion of one of the datetime's attributes.
_NUMERIC_DATE_CHARACTERS = {
    "d": ("%02d", "day"),
    "j": ("%d", "day"),
    "m": ("%02d", "month"),
    "n": ("%d", "month"),
    "Y": ("%04d", "year"),
    "H": ("%02d", "hour"),
    "G": ("%d", "hour"),
    "i": ("%02d", "minute"),
    "s": ("%02d", "second"),
}


def _date_formatter(format_string: str):
    """`|date:format_string` of a datetime in a time zone, escaped. A format of numbers only
    ("d/m/Y H:i", French) becomes one printf format: a handful of calls where DateFormat takes
    forty. Any other (English's "P": "3:30 p.m.", translated) is left to DateFormat."""
    printf, attributes = [], []
    for position, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if position % 2:
            if piece not in _NUMERIC_DATE_CHARACTERS:
                return _date_formatter_of_django(format_string)
            conversion, attribute = _NUMERIC_DATE_CHARACTERS[piece]
            printf.append(conversion)
            attributes.append(attribute)
        elif piece:
            printf.append(escape(dateformat.re_escaped.sub(r"\1", piece)).replace("%", "%%"))
    printf = "".join(printf)
    if not attributes:
        return lambda value, zone: "" if value is None else printf % ()
    # One attribute: a number, else a tuple; printf takes either.
    numbers = operator.attrgetter(*attributes)
    return lambda value, zone: "" if value is None else printf % numbers(value.astimezone(zone))


def _date_formatter_of_django(format_string: str):
    def formatted(value, zone):
        if value is None:
            return ""
        return escape(dateformat.format(value.astimezone(zone), format_string))

    return formatted


def _number_formatter():
    """{{ number }} in the current language, escaped: as formats.localize, with the language's
    separators looked up once; an integer without grouping is its digits (numberformat's own
    first case)."""
    decimal, grouping = escape(get_format("DECIMAL_SEPARATOR")), get_format("NUMBER_GROUPING")
    thousands = escape(get_format("THOUSAND_SEPARATOR"))

    def number(value) -> str:
        if value is None:
            return "None"
        if type(value) is int and not (settings.USE_THOUSAND_SEPARATOR and grouping != 0):
            return str(value)
        return numberformat.format(value, decimal, None, grouping, thousands, use_l10n=True)

    return number
