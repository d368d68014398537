"""The board's query count, which depends on the database: PostgreSQL reads the meeting's hosts
and a signed-in person's involvement with the meeting (ARRAY(SELECT …), workshops/views/board.py);
SQLite, the embedded default, has no such arrays and asks for each apart."""

from django.db import connection


def board_queries(on_postgresql: int, *, signed_in: bool) -> int:
    if connection.vendor == "postgresql":
        return on_postgresql
    return on_postgresql + (2 if signed_in else 1)
