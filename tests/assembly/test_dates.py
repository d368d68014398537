"""assembly.dates.DateWriter writes what the date filter writes, escaped as a variable."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from assembly.dates import DateWriter

FORMATS = ["DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "l j F Y", "H:i", "c", "j F Y"]
MOMENTS = [
    datetime.datetime(2026, 3, 7, 9, 5, 3, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    datetime.date(2026, 5, 1),
    None,
]


@pytest.mark.parametrize("zone", [None, "Pacific/Auckland"])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("format", FORMATS)
def test_the_writer_writes_what_the_filter_writes(language, format, zone):
    template = Template('{{ value|date:format }}|{{ value|date:"' + format + '" }}')
    with translation.override(language), timezone.override(zone or timezone.get_default_timezone()):
        writer = DateWriter(format)
        for moment in MOMENTS:
            if type(moment) is datetime.date and format in ("DATETIME_FORMAT", "H:i"):
                continue  # the filter refuses time characters for a date
            expected = template.render(Context({"value": moment, "format": format}))
            assert f"{writer(moment)}|{writer(moment)}" == expected


def test_a_format_with_markup_is_escaped_as_a_variable():
    writer = DateWriter(r"<\b>j</\b> & F")
    moment = datetime.datetime(2026, 3, 7, 9, 5, tzinfo=datetime.UTC)
    with translation.override("en"):
        expected = Template(r'{{ value|date:"<\b>j</\b> & F" }}').render(Context({"value": moment}))
        assert writer(moment) == expected == "&lt;b&gt;7&lt;/b&gt; &amp; March"
