"""The production process sets (config/profiles.py) and `make serve` (config/serve.py)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from config import gunicorn as conf
from config import serve
from config.profiles import PROFILES

ROOT = Path(__file__).resolve().parents[2]


def test_small_profile_shares_two_preloaded_web_workers_and_runs_beat_inside_the_worker():
    commands = serve.commands("small", python="python")

    assert PROFILES["small"].web_workers == 2
    assert PROFILES["small"].preload_app is True
    assert set(commands) == {"web", "worker"}
    assert commands["web"] == [
        "python", "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"
    ]  # fmt: skip
    assert "--concurrency=1" in commands["worker"]
    assert "--beat" in commands["worker"]


def test_standard_profile_runs_four_web_workers_two_task_children_and_beat_apart():
    commands = serve.commands("standard", python="python")

    assert PROFILES["standard"].web_workers == 4
    assert set(commands) == {"web", "worker", "beat"}
    assert "--concurrency=2" in commands["worker"]
    assert "--beat" not in commands["worker"]
    assert commands["beat"][:6] == ["python", "-m", "celery", "-A", "config", "beat"]


def test_gunicorn_settings_follow_the_profile_host_and_port():
    profile = PROFILES[settings.ASSEMBLEE_PROFILE]

    assert conf.workers == profile.web_workers
    assert conf.preload_app == profile.preload_app
    assert conf.max_requests == profile.max_requests
    assert conf.bind == f"{settings.HOST}:{settings.PORT}"


def test_an_unknown_profile_refuses_to_start():
    env = {**os.environ, "ASSEMBLEE_PROFILE": "huge", "DEBUG": "1"}

    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode != 0
    assert "ASSEMBLEE_PROFILE='huge': expected one of small, standard." in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _tree(pid: int) -> list[int]:
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        try:
            pending += _children(current)
        except FileNotFoundError:
            continue
    return pids


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def test_serve_starts_the_small_set_answers_and_stops_as_a_whole(tmp_path):
    port = _free_port()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "ASSEMBLEE_PROFILE": "small",
        "DEBUG": "1",
        "SECRET_KEY": "serve-test",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "config.serve"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        status, deadline = None, time.monotonic() + 60
        while status is None and time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/robots.txt")
                status = connection.getresponse().status
            except OSError:
                time.sleep(0.3)
        # honcho starts each through a shell: count the processes themselves.
        lines = [
            line for pid in _tree(process.pid)
            if not (line := _command_line(pid)).startswith("/bin/sh")
        ]  # fmt: skip

        assert status == 200
        # gunicorn's master and its two workers, the Celery worker with beat inside (-B), and no
        # beat process of its own.
        assert sum("gunicorn" in line for line in lines) == 3
        assert any("celery" in line and "worker" in line and "--beat" in line for line in lines)
        assert not any(" beat " in f"{line} " and "worker" not in line for line in lines)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode is not None
