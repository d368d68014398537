"""The memory of the production process set (issue 24): `python -m config.serve` in a profile, its
processes' summed PSS idle after start and after a fixed load of the key pages; and the whole
stack, with a PostgreSQL and two Redis servers of the benchmark's own started with the settings
docker-compose.yml gives them (`--only stack-full`).

PSS (proportional set size, `Pss:` in /proc/<pid>/smaps_rollup) counts a page shared by N
processes as 1/N in each, so the sum over the process tree is what the set costs the machine:
RSS would count the preloaded application once per gunicorn worker.
"""

import contextlib
import http.client
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import redis
import yaml

from .load import LOOPBACK, BenchmarkError, drive
from .server import free_port, stop

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
# DESIGN.md's budgets for the small profile on the large data.
IDLE_BUDGET_MIB = 300
LOADED_BUDGET_MIB = 350
WHOLE_STACK_BUDGET_MIB = 512
# The fixed load, over the key pages in turn (anonymous and signed in).
STACK_REQUESTS = 2_000
# The app's processes by what they run; a process not named here takes its parent's part (a
# forked gunicorn worker or Celery child), the root's is the supervisor (honcho and its shells).
APP_PARTS = ("web", "tasks", "supervisor")
# Compose's server version; its binaries when initdb is not on PATH (Debian's layout).
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def rollup_kib(pid: int, proc: Path = Path("/proc")) -> dict[str, int]:
    """/proc/<pid>/smaps_rollup's sizes in KiB ({} when the process has gone)."""
    try:
        text = (proc / str(pid) / "smaps_rollup").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return {}
    sizes = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if " " in name or not value:  # the first line names the range: "00400000-… [rollup]"
            continue
        number, unit = value.split()
        if unit != "kB":
            raise BenchmarkError(f"Unexpected {name} unit {unit!r}.")
        sizes[name] = int(number)
    return sizes


def pss_kib(pid: int, proc: Path = Path("/proc")) -> int:
    """One process's proportional set size in KiB (0 when it has gone)."""
    sizes = rollup_kib(pid, proc)
    if sizes and "Pss" not in sizes:
        raise BenchmarkError(f"No Pss line for process {pid}.")
    return sizes.get("Pss", 0)


def process_tree(root: int, proc: Path = Path("/proc")) -> list[int]:
    """root and all its descendants (recycled workers included, whenever they are read)."""
    pids, pending = [], [root]
    while pending:
        pid = pending.pop()
        pids.append(pid)
        pending += children_of(pid, proc)
    return pids


def children_of(pid: int, proc: Path = Path("/proc")) -> list[int]:
    found = []
    try:
        for task in (proc / str(pid) / "task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found


def tree_pss_mib(root: int, proc: Path = Path("/proc")) -> float:
    return sum(pss_kib(pid, proc) for pid in process_tree(root, proc)) / 1024


def part_of(pid: int, proc: Path = Path("/proc")) -> str | None:
    """ "web" for gunicorn, "tasks" for Celery, None for anything else (read from its command)."""
    try:
        words = (proc / str(pid) / "cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return None
    if b"gunicorn" in words:
        return "web"
    if b"celery" in words:
        return "tasks"
    return None


def app_pss_mib(root: int, proc: Path = Path("/proc")) -> dict[str, float]:
    """The PSS of config.serve's tree in MiB, split into web, tasks and supervisor."""
    parts = dict.fromkeys(APP_PARTS, 0.0)
    pending = [(root, "supervisor")]
    while pending:
        pid, inherited = pending.pop()
        part = part_of(pid, proc) or inherited
        parts[part] += pss_kib(pid, proc) / 1024
        pending += [(child, part) for child in children_of(pid, proc)]
    return parts


def process_detail(root: int, proc: Path = Path("/proc")) -> list[dict]:
    """Each process of the tree: its part, command (shortened), PSS and private memory in MiB, to
    see where the memory goes (written to var/bench.json)."""
    found, pending = [], [(root, "supervisor")]
    while pending:
        pid, inherited = pending.pop()
        part = part_of(pid, proc) or inherited
        sizes = rollup_kib(pid, proc)
        try:
            words = (proc / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except (FileNotFoundError, ProcessLookupError):
            words = []
        found.append(
            {
                "pid": pid,
                "part": part,
                "command": " ".join(words)[:120],
                "pss_mib": round(sizes.get("Pss", 0) / 1024, 1),
                "private_mib": round(
                    (sizes.get("Private_Clean", 0) + sizes.get("Private_Dirty", 0)) / 1024, 1
                ),
            }
        )
        pending += [(child, part) for child in children_of(pid, proc)]
    return found


def postgres_mib(postmaster: int, proc: Path = Path("/proc")) -> float:
    """PostgreSQL's processes in MiB, its shared memory counted whole.

    PSS counts a shared buffer only while a live process maps it, so a buffer filled by a backend
    that has since ended would count for nothing: each process's PSS outside the shared segments,
    plus the segments' full size once (as though every buffer were in use, as they are on a
    server that has run for a while)."""
    private = 0
    segments: dict[str, int] = {}
    for pid in process_tree(postmaster, proc):
        private += pss_kib(pid, proc)
        for name, size, pss in shared_segments_kib(pid, proc):
            private -= pss
            segments[name] = max(segments.get(name, 0), size)
    return (private + sum(segments.values())) / 1024


def shared_segments_kib(pid: int, proc: Path = Path("/proc")) -> list[tuple[str, int, int]]:
    """(name, Size, Pss) of each shared memory segment a process maps: PostgreSQL's main one is an
    anonymous shared mapping ("/dev/zero (deleted)"), beside a small System V one."""
    try:
        text = (proc / str(pid) / "smaps").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []
    found, current = [], None
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 5 and "-" in fields[0] and not fields[0].endswith(":"):
            name = " ".join(fields[5:])
            shared = fields[1].endswith("s") and (
                name == "/dev/zero (deleted)" or name.startswith("/SYSV")
            )
            current = [name, 0, 0] if shared else None
            if current is not None:
                found.append(current)
        elif current is not None and fields[:1] == ["Size:"]:
            current[1] = int(fields[1])
        elif current is not None and fields[:1] == ["Pss:"]:
            current[2] = int(fields[1])
    return [tuple(segment) for segment in found]


def _wait_for_web(port: int, process: subprocess.Popen, log: Path, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(f"config.serve exited ({process.returncode}); see {log}")
        try:
            connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            connection.request("GET", "/robots.txt", headers={"Host": LOOPBACK})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise BenchmarkError(f"config.serve did not answer on port {port} within {timeout:g} s.")


def _wait_for_text(log: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.5)
    return False


def measure_stack_memory(
    env: dict[str, str], pages: list[tuple[str, dict[str, str] | None]], *,
    profile: str = "small", requests: int = STACK_REQUESTS, settle_seconds: float = 5.0,
    log: Path, services: dict[str, Callable[[], float]] | None = None,
) -> dict:  # fmt: skip
    """Start the profile's whole set, read its PSS idle, drive `requests` GETs over `pages`
    (path, headers) in turn, read it again; stop the set. `services` read the memory of the
    servers it runs against (MiB) at the same moments. Returns the numbers and whether the
    budgets hold."""
    port = free_port()
    env = {**env, "ASSEMBLEE_PROFILE": profile, "HOST": LOOPBACK, "PORT": str(port)}
    services = services or {}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.serve"], env=env, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True, cwd=BASE_DIR,
        )  # fmt: skip
    try:
        _wait_for_web(port, process, log)
        # The task worker says "ready" once its child and the embedded beat have started.
        if not _wait_for_text(log, " ready.", timeout=90):
            raise BenchmarkError(f"The Celery worker did not say it was ready; see {log}")
        time.sleep(settle_seconds)

        def reading() -> dict[str, float]:
            app = app_pss_mib(process.pid)
            return {
                **{part: round(mib, 1) for part, mib in app.items()},
                "app": round(sum(app.values()), 1),
                **{name: round(read(), 1) for name, read in services.items()},
            }

        idle = reading()
        per_path = max(1, requests // max(1, len(pages)))
        for path, headers in pages:
            drive(port, path, requests=per_path, connections=4, headers=headers)
        loaded = reading()
        detail = process_detail(process.pid)
        processes = len(detail)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for values in (idle, loaded):
        values["whole"] = round(values["app"] + sum(values[name] for name in services), 1)
    within = profile != "small" or (
        idle["app"] <= IDLE_BUDGET_MIB
        and loaded["app"] <= LOADED_BUDGET_MIB
        and (not services or max(idle["whole"], loaded["whole"]) <= WHOLE_STACK_BUDGET_MIB)
    )
    return {
        "profile": profile,
        "processes": processes,
        "requests": per_path * len(pages),
        "services": sorted(services),
        "pss_mib_idle": idle["app"],
        "pss_mib_after_load": loaded["app"],
        "idle": idle,
        "after_load": loaded,
        "processes_after_load": detail,
        "budget_mib": {
            "idle": IDLE_BUDGET_MIB,
            "after_load": LOADED_BUDGET_MIB,
            **({"whole_stack": WHOLE_STACK_BUDGET_MIB} if services else {}),
        },
        "within_budget": within,
    }


def describe(result: dict) -> str:
    """The stack measurement in a few lines, part by part."""

    def line(values: dict) -> str:
        parts = ", ".join(
            f"{name} {values[name]:.0f}" for name in (*APP_PARTS, *result["services"])
        )
        whole = f"; whole stack {values['whole']:.0f} MiB" if result["services"] else ""
        return f"app {values['app']:.0f} MiB ({parts}){whole}"

    budget = result["budget_mib"]
    budgets = f"{budget['idle']} and {budget['after_load']} MiB"
    if "whole_stack" in budget:
        budgets += f", whole stack {budget['whole_stack']} MiB"
    verdict = (
        ("ok" if result["within_budget"] else "OVER BUDGET")
        if result["profile"] == "small"
        else "the small profile's, not applied"
    )
    return (
        f"  {result['processes']} app processes, profile {result['profile']}.\n"
        f"  Idle: {line(result['idle'])}.\n"
        f"  After {result['requests']:,} requests: {line(result['after_load'])}.\n"
        f"  Budget (app idle and after load{', whole stack' if result['services'] else ''}): "
        f"{budgets}: {verdict}"
    )


# The whole stack in compose's settings, on servers of the benchmark's own.


def compose_commands(path: Path = COMPOSE_FILE) -> dict[str, list[str]]:
    """The command of each of compose's services that has one, split into words."""
    services = yaml.safe_load(path.read_text(encoding="utf-8"))["services"]
    return {
        name: shlex.split(service["command"])
        if isinstance(service["command"], str)
        else [str(word) for word in service["command"]]
        for name, service in services.items()
        if "command" in service
    }


def postgres_settings(command: list[str]) -> list[str]:
    """The `-c name=value` settings of compose's `postgres …` command."""
    if command[:1] != ["postgres"]:
        raise BenchmarkError(f"compose's db command is not postgres: {shlex.join(command)}")
    return [command[i + 1] for i, word in enumerate(command) if word == "-c"]


def redis_options(command: list[str]) -> list[str]:
    """The options of compose's `redis-server …` command."""
    if command[:1] != ["redis-server"]:
        raise BenchmarkError(f"compose's Redis command is not redis-server: {shlex.join(command)}")
    return command[1:]


def _postgres_binary(name: str) -> str:
    found = shutil.which(name) or (
        str(POSTGRES_BIN / name) if (POSTGRES_BIN / name).exists() else None
    )
    if found is None:
        raise BenchmarkError(f"{name} (the PostgreSQL server's binaries) is not installed.")
    return found


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, check=False, **kwargs)
    if result.returncode != 0:
        raise BenchmarkError(
            f"{shlex.join(command)} failed: {result.stderr.decode(errors='replace')[-500:]}"
        )
    return result


@contextlib.contextmanager
def own_postgres(settings: list[str], folder: Path) -> Iterator[dict]:
    """A PostgreSQL cluster of its own in folder, on a free port, with compose's settings."""
    initdb, pg_ctl = _postgres_binary("initdb"), _postgres_binary("pg_ctl")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    _run(_as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]))
    # fsync off: the copy of the data writes less to the shared disk; memory does not change.
    options = " ".join(
        [f"-p {port} -k {folder} -c listen_addresses={LOOPBACK} -c fsync=off"]
        + [f"-c {setting}" for setting in settings]
    )
    _run(_as_postgres([pg_ctl, "-D", str(data), "-w", "-o", options, "-l", str(folder / "log"), "start"]))  # fmt: skip
    try:
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
        yield {
            "port": port,
            "url": f"postgres://postgres@{LOOPBACK}:{port}/assemblee",
            "pid": postmaster,
        }
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True, check=False,
        )  # fmt: skip


@contextlib.contextmanager
def own_redis(options: list[str], folder: Path) -> Iterator[dict]:
    """A redis-server of its own on a free port with compose's options (its files in folder)."""
    if shutil.which("redis-server") is None:
        raise BenchmarkError("redis-server is not installed.")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", *options, "--port", str(port), "--bind", LOOPBACK, "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://{LOOPBACK}:{port}/0"
    try:
        deadline = time.monotonic() + 30
        while not _redis_answers(url):
            if time.monotonic() > deadline or process.poll() is not None:
                raise BenchmarkError(f"redis-server {shlex.join(options)} did not start.")
            time.sleep(0.2)
        yield {"url": url, "pid": process.pid}
    finally:
        stop(process)


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def copy_database(source_url: str, target: dict) -> float:
    """The benchmark's database (migrated, seeded) into the own cluster, then ANALYZE; seconds."""
    started = time.perf_counter()
    with psycopg.connect(
        host=LOOPBACK, port=target["port"], user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute("CREATE DATABASE assemblee")
    dump = subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", source_url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    restore = subprocess.run(
        ["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", LOOPBACK, "-p", str(target["port"]),
         "-U", "postgres", "-d", "assemblee"],
        stdin=dump.stdout, capture_output=True, check=False,
    )  # fmt: skip
    dump.stdout.close()
    dump_error = dump.stderr.read().decode(errors="replace")
    if dump.wait() != 0 or restore.returncode != 0:
        raise BenchmarkError(
            "Copying the benchmark database failed: "
            f"{dump_error[-300:]}{restore.stderr.decode(errors='replace')[-300:]}"
        )
    with psycopg.connect(target["url"], autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def measure_whole_stack(
    env: dict[str, str], pages: list[tuple[str, dict[str, str] | None]], *, log: Path,
    profile: str = "small", requests: int = STACK_REQUESTS, say: Callable[[str], None] = print,
) -> dict:  # fmt: skip
    """The small profile against a PostgreSQL, a broker Redis and a cache Redis of its own, each
    started with docker-compose.yml's settings, the benchmark's data copied in: the app's PSS and
    the servers' memory, idle and after load, and their sum against the 512 MiB budget."""
    commands = compose_commands()
    with tempfile.TemporaryDirectory(prefix="assemblee-stack-") as temporary:
        folder = Path(temporary)
        folder.chmod(0o755)  # the postgres user goes through it to its cluster's folder
        for name in ("db", "redis", "cache"):
            (folder / name).mkdir()
        with (
            own_postgres(postgres_settings(commands["db"]), folder / "db") as postgres,
            own_redis(redis_options(commands["redis"]), folder / "redis") as broker,
            own_redis(redis_options(commands["cache"]), folder / "cache") as cache,
        ):
            say(
                f"  PostgreSQL ({' '.join(postgres_settings(commands['db']))}) and two Redis "
                f"(broker: {shlex.join(redis_options(commands['redis']))}; cache: "
                f"{shlex.join(redis_options(commands['cache']))}) of the benchmark's own…"
            )
            seconds = copy_database(env["DATABASE_URL"], postgres)
            say(f"  The benchmark's data copied in {seconds:.1f} s.")
            result = measure_stack_memory(
                {
                    **env,
                    "DATABASE_URL": postgres["url"],
                    "REDIS_URL": broker["url"],
                    "CACHE_URL": cache["url"],
                },
                pages,
                profile=profile,
                requests=requests,
                log=log,
                services={
                    "postgresql": lambda: postgres_mib(postgres["pid"]),
                    "broker": lambda: tree_pss_mib(broker["pid"]),
                    "cache": lambda: tree_pss_mib(cache["pid"]),
                },
            )
    return {**result, "compose": {name: commands[name] for name in ("db", "redis", "cache")}}
