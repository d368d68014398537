"""The load driver of `make bench` (DESIGN.md, "Budgets") and its arithmetic: percentiles, cost
ratios, budgets and the table.

The load is bounded and only ever aimed at the loopback address: a fixed number of requests per
page over a few persistent HTTP connections (gunicorn's sync workers close each connection after
its response; http.client then reconnects by itself, as a browser would).
"""

import dataclasses
import http.client
import math
import threading
import time
from collections.abc import Sequence

# Never anything else: the benchmark must not be usable to load someone else's server.
LOOPBACK = "127.0.0.1"
QUERY_BUDGET = 12
RECOMPUTE_BUDGET_SECONDS = 2.0
# Issue 13: what a page may cost, in requests for /robots.txt measured just before it.
ANONYMOUS_BUDGET = 3.0
SIGNED_IN_BUDGET = 10.0
# Issue 24: gunicorn's memory after 10,000 requests stays within this of its memory after 1,000,
# summed (PSS) over its whole process tree, so that a recycled worker's successor counts.
MEMORY_GROWTH_BUDGET = 0.10
# Issue 12: a search over the large data answers within this, at the 95th percentile, when it is
# the only request the server is answering (under the concurrent load, requests queue).
SEARCH_P95_BUDGET_MS = 50.0
# Issue 24: the first view of a key signed-in page after a write (nothing kept from before), in
# milliseconds of this process's CPU, in-process, on a quiet machine of the reference kind.
FIRST_VIEW_BUDGET_MS = 6.0
# Sent with every request, by both drivers, as browsers and map clients send it: the page cache
# answers feeds and exports gzip-compressed to such clients (assembly/page_cache.py).
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}


class BenchmarkError(Exception):
    """The benchmark could not measure what it was asked to (a page not answering 200, …)."""


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool = False

    @property
    def budget(self) -> float:
        """Its cost budget in trivial requests: a signed-in page is rendered for its person at every
        request (never a whole page from a cache), so it may cost more."""
        return SIGNED_IN_BUDGET if self.signed_in else ANONYMOUS_BUDGET


@dataclasses.dataclass
class Load:
    """What a bounded load on one page measured."""

    requests: int
    seconds: float
    latencies: list[float]
    # Set when a driver gives only its percentile, not each latency (wrk).
    summary_p95_ms: float | None = None

    @classmethod
    def from_summary(cls, requests: int, seconds: float, *, p95_ms: float) -> "Load":
        return cls(requests=requests, seconds=seconds, latencies=[], summary_p95_ms=p95_ms)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def p95_ms(self) -> float:
        if self.summary_p95_ms is not None:
            return self.summary_p95_ms
        return percentile(self.latencies, 95) * 1000


@dataclasses.dataclass
class Row:
    """One line of the table: a page's query count and its cost under load."""

    name: str
    path: str
    queries: int | None = None
    requests_per_second: float | None = None
    p95_ms: float | None = None
    ratio: float | None = None
    flags: list[str] = dataclasses.field(default_factory=list)
    budget: float | None = None


def wanted(name: str, only: list[str], path: str = "") -> bool:
    """`--only` keeps the measurements whose name (or path) contains one of its words."""
    return not only or any(word in name or (path and word in path) for word in only)


def combine(loads: Sequence[Load]) -> Load:
    """Several loads of the same page as one: all their requests over all their time.

    Loads that only know their p95 (wrk) combine to the worst of them, an upper bound.
    """
    summaries = [load.summary_p95_ms for load in loads if load.summary_p95_ms is not None]
    return Load(
        requests=sum(load.requests for load in loads),
        seconds=sum(load.seconds for load in loads),
        latencies=[latency for load in loads for latency in load.latencies],
        summary_p95_ms=max(summaries) if summaries else None,
    )


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct % of the values at or below."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def cost_ratio(trivial_rps: float, page_rps: float) -> float:
    """How many trivial requests the server answers in the time of one request for the page."""
    return trivial_rps / page_rps if page_rps > 0 else math.inf


def flag_rows(rows: list[Row], *, max_queries: int, max_ratio: float) -> list[Row]:
    """Mark the rows over the query budget or costing more than their budget in trivial requests
    (the row's own budget, else max_ratio).

    Returns the rows over the query budget only: that budget is DESIGN.md's and holds on any
    machine; over_cost_budget() gives the others.
    """
    over = []
    for row in rows:
        if row.queries is not None and row.queries > max_queries:
            row.flags.append(f"{row.queries} queries > {max_queries}")
            over.append(row)
        limit = row.budget if row.budget is not None else max_ratio
        if row.ratio is not None and row.ratio > limit:
            row.flags.append(
                f"cost {row.ratio:.1f}x > {limit:g}x (+{excess(row.ratio, limit):.0%})"
            )
    return over


def excess(value: float, budget: float) -> float:
    """By how much value is over budget, as a fraction of the budget (0.25 for 25 % over)."""
    return max(0.0, value / budget - 1) if budget > 0 else math.inf


def over_cost_budget(rows: list[Row]) -> list[Row]:
    """The rows that have a cost budget and cost more than it."""
    return [
        row
        for row in rows
        if row.budget is not None and row.ratio is not None and row.ratio > row.budget
    ]


def memory_growth(early: float, late: float) -> float:
    """The growth between two readings of the same processes' memory (0.1 for +10 %)."""
    return late / early - 1 if early > 0 else math.inf


def format_table(rows: list[Row]) -> str:
    headers = ("page", "path", "queries", "req/s", "p95 ms", "x trivial", "budget", "")

    def cell(value, fmt):
        return "-" if value is None else format(value, fmt)

    lines = [
        (
            row.name,
            row.path,
            cell(row.queries, "d"),
            cell(row.requests_per_second, ".0f"),
            cell(row.p95_ms, ".1f"),
            cell(row.ratio, ".1f"),
            cell(row.budget, "g"),
            "  ".join(row.flags),
        )
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [headers, *lines]) for i in range(len(headers))]
    left = {0, 1, 7}

    def render(line):
        cells = [
            str(value).ljust(width) if i in left else str(value).rjust(width)
            for i, (value, width) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths[:-1])
    return "\n".join([render(headers), rule, *(render(line) for line in lines)])


def drive(
    port: int,
    path: str,
    *,
    requests: int,
    connections: int,
    headers: dict[str, str] | None = None,
    warmup: int = 0,
) -> Load:
    """GET path `requests` times over `connections` threads, each with its own connection.

    Raises BenchmarkError on the first answer other than 200 (after the load has stopped).
    """
    headers = {"Host": LOOPBACK, **CLIENT_HEADERS, **(headers or {})}
    lock = threading.Lock()
    remaining = [warmup, requests]
    latencies: list[float] = []
    failures: list[str] = []

    def take() -> str | None:
        with lock:
            if failures:
                return None
            if remaining[0] > 0:
                remaining[0] -= 1
                return "warmup"
            if remaining[1] > 0:
                remaining[1] -= 1
                return "measured"
            return None

    def worker():
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        try:
            while (kind := take()) is not None:
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    with lock:
                        failures.append(f"{path}: {error!r}")
                    return
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    with lock:
                        failures.append(f"{path}: HTTP {response.status} {body[:200]!r}")
                    return
                if kind == "measured":
                    with lock:
                        latencies.append(elapsed)
        finally:
            connection.close()

    def run_threads():
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    if warmup:
        # Warm-up requests are taken first; measure only once they are all answered.
        saved, remaining[1] = remaining[1], 0
        run_threads()
        remaining[1] = saved
    started = time.perf_counter()
    run_threads()
    seconds = time.perf_counter() - started
    if failures:
        raise BenchmarkError(failures[0])
    return Load(requests=len(latencies), seconds=seconds, latencies=latencies)
