"""The memory of the production process set (issue 24): `python -m config.serve` in a profile,
its processes' summed PSS idle after start and after a fixed load of the key pages.

PSS (proportional set size, `Pss:` in /proc/<pid>/smaps_rollup) counts a page shared by N
processes as 1/N in each, so the sum over the process tree is what the set costs the machine:
RSS would count the preloaded application once per gunicorn worker.
"""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .load import LOOPBACK, BenchmarkError, drive
from .server import free_port

# DESIGN.md's budgets for the small profile on the large data.
IDLE_BUDGET_MIB = 300
LOADED_BUDGET_MIB = 350


def pss_kib(pid: int, proc: Path = Path("/proc")) -> int:
    """One process's proportional set size in KiB (0 when it has gone)."""
    try:
        text = (proc / str(pid) / "smaps_rollup").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            number, unit = line.split()[1:3]
            if unit != "kB":
                raise BenchmarkError(f"Unexpected Pss unit {unit!r}.")
            return int(number)
    raise BenchmarkError(f"No Pss line for process {pid}.")


def process_tree(root: int, proc: Path = Path("/proc")) -> list[int]:
    """root and all its descendants (recycled workers included, whenever they are read)."""
    pids, pending = [], [root]
    while pending:
        pid = pending.pop()
        pids.append(pid)
        try:
            for task in (proc / str(pid) / "task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return pids


def tree_pss_mib(root: int, proc: Path = Path("/proc")) -> float:
    return sum(pss_kib(pid, proc) for pid in process_tree(root, proc)) / 1024


def _wait_for_web(port: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            connection.request("GET", "/robots.txt", headers={"Host": LOOPBACK})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise BenchmarkError(f"config.serve did not answer on port {port} within {timeout:g} s.")


def measure_stack_memory(
    env: dict[str, str], pages: list[tuple[str, dict[str, str] | None]], *,
    profile: str = "small", requests: int = 2_000, settle_seconds: float = 5.0, log: Path,
) -> dict:  # fmt: skip
    """Start the profile's whole set, read its PSS idle, drive `requests` GETs over `pages`
    (path, headers) in turn, read it again; stop the set. Returns the numbers and whether the
    budgets hold."""
    port = free_port()
    env = {**env, "ASSEMBLEE_PROFILE": profile, "HOST": LOOPBACK, "PORT": str(port)}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.serve"], env=env, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for_web(port)
        time.sleep(settle_seconds)  # the task worker and beat finish starting
        idle = tree_pss_mib(process.pid)
        per_path = max(1, requests // max(1, len(pages)))
        for path, headers in pages:
            drive(port, path, requests=per_path, connections=4, headers=headers)
        loaded = tree_pss_mib(process.pid)
        processes = len(process_tree(process.pid))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    within = profile != "small" or (idle <= IDLE_BUDGET_MIB and loaded <= LOADED_BUDGET_MIB)
    return {
        "profile": profile,
        "processes": processes,
        "requests": per_path * len(pages),
        "pss_mib_idle": round(idle, 1),
        "pss_mib_after_load": round(loaded, 1),
        "budget_mib": {"idle": IDLE_BUDGET_MIB, "after_load": LOADED_BUDGET_MIB},
        "within_budget": within,
    }
