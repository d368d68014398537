"""`make bench` (`python -m bench`): the budgets of DESIGN.md measured on the large demo data,
under gunicorn and PostgreSQL.

This parent process prepares the benchmark's own PostgreSQL database and a production-like
environment (DEBUG off, the database BENCH_DATABASE_URL, Redis BENCH_REDIS_URL, a throwaway
SECRET_KEY, static files collected into a temporary folder), then runs bench/measure.py in it, so
that the in-process query counts and the gunicorn server see the same settings.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .load import QUERY_BUDGET, BenchmarkError
from .server import ensure_database, server_environment

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/assemblee_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
# Set in the environment that run.py prepares: bench/measure.py refuses to run without it.
CHILD_FLAG = "ASSEMBLEE_BENCH_CHILD"


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the key pages on the large demo data with gunicorn and PostgreSQL.",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=300,
        help="Measured requests per page with the Python driver (300).",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=10.0,
        help="Measured seconds per page with wrk (10).",
    )
    parser.add_argument(
        "--driver",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="Load driver: wrk when on PATH, else the Python one (auto).",
    )
    parser.add_argument("--connections", type=int, default=4, help="Concurrent connections (4).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2).")
    parser.add_argument(
        "--server-profile",
        choices=["small", "standard"],
        help=(
            "Load the pages on gunicorn run as in this profile (config/gunicorn.py: its workers, "
            "preloaded, recycled) instead of the benchmark's own (--workers sync workers)."
        ),
    )
    parser.add_argument("--max-queries", type=int, default=QUERY_BUDGET, help="Query budget (12).")
    parser.add_argument(
        "--max-ratio",
        type=float,
        default=50.0,
        help=(
            "Warn about a page without its own cost budget costing more than this many trivial "
            "requests (50); key pages have theirs: 3 anonymous, 10 signed in."
        ),
    )
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=10_000,
        help=(
            "Requests for the worker memory check, gunicorn run as in the small profile: the PSS "
            "of its process tree after all of them within 10%% of that after a tenth (10000)."
        ),
    )
    parser.add_argument(
        "--stack-profile",
        choices=["small", "standard"],
        default="small",
        help=(
            "The profile whose process set 'stack' and 'stack-full' start (small; the memory "
            "budgets are the small profile's)."
        ),
    )
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help=(
            "Instead of the load: profile the key pages whose name or path contains PAGE "
            "in-process with cProfile, print the top and write var/profiles/."
        ),
    )
    parser.add_argument(
        "--profile-first-view",
        action="store_true",
        help=(
            "With --profile: profile each page's first view after a write (the content version "
            "moved on and nothing kept before each request)."
        ),
    )
    parser.add_argument(
        "--profile-requests",
        type=int,
        default=30,
        help="Requests profiled per page (30).",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=(
            "Measure only the pages whose name or path contains NAME, or 'recompute', "
            "'announcement', 'archive', 'import', 'memory', 'stack' (the small profile's PSS, and "
            "the whole stack's), 'stack-full' (only the whole stack: PostgreSQL and Redis of its "
            "own in compose's settings), 'forms' (the form pages' size and time), 'search alone' "
            "or 'live' (ticks at the door while members load the board and /me/) (repeatable; "
            "default: everything)."
        ),
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help=(
            "Exit non-zero when a page exceeds the query budget or its cost budget, gunicorn's "
            "memory grows more than 10%%, the small profile exceeds its memory budgets, the "
            "recompute takes 2 s, or a form page is over 40 KB or 20 ms."
        ),
    )
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments()
    options = parser.parse_args(argv)
    if options.requests < 1 or options.connections < 1 or options.workers < 1:
        parser.error("--requests, --connections and --workers must be at least 1.")
    if options.profile_first_view and not options.profile:
        parser.error("--profile-first-view goes with --profile PAGE.")
    if options.seconds < 1 or options.profile_requests < 1 or options.memory_requests < 10:
        parser.error(
            "--seconds and --profile-requests must be at least 1, --memory-requests at least 10."
        )
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        if ensure_database(database_url):
            print("Created the benchmark database.", flush=True)
    except BenchmarkError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="assemblee-bench-static-") as static_root:
        env = server_environment(
            dict(os.environ),
            database_url=database_url,
            redis_url=redis_url,
            static_root=static_root,
        )
        env[CHILD_FLAG] = "1"
        command = [
            sys.executable,
            "-m",
            "bench.measure",
            f"--requests={options.requests}",
            f"--seconds={options.seconds}",
            f"--driver={options.driver}",
            f"--memory-requests={options.memory_requests}",
            f"--profile-requests={options.profile_requests}",
            f"--stack-profile={options.stack_profile}",
            *([f"--profile={options.profile}"] if options.profile else []),
            *(["--profile-first-view"] if options.profile_first_view else []),
            f"--connections={options.connections}",
            f"--workers={options.workers}",
            *([f"--server-profile={options.server_profile}"] if options.server_profile else []),
            f"--max-queries={options.max_queries}",
            f"--max-ratio={options.max_ratio}",
            *(["--strict"] if options.strict else []),
            *(f"--only={name}" for name in options.only),
        ]
        return subprocess.run(command, env=env, cwd=BASE_DIR, check=False).returncode
