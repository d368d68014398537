"""PostgreSQL restarts under load: gunicorn answers a 503 page in our layout while it is down, and
recovers by itself once it is back (CONN_HEALTH_CHECKS), without being restarted.

Never the machine's shared PostgreSQL: the test starts a throwaway cluster of its own on another
port, copies the migrated test database into it, and stops it at the end."""

import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import resolve

from assembly import page_cache
from bench.server import Server, free_port, server_environment
from tests.conftest import skip_or_fail
from tests.services.conftest import REDIS_URL

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def as_postgres(command: list[str], **kwargs):
    """initdb refuses to run as root: run the cluster's commands as the postgres user then."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, timeout=120, **kwargs)


@pytest.fixture
def throwaway_postgres(postgres_database, django_db_blocker):
    if not (PG_BIN / "initdb").exists():
        skip_or_fail(f"no PostgreSQL server binaries in {PG_BIN}")
    folder = Path(tempfile.mkdtemp(prefix="assemblee-pg-"))
    shutil.chown(folder, "postgres") if os.geteuid() == 0 else None
    data, port = folder / "data", free_port()
    as_postgres(
        [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    )

    def pg_ctl(*args):
        return as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", *args])

    start_options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl("-o", start_options, "-l", str(folder / "log"), "start")
    try:
        with django_db_blocker.unblock():
            settings = connection.settings_dict
        source = f"postgres://{settings['USER'] or 'root'}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "site",
            ],
            check=True,
        )
        # The migrated test database, copied: no migrate run needed.
        dump = subprocess.run(["pg_dump", "--no-owner", source], check=True, capture_output=True)
        subprocess.run(
            ["psql", "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "site"],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )
        yield {
            "url": f"postgres://postgres@127.0.0.1:{port}/site",
            "stop": lambda: pg_ctl("-m", "fast", "stop"),
            "start": lambda: pg_ctl("-o", start_options, "-l", str(folder / "log"), "start"),
        }
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "stop",
            ]
            if os.geteuid() == 0
            else [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


# A page that needs the database for everyone: the anonymous page cache may answer the home page
# or a search from Redis while PostgreSQL is down, which is what it is for, but not the chantiers
# (not in PUBLIC_PAGES, which the first assertion of the test checks).
PAGE = "/chantiers/"


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_database_restart_gives_503_then_recovers(throwaway_postgres, tmp_path):
    assert resolve(PAGE).view_name not in page_cache.PUBLIC_PAGES
    root = Path(__file__).resolve().parents[2]
    env = server_environment(
        dict(os.environ),
        database_url=throwaway_postgres["url"],
        redis_url=REDIS_URL,
        static_root=str(tmp_path / "static"),
    )
    env["LANGUAGE_CODE"] = "en"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=root,
        env=env,
        check=True,
        timeout=300,
    )
    statuses: list[int] = []
    stop = threading.Event()

    def load(port):
        while not stop.is_set():
            try:
                statuses.append(get(port, PAGE)[0])
            except OSError:
                statuses.append(0)
            time.sleep(0.05)

    with Server(env, workers=2, log=root / "var" / "faults-gunicorn.log") as server:
        assert get(server.port, PAGE)[0] == 200
        thread = threading.Thread(target=load, args=(server.port,), daemon=True)
        thread.start()
        time.sleep(1)
        throwaway_postgres["stop"]()
        status, page = get(server.port, PAGE)
        assert status == 503
        # In the site's layout: its header, menu and footer, not a bare error page.
        assert 'class="site-header"' in page and 'class="main-nav"' in page
        assert 'class="site-footer"' in page
        assert "Back in a moment" in page or "De retour dans un instant" in page
        health_status, health = get(server.port, "/healthz")
        assert health_status == 503 and '"database": "error"' in health
        time.sleep(1)
        throwaway_postgres["start"]()
        # Recovers by itself: within a few seconds every request is answered again.
        deadline = time.monotonic() + 20
        while get(server.port, PAGE)[0] != 200:
            assert time.monotonic() < deadline, (
                "the site did not recover after PostgreSQL came back"
            )
            time.sleep(0.2)
        time.sleep(1)
        stop.set()
        thread.join(timeout=30)
        for _ in range(10):
            assert get(server.port, PAGE)[0] == 200
    assert 503 in statuses
    assert set(statuses) <= {200, 503}, f"unclean answers: {sorted(set(statuses))}"
    assert statuses[-1] == 200
