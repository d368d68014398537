"""What every app's rules share: the refusal a person reads, the fields of a place on a map, and
text that spreadsheets must not run."""

import csv
import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused an action; `message` (translated) is for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


# A cell starting with one of these is run as a formula by spreadsheets (CSV injection): exports
# write such text cells after an apostrophe, which makes them plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A plain number ("-12.50", "+33612345678") starts like a formula but a spreadsheet reads it as a
# number, never runs it: it stays as it is, so amounts and coordinates stay numbers.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_text(value) -> str:
    """Text a spreadsheet shows as it is, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


class SpreadsheetWriter:
    """csv.writer whose every cell goes through spreadsheet_text: every CSV export writes with
    it (tests/assembly/test_spreadsheets.py refuses a csv.writer elsewhere), so no cell, whatever column
    it is in, is run as a formula by the spreadsheet that opens it (CSV injection)."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_text(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def latitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
