"""Dates and numbers written as a template writes them, for the rows written in Python (issue 24).

`{{ value|date:"SHORT_DATE_FORMAT" }}` costs Django some forty Python calls a value: the filter
looks the language's format up again, DateFormat is built and calls a method per character of
the format, the text is escaped; `{{ number }}` looks the language's separators up again. A list
written in Python writes the same formats dozens of times a page. So here a format is looked up
and parsed once per language in each process (it depends only on the code: the format modules
and the catalogues), the time zone read once per rendering. A format made of numbers and the
month's and day's names only ("d/m/Y H:i", "l j F Y H:i": French's) becomes a printf format per
month (and day of the week), a date a couple of calls; "c" alone is isoformat(); any other (English's "N j, Y, P", whose abbreviations and "p.m."
DateFormat works out) is left to DateFormat, and anything but a datetime to the filter itself.

The text is what the template wrote, escaped as it escaped a variable (the format's own text
too: a format is the catalogue's). tests/assembly/test_localised.py compares both with Django's
filter and localize() in French and English, in several time zones.
"""

import datetime
import decimal
import operator

from django.conf import settings
from django.core.signals import setting_changed
from django.template.defaultfilters import date as date_filter
from django.utils import dateformat, numberformat, timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.translation import get_language, trans_real

# The date format characters written here, as DateFormat writes them: each a printf conversion of
# one of the date's attributes. "F", the month's name, is written into the printf format itself
# (a format per month).
_NUMBERS = {
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
# The names written into the printf formats, as DateFormat writes them: the month's ("F"), the
# day of the week's ("l").
_NAMES = {"F": MONTHS, "l": WEEKDAYS}
# What "c" alone (ISO 8601, as in <time datetime>) becomes: the date's isoformat(), as DateFormat
# writes it.
_ISO = object()
# What is kept per format (or the numbers) and language, at most: a few formats × languages.
MAX_KEPT = 64

_kept: dict[tuple, object] = {}


def _forget(**kwargs) -> None:
    """A setting changed (tests: languages, formats, USE_THOUSAND_SEPARATOR): look up again."""
    _kept.clear()


setting_changed.connect(_forget, dispatch_uid="assembly-localised")


def _keep(key: tuple, value):
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[key] = value
    return value


def _printf(format_string: str):
    """`format_string` in the current language as printf formats with the names written in
    (escaped), how a date's format is chosen (by its month, index 1 to 12; or by its month and
    day of the week, month × 7 + weekday, when the day's name is written), and the function
    giving the values the formats take from a date; `_ISO` for "c" alone; or None when the
    format has any other character."""
    if format_string == "c":
        return _ISO
    pieces, attributes = [], []
    for position, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if position % 2:
            if piece in _NAMES:
                pieces.append(_NAMES[piece])
                continue
            if piece not in _NUMBERS:
                return None
            conversion, attribute = _NUMBERS[piece]
            pieces.append(conversion)
            attributes.append(attribute)
        elif piece:
            pieces.append(escape(dateformat.re_escaped.sub(r"\1", piece)).replace("%", "%%"))

    def written(month: int, weekday: int) -> str:
        return "".join(
            p if type(p) is str else escape(p[month if p is MONTHS else weekday]).replace("%", "%%")
            for p in pieces
        )

    by_weekday = any(p is WEEKDAYS for p in pieces)
    if by_weekday:
        table = [None] * 7 + [written(i // 7, i % 7) for i in range(7, 13 * 7)]
    else:
        table = [None] + [written(month, 0) for month in range(1, 13)]
    # One attribute gives a number, more a tuple: printf takes either.
    values = operator.attrgetter(*attributes) if attributes else lambda value: ()
    return table, values, by_weekday


def dates(format_name: str):
    """A function writing a value as `{{ value|date:format_name }}` writes it, escaped, in the
    language and time zone of the moment: for the values of one rendering."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    return _dates(format_name, get_language(), zone)


def date_writers(*format_names: str) -> list:
    """dates() of each of `format_names`, the language and the time zone read once (each read
    is an asgiref Local's, about ten calls)."""
    language = get_language()
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    return [_dates(format_name, language, zone) for format_name in format_names]


def _dates(format_name: str, language, zone):
    key = ("date", format_name, language)
    found = _kept.get(key)
    if found is None:
        format_string = get_format(format_name)
        found = _keep(key, (format_string, _printf(format_string)))
    format_string, printf = found

    def date(value) -> str:
        if value is None:
            return ""
        if value.__class__ is not datetime.datetime:
            # A date, a text…: as the filter writes it, after the template's template_localtime.
            return escape(date_filter(timezone.template_localtime(value), format_name))
        # template_localtime's conversion: an aware datetime (any the database gives) moves to
        # the current time zone.
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        if printf is None:
            return escape(dateformat.format(value, format_string))
        if printf is _ISO:
            return value.isoformat()  # digits and signs: nothing to escape
        table, values, by_weekday = printf
        if by_weekday:
            return table[value.month * 7 + value.weekday()] % values(value)
        return table[value.month] % values(value)

    return date


def numbers():
    """A function writing a number as `{{ number }}` writes it, escaped, in the language of the
    moment (as localize() writes anything else)."""
    key = ("numbers", get_language())
    number = _kept.get(key)
    if number is None:
        number = _keep(key, _number_writer())
    return number


def _number_writer():
    # The language's separators, escaped once: a number's digits and sign need no escaping.
    separator, grouping = escape(get_format("DECIMAL_SEPARATOR")), get_format("NUMBER_GROUPING")
    thousands = escape(get_format("THOUSAND_SEPARATOR"))
    # numberformat's own first case: an integer without grouping is its digits.
    digits = not (settings.USE_THOUSAND_SEPARATOR and grouping != 0)

    def number(value) -> str:
        kind = value.__class__
        if kind is int and digits:
            return str(value)
        if kind is int or kind is float or kind is decimal.Decimal:
            return numberformat.format(value, separator, None, grouping, thousands, use_l10n=True)
        return conditional_escape(localize(value))

    return number


def number(value) -> str:
    """`{{ value }}` of one number, escaped, in the language of the moment; an integer without
    thousands separators is its digits, the language not even asked for (a list's rows take
    numbers(), which asks once)."""
    if value.__class__ is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return numbers()(value)


def messages():
    """The `gettext` and `ngettext` of the language of the moment, for the messages of one
    rendering: its catalogue looked up once. Django's gettext() and ngettext() look the active
    catalogue up again at each call (an asgiref Local, about ten calls), then ask it, as these
    do (trans_real.catalog() is the catalogue they ask). For the literal messages of the code:
    gettext() would first turn a "\r" into "\n", and give "" for "" (never asked here)."""
    catalogue = trans_real.catalog()
    return catalogue.gettext, catalogue.ngettext
