"""The production process sets (config/profiles.py) and `make serve` (config/serve.py)."""

import http.client
import json
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


def test_small_profile_shares_two_preloaded_web_workers_and_runs_tasks_and_beat_in_one_process():
    commands = serve.commands("small", python="python")

    assert PROFILES["small"].web_workers == 2
    assert PROFILES["small"].preload_app is True
    assert set(commands) == {"web", "worker"}
    assert commands["web"] == [
        "python", "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"
    ]  # fmt: skip
    # The tasks in the worker process itself, beat in one of its threads: no child, no fork.
    assert "--pool=solo" in commands["worker"]
    assert "--beat-thread" in commands["worker"]
    assert "--beat" not in commands["worker"]
    assert not any(word.startswith("--max-tasks-per-child") for word in commands["worker"])


def test_standard_profile_runs_four_web_workers_two_task_children_and_beat_apart():
    commands = serve.commands("standard", python="python")

    assert PROFILES["standard"].web_workers == 4
    assert set(commands) == {"web", "worker", "beat"}
    assert "--pool=prefork" in commands["worker"]
    assert "--concurrency=2" in commands["worker"]
    assert "--max-tasks-per-child=500" in commands["worker"]
    assert not any(word.startswith("--beat") for word in commands["worker"])
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
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.serve"], cwd=ROOT, env=env,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
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
        deadline = time.monotonic() + 60
        while "beat: Starting" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        lines = [_command_line(pid) for pid in _tree(process.pid)]

        assert status == 200
        # The supervisor (config/supervise.py, this process after exec), gunicorn's master and its
        # two workers, and one Celery process: its tasks in it, beat in one of its threads.
        assert len(lines) == 5
        assert "config/supervise.py" in lines[0]
        assert sum("gunicorn" in line for line in lines[1:]) == 3
        assert sum("celery" in line for line in lines[1:]) == 1
        assert "beat: Starting" in log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode is not None


def test_the_supervisor_stops_the_others_when_one_stops_and_says_why(tmp_path):
    python = sys.executable
    commands = [
        ["short", [python, "-c", "import sys; sys.exit(3)"]],
        ["long", [python, "-c", "import time; time.sleep(60)"]],
    ]
    started = time.monotonic()

    result = subprocess.run(
        [python, str(ROOT / "config" / "supervise.py"), json.dumps(commands)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode == 3
    assert "serve: short exited (3); stopping the others" in result.stdout
    assert time.monotonic() - started < 30


def test_the_supervisor_passes_sigterm_on_to_every_command(tmp_path):
    marker = tmp_path / "stopped"
    catches = (
        "import pathlib, signal, sys, time\n"
        "def stop(*_):\n"
        f"    pathlib.Path({str(marker)!r}).write_text('yes')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "time.sleep(60)\n"
    )
    supervisor = subprocess.Popen(
        [sys.executable, str(ROOT / "config" / "supervise.py"),
         json.dumps([["catches", [sys.executable, "-c", catches]]])],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert "serve: catches started" in supervisor.stdout.readline()
    time.sleep(1)  # the command sets its handler

    supervisor.send_signal(signal.SIGTERM)

    assert supervisor.wait(timeout=30) == 0
    assert marker.read_text() == "yes"


def test_beat_of_a_profile_whose_worker_runs_it_idles_as_sleep():
    env = {**os.environ, "ASSEMBLEE_PROFILE": "small", "DEBUG": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "config.serve", "beat"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        said = process.stdout.readline()
        deadline = time.monotonic() + 20
        while "sleep" not in _command_line(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)

        assert said == "Profile 'small': beat runs inside the task worker.\n"
        assert _command_line(process.pid) == "sleep infinity "
        assert process.poll() is None  # compose's service stays up
    finally:
        process.kill()
        process.wait()
