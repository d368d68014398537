"""Races run for real: each function in its own thread, with its own PostgreSQL connection, all
released at the same instant. SQLite serialises writers, so a race test needs PostgreSQL."""

import threading

from django.db import connection

from tests.conftest import skip_or_fail


def needs_postgresql():
    """Skip where there is no PostgreSQL (DATABASE_URL), but fail in CI (REQUIRE_ALL=1)."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (DATABASE_URL): SQLite serialises writers, no race to test")


def run_together(*functions, timeout: float = 60) -> list[Exception | None]:
    """Run every function at the same instant, each in its own thread; return what each raised
    (None when it returned), in order.

    Each thread connects before the start (so that the calls really overlap rather than queue for
    a connection) and closes its connection after.
    """
    barrier = threading.Barrier(len(functions))
    errors: list[Exception | None] = [None] * len(functions)

    def run(index, function):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=timeout)
            function()
        except Exception as error:  # reported to the test, which says what it expects
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(threads)} racing calls still running after {timeout} s"
    return errors
