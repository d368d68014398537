"""Hypothesis strategies for what people type: odd text, numbers at the limits, dates, coordinates."""

import datetime

from hypothesis import strategies as st

# Every Unicode character an HTML form can send (no lone surrogates: a browser cannot encode them).
CHARACTERS = st.characters(blacklist_categories=("Cs",))

NASTY_TEXT = [
    "",
    " ",
    "\t\n\r",
    "\x00",
    "a\x00b",
    "Fab\x00lab",
    "\u202eevil\u202c",  # right-to-left override
    "مجلس المشاعات",  # Arabic, right to left
    "שלום עולם",  # Hebrew
    "e" + "\u0301" * 500,  # a letter under five hundred combining accents
    "Z̷̢̛̛̮͚̻͎̀͂͌a̵̡̗̣̓͝l̸̨͈̿g̵̨̺̿o̸͍̓",
    "👩‍👩‍👧‍👦🏳️‍🌈🇫🇷",
    "\ufeff\u200b\u200d\u2060",  # byte-order mark and zero-width characters
    "'; DROP TABLE commons; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "x" * 150,
    "x" * 151,
    "x" * 200,
    "x" * 201,
    "x" * 280,
    "x" * 281,
    "é" * 255,
    "🌱" * 1000,
    "x" * 100_001,
]

NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "32767",
    "32768",
    "-32769",
    "65535",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 400,
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1.5",
    "1,5",
    "0x10",
    "１２",  # full-width digits
    "٣",  # Arabic-Indic digit
    " 12 ",
]

COORDINATES = [
    "90",
    "-90",
    "90.000001",
    "-90.0000001",
    "180",
    "-180",
    "180.0000001",
    "50.62921234567890123",
    "50,6292",
    "50.6292.1",
    "50°37′45″N",
    "3.0573E",
    "1e3",
    "NaN",
    "Infinity",
    "-0",
    "",
]

# Europe/Paris (the demo's zone) springs forward on 29 March 2026 at 02:00 and falls back on
# 25 October 2026 at 03:00: 02:30 does not exist in March and happens twice in October.
DATETIMES = [
    "2026-03-29T02:30",
    "2026-03-29T01:59",
    "2026-03-29T03:00",
    "2026-10-25T02:30",
    "2026-10-25T01:59",
    "2026-10-25T03:00",
    "2026-10-25 02:30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "2026-13-01T10:00",
    "2026-12-01T24:00",
    "2026-12-01",
    "26/11/2026 18:00",
    "2026-12-01T10:00:00+05:00",
    "",
]

DATES = [
    "2026-03-29",
    "2026-10-25",
    "0001-01-01",
    "9999-12-31",
    "2026-02-29",
    "2028-02-29",
    "29/03/2026",
    "",
]

long_text = st.builds(
    lambda piece, times: piece * times,
    st.text(CHARACTERS, min_size=1, max_size=5),
    st.integers(1, 20_000),
)

text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(CHARACTERS, max_size=300),
    long_text,
)
number = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(-(2**70), 2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    text,
)
coordinate = st.one_of(
    st.sampled_from(COORDINATES),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(min_value=-200, max_value=200, places=10).map(str),
    text,
)


def local_datetimes():
    moments = st.datetimes(
        min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31, 23, 59)
    )
    return st.one_of(
        st.sampled_from(DATETIMES),
        moments.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
        text,
    )


def dates():
    days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
    return st.one_of(st.sampled_from(DATES), days.map(datetime.date.isoformat), text)


def choice(*valid):
    """A valid choice most of the time, so the success path is fuzzed too, or anything at all."""
    return st.one_of(st.sampled_from(valid), text)


def boolean():
    return st.sampled_from(["on", "1", "true", "", "off", "\x00", "yes", "🙂"])


def form(required: dict, optional: dict | None = None):
    """A POST body: the required fields always sent, the optional ones sometimes left out."""
    return st.fixed_dictionaries(required, optional=optional or {})
