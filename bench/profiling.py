"""`make bench --profile PAGE`: where one page's time goes, on the large demo data.

The page is requested in-process through Django's test client (the whole middleware stack, the
benchmark's database and cache), first without the profiler for an honest time per request, then
under cProfile; the top of the profile is printed and written beside a .prof file that
`python -m pstats` or snakeviz can open.
"""

import cProfile
import dataclasses
import io
import pstats
import re
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.test import Client

from .load import BenchmarkError

TOP = 35


@dataclasses.dataclass
class Profile:
    path: str
    requests: int
    milliseconds_per_request: float
    cpu_milliseconds_per_request: float
    calls_per_request: int
    queries_per_request: int
    text: str


def slug(path: str) -> str:
    """A file name for a path: "/meetings/12/" gives "meetings-12"."""
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


def profile_page(
    client: Client,
    path: str,
    *,
    requests: int,
    folder: Path,
    signed_in: bool = False,
    before_each: Callable[[], None] | None = None,
) -> Profile:
    """`before_each`, when given, runs before every request and outside the measured time (the
    first view after a write: it forgets what was kept)."""
    profiler = cProfile.Profile()
    profiling = False
    cpu_spent = wall_spent = 0.0

    def get():
        nonlocal cpu_spent, wall_spent
        if before_each is not None:
            before_each()
        if profiling:
            profiler.enable()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall_spent += time.perf_counter() - started
        cpu_spent += time.process_time() - cpu_started
        if profiling:
            profiler.disable()
        if response.status_code != 200:
            raise BenchmarkError(f"{path} answered {response.status_code}, not 200.")

    get()  # caches, compiled templates and the connection warm, as in a long-lived worker
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    # Wall time moves with whatever else the machine runs; this process's CPU time much less.
    cpu_spent = wall_spent = 0.0
    for _ in range(requests):
        get()
    milliseconds = wall_spent * 1000 / requests
    cpu_milliseconds = cpu_spent * 1000 / requests

    profiling = True
    for _ in range(requests):
        get()

    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    calls = round(stats.total_calls / requests)
    stream.write(
        f"{path}: {requests} requests, each {milliseconds:.1f} ms wall and {cpu_milliseconds:.1f} ms "
        f"CPU without the profiler, {calls:,} Python function calls, {len(queries)} queries\n"
    )
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(TOP)
    stats.sort_stats(pstats.SortKey.TIME).print_stats(TOP)
    folder.mkdir(parents=True, exist_ok=True)
    name = (
        f"profile-{slug(path)}{'-signed-in' if signed_in else ''}"
        f"{'-first-view' if before_each is not None else ''}"
    )
    profiler.dump_stats(folder / f"{name}.prof")
    text = stream.getvalue()
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return Profile(path, requests, milliseconds, cpu_milliseconds, calls, len(queries), text)
