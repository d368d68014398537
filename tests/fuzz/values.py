"""Hypothesis strategies for what people type: odd text, numbers at the limits, dates, coordinates.

Each form field is a `Field`: what a person may rightly type there, and the odd values of its
family. `body()` mixes three kinds of POST body, about a third each: a fully valid one (so that
the way to acceptance is fuzzed too, with Unicode names, dates across DST and coordinates at
their limits), a valid one with a single field made odd or left out (so that one refusal at a
time is checked), and odd values anywhere.
"""

import dataclasses
import datetime
import zoneinfo
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
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


# --- What a person may rightly type -------------------------------------------------------------

# Any script, right-to-left text, combining marks, emoji, zero-width characters; no control
# characters (a NUL byte is refused, a tab or a new line is stripped away at the ends).
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))

VALID_TEXT = [
    "Jardin des Bois-Blancs",
    "\u202eevil\u202c",
    "مجلس المشاعات",
    "שלום עולם",
    "e" + "\u0301" * 50,
    "Z̷̢̛̛̮͚̻͎̀͂͌a̵̡̗̣̓͝l̸̨͈̿g̵̨̺̿o̸͍̓",
    "👩‍👩‍👧‍👦🏳️‍🌈🇫🇷",
    "'; DROP TABLE commons; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
]


def valid_text(max_length: int = 10_000):
    """Text a form must accept: at least one visible character, at most max_length."""
    return st.one_of(
        st.sampled_from([value for value in VALID_TEXT if len(value) <= max_length]),
        st.just("é" * max_length),
        st.text(PRINTABLE, min_size=1, max_size=min(max_length, 300)).filter(str.strip),
    )


def optional_text(max_length: int = 10_000):
    return st.one_of(st.just(""), valid_text(max_length))


def valid_emails():
    local = st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=30).filter(
        lambda part: part[0] not in ".+-" and part[-1] != "." and ".." not in part
    )
    domain = st.sampled_from(["example.org", "exemple.fr", "assemblee-des-communs.example"])
    return st.builds("{}@{}".format, local, domain)


def valid_integers(low: int, high: int):
    return st.one_of(st.sampled_from([low, high]), st.integers(low, high)).map(str)


def valid_coordinates(limit: int):
    """Decimal degrees in [-limit, limit], with at most six decimals (about 10 cm)."""
    return st.one_of(
        st.sampled_from([str(limit), str(-limit), "0", "-0", "50.629200", "3.0573"]),
        st.decimals(-limit, limit, places=6, allow_nan=False, allow_infinity=False).map(str),
    )


ZONE = zoneinfo.ZoneInfo("Europe/Paris")  # settings.TIME_ZONE, the zone of <input datetime-local>
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# Meetings that last across a change of time: the clocks go forward on 28 March 2027 at 02:00 and
# back on 31 October 2027 at 03:00, so that 02:00 to 02:59 is skipped in March, twice in October.
ACROSS_DST = [
    ("2027-03-28T01:00", "2027-03-28T04:00"),
    ("2027-03-28T01:59", "2027-03-28T03:00"),
    ("2027-10-31T01:30", "2027-10-31T03:30"),
    ("2027-10-31T00:00", "2027-10-31T03:00"),
]


def _exists_once(moment: datetime.datetime) -> bool:
    """The wall-clock time happens exactly once in the zone (not skipped, not repeated)."""
    first, second = moment.replace(tzinfo=ZONE, fold=0), moment.replace(tzinfo=ZONE, fold=1)
    return first.utcoffset() == second.utcoffset()


def valid_periods():
    """A start and a later end, as <input type=datetime-local> sends them."""
    starts = st.datetimes(
        min_value=datetime.datetime(2027, 1, 1), max_value=datetime.datetime(2035, 12, 31)
    ).map(lambda moment: moment.replace(second=0, microsecond=0))
    drawn = st.builds(
        lambda start, minutes: (start, start + datetime.timedelta(minutes=minutes)),
        starts,
        st.integers(1, 60 * 24 * 3),
    ).filter(lambda pair: _exists_once(pair[0]) and _exists_once(pair[1]))
    formatted = drawn.map(lambda pair: tuple(moment.strftime(LOCAL_FORMAT) for moment in pair))
    return st.one_of(st.sampled_from(ACROSS_DST), formatted)


def valid_dates(low=datetime.date(2027, 1, 1), high=datetime.date(2035, 12, 31)):
    return st.dates(min_value=low, max_value=high).map(datetime.date.isoformat)


def valid_amounts(high: Decimal = Decimal("9999999999.99")):
    """Money as a person types it: a positive number of euros and cents."""
    return st.one_of(
        st.sampled_from(["0.01", "1", "12.50", str(high)]),
        st.decimals(Decimal("0.01"), high, places=2, allow_nan=False, allow_infinity=False).map(
            str
        ),
    )


# Receipts are recognised by their first bytes (budget/receipts.py), whatever the file is called.
RECEIPT_HEADS = [
    b"%PDF-1.4\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF87a",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
]
FILE_NAMES = [
    "receipt.pdf",
    "facture.PNG",
    "reçu été 2027 🌱.jpg",
    "../../etc/passwd",
    "..\\..\\boot.ini",
    "x" * 300 + ".pdf",
    "no-extension",
    ".pdf",
    "مجلس.gif",
]
MAX_RECEIPT_BYTES = 5 * 1024 * 1024


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def valid_receipts():
    """A PDF or an image under 5 MB, under any name and any type the browser claims."""
    return st.builds(
        _upload,
        st.sampled_from(FILE_NAMES),
        st.builds(bytes.__add__, st.sampled_from(RECEIPT_HEADS), st.binary(max_size=2000)),
        st.sampled_from(["application/pdf", "image/png", "application/octet-stream", "text/html"]),
    )


def receipts():
    """Files that are not receipts: empty, text, a script, a signature cut short, too heavy."""
    odd_content = st.one_of(
        st.sampled_from(
            [
                b"",
                b"%PDF",
                b"\x89PN",
                b"RIFF\x00\x00\x00\x00WAVE",
                b"<script>alert(1)</script>",
                b"%PDF-1.4\n" + b"\x00" * MAX_RECEIPT_BYTES,  # a byte over the limit
            ]
        ),
        st.binary(max_size=2000),
        st.text(CHARACTERS, max_size=300).map(lambda text: text.encode()),
    )
    return st.builds(
        _upload,
        st.sampled_from(FILE_NAMES),
        odd_content,
        st.sampled_from(["application/pdf", "image/png", "text/plain"]),
    )


# --- Fields and bodies --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Field:
    valid: st.SearchStrategy  # what a person may rightly send
    odd: st.SearchStrategy = text  # the odd values of this field's family
    required: bool = True  # a valid body always sends it (optional fields are sometimes left out)


def choice(*valid, odd=text, required=True):
    return Field(st.sampled_from(valid), odd, required)


def boolean():
    """A checkbox: ticked ("on"), left out, or something else a client may send."""
    return Field(
        st.just("on"),
        st.sampled_from(["1", "true", "", "off", "\x00", "yes", "🙂", "0", "false"]),
        required=False,
    )


def body(fields: dict, valid=None):
    """A POST body: fully valid, valid but for one field, or odd anywhere (about a third each).

    `valid` builds the fully valid bodies when fields depend on each other (matching passwords, an
    end after the start); it defaults to each field's valid values drawn on their own.
    """
    if valid is None:
        valid = st.fixed_dictionaries(
            {name: field.valid for name, field in fields.items() if field.required},
            optional={name: field.valid for name, field in fields.items() if not field.required},
        )

    @st.composite
    def one_odd(draw):
        data = dict(draw(valid))
        name = draw(st.sampled_from(sorted(fields)))
        if draw(st.booleans()):
            data.pop(name, None)
        else:
            data[name] = draw(fields[name].odd)
        return data

    anything = st.fixed_dictionaries(
        {},
        optional={name: st.one_of(field.odd, field.valid) for name, field in fields.items()},
    )
    return st.one_of(valid, one_odd(), anything)
