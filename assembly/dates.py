"""`{{ value|date:format }}` for rows written in Python (issue 24), shared by home's cards.

The date filter costs about ninety Python calls a date: the format looked up for the language,
the time zone read, then DateFormat's general machinery (a lazy month name, a regular expression
split, a method call per character). A `DateWriter` looks the format and the time zone up once
for a list, and writes the characters that are numbers, the month's and the day's names and ISO
8601 itself; any other format (English's "N j, Y, P", say) is written by DateFormat, as the filter
would. Same text as the filter, escaped as a template escapes a variable
(tests/assembly/test_dates.py compares them, in both languages and in another time zone).
"""

import datetime
from html import escape

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.formats import get_format

# The format characters written here, as DateFormat writes them.
_CHARACTERS = {
    "c": lambda moment: moment.isoformat(),
    "d": lambda moment: f"{moment.day:02d}",
    "j": lambda moment: str(moment.day),
    "l": lambda moment: str(WEEKDAYS[moment.weekday()]),
    "m": lambda moment: f"{moment.month:02d}",
    "n": lambda moment: str(moment.month),
    "F": lambda moment: str(MONTHS[moment.month]),
    "Y": lambda moment: f"{moment.year:04d}",
    "G": lambda moment: str(moment.hour),
    "H": lambda moment: f"{moment.hour:02d}",
    "i": lambda moment: f"{moment.minute:02d}",
    "s": lambda moment: f"{moment.second:02d}",
}
# Each format's pieces (texts, and writers of characters), or None when it has another
# character: it depends on the code only.
_parsed: dict[str, list | None] = {}


def _pieces(format_string: str) -> list | None:
    found = _parsed.get(format_string, False)
    if found is False:
        found = []
        for position, piece in enumerate(dateformat.re_formatchars.split(format_string)):
            if position % 2:
                if piece not in _CHARACTERS:
                    found = None
                    break
                found.append(_CHARACTERS[piece])
            elif piece:
                found.append(dateformat.re_escaped.sub(r"\1", piece))
        _parsed[format_string] = found
    return found


class DateWriter:
    """`{{ value|date:format }}` of the dates of one rendering, escaped: `format` a format
    setting's name ("DATETIME_FORMAT") or a format, looked up for the current language once, and
    the current time zone read once, where the filter reads them for each date."""

    def __init__(self, format: str = "DATE_FORMAT"):
        self.format = get_format(format)
        self.pieces = _pieces(self.format)
        self.zone = timezone.get_current_timezone()

    def __call__(self, value) -> str:
        if value in (None, ""):
            return ""
        # As template_localtime(): an aware datetime in the current time zone.
        if (
            isinstance(value, datetime.datetime)
            and settings.USE_TZ
            and not timezone.is_naive(value)
            and getattr(value, "convert_to_local_time", True)
        ):
            value = value.astimezone(self.zone)
        if self.pieces is None:
            return escape(dateformat.format(value, self.format))
        return escape("".join([p if type(p) is str else p(value) for p in self.pieces]))
