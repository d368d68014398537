"""assembly/localised.py: dates and numbers written as a template writes them, byte for byte, in
French and in English, in several time zones, whatever the format's own text."""

import datetime
import decimal
import zoneinfo

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import timezone, translation

from assembly import localised

DATE = engines["django"].from_string("{{ value|date:format }}")
VALUE = engines["django"].from_string("{{ value }}")

UTC = datetime.UTC
MOMENTS = [
    datetime.datetime(2026, 11, 19, 14, 30, tzinfo=UTC),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=UTC),  # midnight
    datetime.datetime(2027, 6, 15, 12, 0, 0, tzinfo=UTC),  # noon
    datetime.datetime(2027, 3, 28, 0, 59, 5, tzinfo=UTC),  # Paris: summer time comes
    datetime.datetime(2026, 12, 31, 23, 5, 9, tzinfo=UTC),  # another year in Paris
    datetime.datetime(2027, 10, 31, 11, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    datetime.datetime(2027, 2, 3, 4, 5, 6),  # naive: written as it is
    datetime.date(2027, 5, 9),
    None,
    "",
]
ZONES = ["Europe/Paris", "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]


def _as_the_filter_writes(format_name, values):
    return [DATE.render({"value": value, "format": format_name}) for value in values]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "format_name",
    [
        "DATETIME_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "DATE_FORMAT",
        "SHORT_DATE_FORMAT",
        "j F Y",
        "l j F Y",
        "H:i",
        "c",
    ],
)
def test_a_date_is_what_the_filter_writes(language, zone, format_name):
    values = MOMENTS
    if format_name.endswith("DATETIME_FORMAT") or format_name in ("H:i", "c"):
        # A date has no time: the filter fails on it with a time format (DateFormat's error).
        values = [value for value in values if type(value) is not datetime.date]
    with translation.override(language), timezone.override(zone):
        written = list(map(localised.dates(format_name), values))
        expected = _as_the_filter_writes(format_name, values)

    assert written == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_month_and_day_has_its_name(language):
    days = [
        datetime.datetime(2027, month, day, 12, tzinfo=UTC)
        for month in range(1, 13)
        for day in range(1, 8)
    ]
    with translation.override(language):
        written = list(map(localised.dates("l j F Y"), days))
        expected = _as_the_filter_writes("l j F Y", days)

    assert written == expected
    assert written[7 * 7] == (
        "dimanche 1 août 2027" if language == "fr" else "Sunday 1 August 2027"
    )


@pytest.mark.parametrize(
    "format_string",
    [
        "d/m/Y H:i",
        "j.n.Y G:i:s",
        r"\d\e d/m/Y \à H\hi",
        "100% d %s %%",
        "<b>j F</b> & 'Y' \"H\"",
        "F",
        "l %",
        r"\c c",
        "at noon",
        "m/d/Y P",
        "N j, Y <i>",
        "D, j M y",
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_formats_own_text_is_escaped_as_the_filter_escapes_it(format_string, language):
    with translation.override(language), timezone.override("Europe/Paris"):
        written = list(map(localised.dates(format_string), MOMENTS[:6]))
        expected = _as_the_filter_writes(format_string, MOMENTS[:6])

    assert written == expected
    assert not any("<" in text for text in written)


def test_the_time_zone_is_the_renderings():
    with translation.override("fr"), timezone.override("America/Montreal"):
        date = localised.dates("SHORT_DATETIME_FORMAT")
    with translation.override("fr"), timezone.override("Europe/Paris"):
        assert date(MOMENTS[0]) == "19/11/2026 09:30"


NUMBERS = [0, 7, -12, 1234567, 3.5, -0.25, 66.66666666666667, decimal.Decimal("1234.50"), None]
ODD_VALUES = [True, "<b>1 & 2</b>"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("thousands", [False, True])
def test_a_number_is_what_the_template_writes(language, thousands):
    values = NUMBERS + ODD_VALUES
    with override_settings(USE_THOUSAND_SEPARATOR=thousands), translation.override(language):
        expected = [VALUE.render({"value": value}) for value in values]
        number = localised.numbers()
        assert list(map(number, values)) == expected
        assert list(map(localised.number, values)) == expected

    if thousands:
        assert expected[3] == ("1\xa0234\xa0567" if language == "fr" else "1,234,567")
    assert expected[4] == ("3,5" if language == "fr" else "3.5")
    assert expected[-1] == "&lt;b&gt;1 &amp; 2&lt;/b&gt;"


def test_a_changed_setting_forgets_the_formats():
    with translation.override("fr"):
        assert localised.numbers()(1234) == "1234"
        assert localised.dates("SHORT_DATE_FORMAT")(MOMENTS[0]) == "19/11/2026"
        assert localised._kept
        with override_settings(USE_THOUSAND_SEPARATOR=True):
            assert localised._kept == {}
            assert localised.numbers()(1234) == "1\xa0234"
        assert localised.numbers()(1234) == "1234"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_messages_are_what_gettext_and_ngettext_give(language):
    """The catalogue looked up once gives each message as Django's functions give it, in the
    language of the moment, plurals included."""
    with translation.override(language):
        gettext, ngettext = localised.messages()
        assert gettext("Waiting for you") == translation.gettext("Waiting for you")
        for count in (0, 1, 2):
            assert ngettext("%(counter)s new comment", "%(counter)s new comments", count) == (
                translation.ngettext("%(counter)s new comment", "%(counter)s new comments", count)
            )
    with translation.override("fr"):
        assert localised.messages()[0]("Waiting for you") != "Waiting for you"
    with translation.override(None):
        assert localised.messages()[0]("Waiting for you") == "Waiting for you"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("zone", ZONES)
def test_date_writers_write_as_the_filter_writes(language, zone):
    """Several formats with the language and the time zone read once: each as the filter."""
    names = ("c", "l j F Y", "H:i", "DATETIME_FORMAT")
    values = [value for value in MOMENTS if type(value) is not datetime.date]
    with translation.override(language), timezone.override(zone):
        written = [list(map(writer, values)) for writer in localised.date_writers(*names)]
        expected = [_as_the_filter_writes(name, values) for name in names]

    assert written == expected
