"""`make loadtest` in small: 5 people for 5 seconds against gunicorn, no 5xx, no lost write."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import skip_or_fail
from tests.services.conftest import REDIS_URL, redis_answers

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.load
def test_loadtest_smoke(django_db_blocker):
    with django_db_blocker.unblock():
        settings = dict(connection.settings_dict)
        vendor = connection.vendor
    if vendor != "postgresql":
        skip_or_fail("the load test runs on PostgreSQL (DATABASE_URL=postgres://...)")
    if not redis_answers(REDIS_URL):
        skip_or_fail(f"Redis does not answer at {REDIS_URL}")
    user = settings["USER"] or "root"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    env = {
        **os.environ,
        # Its own database beside the test database, created on first use and kept.
        "LOAD_DATABASE_URL": f"postgres://{user}@{host}:{port}/{settings['NAME']}_load",
        "LOAD_REDIS_URL": REDIS_URL,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.loadtest", "--seconds", "5", "--people", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Errors (5xx or no answer): 0; lost writes: 0" in result.stdout
    assert "p95" in result.stdout
