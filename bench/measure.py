"""The measuring half of `make bench`, run by bench/run.py in the benchmark's environment.

It migrates, seeds the large demo data once (a second run reuses it), counts each key page's SQL
queries, drives a bounded load at gunicorn on 127.0.0.1, times the membership recompute, prints
the table and writes it to var/bench.json.
"""

import json
import os
import statistics
import sys
import time

import django

# Django is configured first (the environment comes from bench/run.py): the imports below need it.
django.setup()

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import color_style
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assembly.models import User
from charter.models import DEFAULT_SLUG, CharterVersion
from commons_registry.models import Commons
from decisions.models import Decision
from workshops import membership
from workshops.models import Meeting

from . import load as benchmark
from .announcement import BUDGET_SECONDS as ANNOUNCEMENT_BUDGET_SECONDS
from .announcement import measure_announcement_send
from .load import LOOPBACK, BenchmarkError, Page, Row, wanted
from .run import BASE_DIR, CHILD_FLAG, parse
from .server import Server

SIGNED_IN_EMAIL = "member@example.org"
# The large demo data is there when these volumes are (DESIGN.md, "Budgets").
LARGE_VOLUMES = {
    "commons_registry.Commons": 1_000,
    "workshops.Attendance": 100_000,
    "decisions.Vote": 25_000,
    "charter.CharterVersion": 50,
}
TRIVIAL = Page("trivial (robots.txt)", "/robots.txt")
STYLE = color_style()


def say(text: str) -> None:
    print(text, flush=True)


def key_pages() -> list[Page]:
    """The pages the budgets are about, with real ids from the seeded data (the heaviest ones)."""
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
        raise BenchmarkError(
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
        # Words in every workshop's and meeting's notes: ranking sorts thousands of matches.
        Page("search", "/search/?q=inventaire+partag%C3%A9"),
        Page("calendar feed", "/calendar.ics"),
        Page("network", "/network/"),
        Page("network map data (GeoJSON)", "/network/export.geojson"),
        Page("me (signed in)", "/me/", signed_in=True),
    ]


def measure(*, requests, connections, workers, max_queries, max_ratio, strict, only, **_):
    database = settings.DATABASES["default"]
    say(f"Database {database['NAME']} on {database['HOST'] or 'localhost'}.")
    # Other work on the machine moves absolute numbers; say how busy it was.
    machine = {"cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
    say(f"Machine: {machine['cpus']} CPUs, load average {machine['load_average']} at start.")
    call_command("migrate", interactive=False, verbosity=0)
    seed_seconds = seed_if_needed()
    vacuum_analyze()
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    say(f"Static files collected in {time.perf_counter() - started:.1f} s.")

    pages = [TRIVIAL, *(page for page in key_pages() if wanted(page.name, only, page.path))]
    member_client = signed_in_client()
    rows = {page: Row(page.name, page.path) for page in pages}
    for page in pages:
        rows[page].queries = count_queries(page, member_client)

    session_cookie = member_client.cookies[settings.SESSION_COOKIE_NAME].value
    signed_in = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie}"}
    log = BASE_DIR / "var" / "bench-gunicorn.log"
    say(
        f"Load: {requests} requests per page over {connections} connections, "
        f"gunicorn with {workers} sync workers on {LOOPBACK}…"
    )
    trivial_loads = []
    with Server(dict(os.environ), workers=workers, log=log) as server:

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
            say(
                f"  {page.path}: {measured.requests_per_second:.0f} req/s, "
                f"p95 {measured.p95_ms:.1f} ms (trivial just before: "
                f"{trivial.requests_per_second:.0f} req/s)"
            )
        if not trivial_loads:  # `--only` chose no page: the trivial one still gives the scale
            trivial_loads.append(load(TRIVIAL))
    trivial = benchmark.combine(trivial_loads)
    rows[TRIVIAL].requests_per_second = trivial.requests_per_second
    rows[TRIVIAL].p95_ms = trivial.p95_ms
    rows[TRIVIAL].ratio = 1.0

    member_client.logout()  # the benchmark's session row goes with it
    recompute_seconds = time_recompute() if wanted("recompute", only) else []
    recompute_median = statistics.median(recompute_seconds) if recompute_seconds else 0.0
    announcement = measure_announcement() if wanted("announcement", only) else None

    table = list(rows.values())
    over = benchmark.flag_rows(table, max_queries=max_queries, max_ratio=max_ratio)
    say("")
    say(benchmark.format_table(table))
    say("")
    recompute_ok = recompute_median < benchmark.RECOMPUTE_BUDGET_SECONDS
    attendance = count("workshops.Attendance")
    if recompute_seconds:
        say(
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
    output = BASE_DIR / "var" / "bench.json"
    output.parent.mkdir(exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    say(f"Written to {output}.")
    costly = [row for row in table if row.flags and row not in over]
    if costly:
        names = ", ".join(row.path for row in costly)
        say(STYLE.WARNING(f"Costing more than {max_ratio:g} trivial requests: {names}"))
    if over or not recompute_ok:
        message = f"{len(over)} page(s) over the query budget" + (
            "" if recompute_ok else "; membership recompute over budget"
        )
        if strict:
            raise BenchmarkError(message)
        say(STYLE.WARNING(message))
    else:
        say(STYLE.SUCCESS("Query and recompute budgets met."))


def measure_announcement() -> dict:
    """The announcement to 1,000 people through a real local SMTP server (issue 11)."""
    result = measure_announcement_send(1000)
    exactly_once = result["received"] == result["distinct_received"] == result["recipients"]
    once = "once each" if exactly_once else f"in {result['received']:,} messages: NOT ONCE EACH"
    say(
        f"Announcement to {result['recipients']:,} recipients over SMTP: "
        f"{result['seconds']:.1f} s, {result['distinct_received']:,} received {once} "
        f"(budget {ANNOUNCEMENT_BUDGET_SECONDS} s) "
        f"{'ok' if result['within_budget'] else 'OVER BUDGET'}"
    )
    return result


def count(label: str) -> int:
    return apps.get_model(label).objects.count()


def seed_if_needed() -> float | None:
    missing = {label: minimum for label, minimum in LARGE_VOLUMES.items() if count(label) < minimum}
    if not missing:
        say("Large demo data already there: reusing it.")
        return None
    say("Seeding the large demo data…")
    started = time.perf_counter()
    call_command("seed_demo", scale="large", force=True, stdout=sys.stdout)
    seconds = time.perf_counter() - started
    say(f"Seeded in {seconds:.1f} s.")
    return round(seconds, 1)


def vacuum_analyze() -> None:
    """Fresh planner statistics and visibility maps, as autovacuum keeps them in production.

    Without them, right after the bulk seeding (or wherever autovacuum is off) PostgreSQL plans
    with empty statistics and the recompute takes several times longer than it will for real.
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s.")


def signed_in_client() -> Client:
    member = User.objects.filter(email=SIGNED_IN_EMAIL).first()
    if member is None:
        raise BenchmarkError(f"{SIGNED_IN_EMAIL} is missing from the demo data.")
    client = Client(HTTP_HOST=LOOPBACK)
    client.force_login(member)
    return client


def count_queries(page: Page, member_client: Client) -> int:
    """Queries of one request once caches are warm (a first request fills them)."""
    client = member_client if page.signed_in else Client(HTTP_HOST=LOOPBACK)
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    if response.status_code != 200:
        raise BenchmarkError(f"{page.path} answered {response.status_code}, not 200.")
    return len(queries)


def time_recompute(runs: int = 3) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        membership.recompute(notify=False)
        seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if os.environ.get(CHILD_FLAG) != "1":
        # Run directly, it would seed the large data into whatever database .env names.
        print("Run the benchmark with `python -m bench` (or `make bench`).", file=sys.stderr)
        return 2
    try:
        measure(**vars(options))
    except BenchmarkError as error:
        print(STYLE.ERROR(f"Error: {error}"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
