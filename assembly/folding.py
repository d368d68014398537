"""Text folded for searching: lower case, without accents, so that "Helene" finds "Hélène" on
SQLite and PostgreSQL alike (the folded text is stored, so no database extension is needed)."""

import unicodedata


def fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
