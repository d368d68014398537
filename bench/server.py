"""The server side of `make bench`: gunicorn on the loopback address, the production-like
environment it runs in, and the PostgreSQL database it measures."""

import http.client
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import environ
import psycopg
from psycopg import sql

from .load import LOOPBACK, BenchmarkError

GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on the loopback address, started and always stopped (use as a context manager).

    With a profile, gunicorn runs as in production (config/gunicorn.py: that profile's workers,
    the preloaded application, the recycling of workers), only bound to the loopback address."""

    def __init__(
        self, env: dict[str, str], *, workers: int = 2, log: Path, profile: str | None = None
    ):
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.log = log
        self.profile = profile
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        if self.profile is not None:
            return [
                sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG),
                "config.wsgi:application", f"--bind={LOOPBACK}:{self.port}",
            ]  # fmt: skip
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind={LOOPBACK}:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            "--timeout=120",
        ]

    def __enter__(self) -> "Server":
        env = self.env if self.profile is None else {**self.env, "ASSEMBLEE_PROFILE": self.profile}
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(), env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=5)
            try:
                connection.request("GET", "/robots.txt", headers={"Host": LOOPBACK})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        raise BenchmarkError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the processes whose parent is the master."""
        return children(self.process.pid)

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen | None) -> None:
    """Ends a process the benchmark started: politely, then for good after 30 s."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def children(parent: int, proc: Path = Path("/proc")) -> list[int]:
    """The ids of parent's child processes, read from /proc/<pid>/status (Linux)."""
    found = []
    for status in proc.glob("[0-9]*/status"):
        try:
            fields = parse_status(status.read_text(encoding="utf-8"))
        except OSError:  # the process ended while we looked
            continue
        if fields.get("PPid") == str(parent):
            found.append(int(status.parent.name))
    return sorted(found)


def parse_status(text: str) -> dict[str, str]:
    """/proc/<pid>/status as a dict: "VmRSS" gives "123456 kB"."""
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return fields


def rss_kib(pid: int, proc: Path = Path("/proc")) -> int:
    """A process's resident set size in KiB (VmRSS)."""
    value = parse_status((proc / str(pid) / "status").read_text(encoding="utf-8"))["VmRSS"]
    number, unit = value.split()
    if unit != "kB":
        raise BenchmarkError(f"Unexpected VmRSS unit {unit!r}.")
    return int(number)


def server_environment(
    base: dict[str, str], *, database_url: str, redis_url: str, static_root: str
) -> dict[str, str]:
    """The production-like environment the benchmark runs in (its own DB, no HTTPS redirect)."""
    env = {key: value for key, value in base.items() if not key.startswith("DJANGO_")}
    env.update(
        DEBUG="0",
        SECURE="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS=LOOPBACK,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database named in url if missing; True when it was created."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchmarkError(f"The benchmark runs on PostgreSQL, not {config['ENGINE']}.")
    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True
