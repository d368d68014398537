"""wrk as the load driver of `make bench` when it is installed (Debian package `wrk`).

A Python driver on a 2-core machine competes with gunicorn for the CPU, so the figure it gives
says as much about the driver as about the page. wrk is written in C, uses one thread per core and
costs little. Its own summary has no 95th percentile, so a small Lua script prints one line with
what the table needs, which parse_report() reads; answers other than 2xx/3xx count as failures.
"""

import dataclasses
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .load import CLIENT_HEADERS, LOOPBACK, BenchmarkError

# `done` runs once after the load, with wrk's own counters; latencies are in microseconds.
REPORT_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "assemblee-bench requests=%d duration_us=%d p95_us=%d non_2xx_3xx=%d socket_errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(95), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""
REPORT_LINE = re.compile(
    r"^assemblee-bench requests=(?P<requests>\d+) duration_us=(?P<duration>\d+) "
    r"p95_us=(?P<p95>\d+) non_2xx_3xx=(?P<status>\d+) socket_errors=(?P<socket>\d+)$",
    re.MULTILINE,
)


@dataclasses.dataclass(frozen=True)
class WrkReport:
    """What wrk measured on one page."""

    requests: int
    seconds: float
    p95_ms: float
    failed: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def available() -> str | None:
    """The path of wrk when it is on PATH."""
    return shutil.which("wrk")


def parse_report(output: str) -> WrkReport:
    """The line the Lua script printed, out of wrk's whole output."""
    match = REPORT_LINE.search(output)
    if match is None:
        raise BenchmarkError(f"wrk printed no report line:\n{output[-500:]}")
    return WrkReport(
        requests=int(match["requests"]),
        seconds=int(match["duration"]) / 1_000_000,
        p95_ms=int(match["p95"]) / 1000,
        failed=int(match["status"]) + int(match["socket"]),
    )


def command(
    executable: str,
    port: int,
    path: str,
    *,
    seconds: float,
    connections: int,
    script: Path,
    headers: dict[str, str] | None = None,
) -> list[str]:
    threads = min(2, connections)
    header_options = [
        option
        for name, value in {**CLIENT_HEADERS, **(headers or {})}.items()
        for option in ("-H", f"{name}: {value}")
    ]
    return [
        executable,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=60s",
        f"--script={script}",
        *header_options,
        f"http://{LOOPBACK}:{port}{path}",
    ]


def drive(
    port: int,
    path: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    executable: str = "wrk",
    warmup: bool = False,
) -> WrkReport:
    """Load path for `seconds` over `connections` connections; refuses any failed answer, and
    a run that completed no request unless it is a warm-up (cold workers may not answer in time).
    """
    with tempfile.TemporaryDirectory(prefix="assemblee-wrk-") as folder:
        script = Path(folder) / "report.lua"
        script.write_text(REPORT_SCRIPT, encoding="utf-8")
        argv = command(
            executable,
            port,
            path,
            seconds=seconds,
            connections=connections,
            script=script,
            headers=headers,
        )
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchmarkError(f"wrk failed on {path}: {result.stderr.strip() or result.stdout}")
    report = parse_report(result.stdout)
    if report.failed:
        raise BenchmarkError(f"{path}: {report.failed} of {report.requests} answers failed (wrk).")
    if report.requests == 0 and not warmup:
        raise BenchmarkError(f"{path}: wrk completed no request.")
    return report
