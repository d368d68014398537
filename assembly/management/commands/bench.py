"""`make bench`: the budgets of DESIGN.md measured on the large demo data, gunicorn and PostgreSQL.

The command runs itself again in a child process whose environment is production-like (DEBUG off,
its own database BENCH_DATABASE_URL, Redis, a throwaway SECRET_KEY, static files collected into a
temporary folder), so that the in-process query counts and the gunicorn server see the same
settings. The child migrates, seeds the large demo data once (a second run reuses it), counts each
key page's SQL queries, drives a bounded load at gunicorn on 127.0.0.1, times the membership
recompute, prints the table and writes it to var/bench.json.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assembly import benchmark
from assembly.benchmark import LOOPBACK, BenchmarkError, Page, Row

DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/assemblee_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
SIGNED_IN_EMAIL = "member@example.org"
# The large demo data is there when these volumes are (DESIGN.md, "Budgets").
LARGE_VOLUMES = {
    "commons_registry.Commons": 1_000,
    "workshops.Attendance": 100_000,
    "decisions.Vote": 25_000,
    "charter.CharterVersion": 50,
}
TRIVIAL = Page("trivial (robots.txt)", "/robots.txt")


def key_pages() -> list[Page]:
    """The pages the budgets are about, with real ids from the seeded data (the heaviest ones)."""
    from charter.models import DEFAULT_SLUG, CharterVersion
    from commons_registry.models import Commons
    from decisions.models import Decision
    from workshops.models import Meeting

    commons = (
        Commons.objects.published()
        .annotate(links=Count("workshops", distinct=True) + Count("decisions", distinct=True))
        .order_by("-links", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.past()
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(workshop_total=Count("workshops"))
        .order_by("-workshop_total", "-starts_at")
        .first()
    )
    decision = (
        Decision.objects.filter(phase=Decision.Phase.CLOSED)
        .annotate(vote_total=Count("votes"))
        .order_by("-vote_total", "-pk")
        .first()
    )
    last_version = CharterVersion.objects.filter(charter__slug=DEFAULT_SLUG).aggregate(
        last=Max("number")
    )["last"]
    if commons is None or meeting is None or decision is None or not last_version:
        raise CommandError(
            "The demo data lacks a published commons, a past meeting, a closed decision or a "
            "charter version."
        )
    return [
        Page("home", "/"),
        Page("commons directory", "/commons/"),
        Page("commons map", "/commons/map/"),
        Page("map data (GeoJSON)", "/commons/export.geojson"),
        Page("commons entry", f"/commons/{commons.slug}/"),
        Page("meetings", "/meetings/"),
        Page("meeting board", f"/meetings/{meeting.pk}/"),
        Page("decisions", "/decisions/"),
        Page("closed decision", f"/decisions/{decision.pk}/"),
        Page("charter", "/charter/"),
        Page("charter diff", f"/charter/diff/1/{last_version}/"),
        Page("people", "/people/"),
        Page("calendar feed", "/calendar.ics"),
        Page("me (signed in)", "/me/", signed_in=True),
    ]


class Command(BaseCommand):
    help = "Benchmark the key pages on the large demo data with gunicorn and PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests", type=int, default=300, help="Measured requests per page (300)."
        )
        parser.add_argument(
            "--connections", type=int, default=4, help="Concurrent connections (4)."
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2).")
        parser.add_argument(
            "--max-queries", type=int, default=benchmark.QUERY_BUDGET, help="Query budget (12)."
        )
        parser.add_argument(
            "--max-ratio",
            type=float,
            default=50.0,
            help="Warn about a page costing more than this many trivial requests (50).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit non-zero when a page exceeds the query budget or the recompute takes 2 s.",
        )

    def handle(self, *args, **options):
        if options["requests"] < 1 or options["connections"] < 1 or options["workers"] < 1:
            raise CommandError("--requests, --connections and --workers must be at least 1.")
        if benchmark.child_environment():
            try:
                self.measure(**options)
            except BenchmarkError as error:
                raise CommandError(str(error)) from error
        else:
            self.run_child(options)

    # --- The parent: prepare the database and the environment, then run the child. ---------------
    def run_child(self, options):
        database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
        redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
        try:
            if benchmark.ensure_database(database_url):
                self.stdout.write("Created the benchmark database.")
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        with tempfile.TemporaryDirectory(prefix="assemblee-bench-static-") as static_root:
            env = benchmark.server_environment(
                dict(os.environ),
                database_url=database_url,
                redis_url=redis_url,
                static_root=static_root,
            )
            env["ASSEMBLEE_BENCH_CHILD"] = "1"
            command = [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "bench",
                f"--requests={options['requests']}",
                f"--connections={options['connections']}",
                f"--workers={options['workers']}",
                f"--max-queries={options['max_queries']}",
                f"--max-ratio={options['max_ratio']}",
                *(["--strict"] if options["strict"] else []),
            ]
            result = subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=False)
        if result.returncode:
            raise SystemExit(result.returncode)

    # --- The child: everything measured, in the benchmark's own environment. ----------------------
    def measure(self, *, requests, connections, workers, max_queries, max_ratio, strict, **_):
        database = settings.DATABASES["default"]
        self.stdout.write(f"Database {database['NAME']} on {database['HOST'] or 'localhost'}.")
        # Other work on the machine moves absolute numbers; say how busy it was.
        machine = {"cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
        self.stdout.write(
            f"Machine: {machine['cpus']} CPUs, load average {machine['load_average']} at start."
        )
        call_command("migrate", interactive=False, verbosity=0)
        seed_seconds = self.seed_if_needed()
        self.vacuum_analyze()
        started = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Static files collected in {time.perf_counter() - started:.1f} s.")

        pages = [TRIVIAL, *key_pages()]
        member_client = self.signed_in_client()
        rows = {page: Row(page.name, page.path) for page in pages}
        for page in pages:
            rows[page].queries = self.count_queries(page, member_client)

        session_cookie = member_client.cookies[settings.SESSION_COOKIE_NAME].value
        signed_in = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie}"}
        log = settings.BASE_DIR / "var" / "bench-gunicorn.log"
        self.stdout.write(
            f"Load: {requests} requests per page over {connections} connections, "
            f"gunicorn with {workers} sync workers on {LOOPBACK}…"
        )
        trivial_loads = []
        with benchmark.Server(dict(os.environ), workers=workers, log=log) as server:

            def load(page: Page) -> benchmark.Load:
                return benchmark.drive(
                    server.port,
                    page.path,
                    requests=requests,
                    connections=connections,
                    headers=signed_in if page.signed_in else None,
                    warmup=2 * workers * connections,
                )

            for page in pages[1:]:
                # The trivial page just before each page: on a shared machine the load drifts
                # during a run, and a ratio is only fair between neighbouring measurements.
                trivial = load(TRIVIAL)
                measured = load(page)
                trivial_loads.append(trivial)
                row = rows[page]
                row.requests_per_second = measured.requests_per_second
                row.p95_ms = measured.p95_ms
                row.ratio = benchmark.cost_ratio(
                    trivial.requests_per_second, measured.requests_per_second
                )
                self.stdout.write(
                    f"  {page.path}: {measured.requests_per_second:.0f} req/s, "
                    f"p95 {measured.p95_ms:.1f} ms (trivial just before: "
                    f"{trivial.requests_per_second:.0f} req/s)"
                )
        trivial = benchmark.combine(trivial_loads)
        rows[TRIVIAL].requests_per_second = trivial.requests_per_second
        rows[TRIVIAL].p95_ms = trivial.p95_ms
        rows[TRIVIAL].ratio = 1.0

        member_client.logout()  # the benchmark's session row goes with it
        recompute_seconds = self.time_recompute()
        recompute_median = statistics.median(recompute_seconds)

        announcement = self.measure_announcement()

        table = list(rows.values())
        over = benchmark.flag_rows(table, max_queries=max_queries, max_ratio=max_ratio)
        self.stdout.write("")
        self.stdout.write(benchmark.format_table(table))
        self.stdout.write("")
        recompute_ok = recompute_median < benchmark.RECOMPUTE_BUDGET_SECONDS
        attendance = self.count("workshops.Attendance")
        self.stdout.write(
            f"Membership recompute over {attendance:,} attendance records: "
            f"{recompute_median:.2f} s (median of {len(recompute_seconds)}; budget "
            f"{benchmark.RECOMPUTE_BUDGET_SECONDS:g} s) {'ok' if recompute_ok else 'OVER BUDGET'}"
        )
        report = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": database["NAME"],
            "requests_per_page": requests,
            "connections": connections,
            "gunicorn_workers": workers,
            "machine": machine,
            "seed_seconds": seed_seconds,
            "budgets": {
                "queries": max_queries,
                "ratio": max_ratio,
                "recompute_seconds": benchmark.RECOMPUTE_BUDGET_SECONDS,
            },
            "pages": [
                {
                    "page": row.name,
                    "path": row.path,
                    "queries": row.queries,
                    "requests_per_second": round(row.requests_per_second, 1),
                    "p95_ms": round(row.p95_ms, 1),
                    "ratio_to_trivial": round(row.ratio, 2),
                    "over_budget": row.flags,
                }
                for row in table
            ],
            "announcement": announcement,
            "recompute": {
                "attendance_records": attendance,
                "seconds": [round(s, 3) for s in recompute_seconds],
                "median_seconds": round(recompute_median, 3),
                "within_budget": recompute_ok,
            },
        }
        output = settings.BASE_DIR / "var" / "bench.json"
        output.parent.mkdir(exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Written to {output}.")
        costly = [row for row in table if row.flags and row not in over]
        if costly:
            names = ", ".join(row.path for row in costly)
            self.stdout.write(
                self.style.WARNING(f"Costing more than {max_ratio:g} trivial requests: {names}")
            )
        if over or not recompute_ok:
            message = f"{len(over)} page(s) over the query budget" + (
                "" if recompute_ok else "; membership recompute over budget"
            )
            if strict:
                raise CommandError(message)
            self.stdout.write(self.style.WARNING(message))
        else:
            self.stdout.write(self.style.SUCCESS("Query and recompute budgets met."))

    def measure_announcement(self) -> dict:
        """The announcement to 1,000 people through a real local SMTP server (issue 11)."""
        from assembly.benchmark_announcement import BUDGET_SECONDS, measure_announcement_send

        result = measure_announcement_send(1000)
        self.stdout.write(
            f"Announcement to {result['recipients']:,} recipients over SMTP: "
            f"{result['seconds']:.1f} s, {result['distinct_received']:,} received once "
            f"(budget {BUDGET_SECONDS} s) {'ok' if result['within_budget'] else 'OVER BUDGET'}"
        )
        return result

    @staticmethod
    def count(label: str) -> int:
        from django.apps import apps

        return apps.get_model(label).objects.count()

    def seed_if_needed(self) -> float | None:
        missing = {
            label: minimum
            for label, minimum in LARGE_VOLUMES.items()
            if self.count(label) < minimum
        }
        if not missing:
            self.stdout.write("Large demo data already there: reusing it.")
            return None
        self.stdout.write("Seeding the large demo data…")
        started = time.perf_counter()
        call_command("seed_demo", scale="large", force=True, stdout=self.stdout)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Seeded in {seconds:.1f} s.")
        return round(seconds, 1)

    def vacuum_analyze(self) -> None:
        """Fresh planner statistics and visibility maps, as autovacuum keeps them in production.

        Without them, right after the bulk seeding (or wherever autovacuum is off) PostgreSQL plans
        with empty statistics and the recompute takes several times longer than it will for real.
        """
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s.")

    @staticmethod
    def signed_in_client() -> Client:
        from assembly.models import User

        member = User.objects.filter(email=SIGNED_IN_EMAIL).first()
        if member is None:
            raise CommandError(f"{SIGNED_IN_EMAIL} is missing from the demo data.")
        client = Client(HTTP_HOST=LOOPBACK)
        client.force_login(member)
        return client

    @staticmethod
    def count_queries(page: Page, member_client: Client) -> int:
        """Queries of one request once caches are warm (a first request fills them)."""
        client = member_client if page.signed_in else Client(HTTP_HOST=LOOPBACK)
        client.get(page.path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        if response.status_code != 200:
            raise BenchmarkError(f"{page.path} answered {response.status_code}, not 200.")
        return len(queries)

    @staticmethod
    def time_recompute(runs: int = 3) -> list[float]:
        from workshops import membership

        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            membership.recompute(notify=False)
            seconds.append(time.perf_counter() - started)
        return seconds
