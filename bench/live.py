"""`--only live`: a live assembly. A facilitator's phone ticks people present at the door, 2 and
then 10 ticks a second posted to the running gunicorn as the phone's queue posts them (JSON, one
id per tick), each tick's membership recompute run by a Celery worker as in production, while a
member loads the board of that meeting, /me/ and a decision page, signed in. Each page's cost is
printed beside its quiet value (no ticks), in /robots.txt requests measured just before it under
the same ticks (so that the ratio is the page's own cost, not the share of the two CPUs that
the ticks and their recompute take; the requests a second say that share).

The ticked people are those not yet present at the meeting; afterwards their ticks are undone and
their membership and notices put back as they were, so that the large data stays the same for
the next run.
"""

import dataclasses
import http.client
import itertools
import math
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from assembly.models import FACILITATORS_GROUP, Delivery, User
from config.celery import app as celery_app
from decisions.models import Decision
from workshops.models import AppliedTick, Attendance, Meeting

from .load import LOOPBACK, BenchmarkError, Page
from .server import stop

TICK_RATES = (2, 10)
# Enough people for every tick of the run without ticking anyone twice.
PEOPLE = 2_000
STARTUP_SECONDS = 8


@dataclasses.dataclass
class LiveRow:
    """One page under the three conditions: quiet, then each tick rate."""

    name: str
    path: str
    # Per condition ("quiet", "2/s", "10/s"): req/s, cost in /robots.txt requests, ticks a second
    # actually recorded meanwhile.
    measured: dict[str, dict] = dataclasses.field(default_factory=dict)


def live_meeting() -> Meeting:
    """Tonight's assembly: the most recent meeting that has begun and was not cancelled (its
    board asks whether the member took part, and its ticks count for membership)."""
    meeting = (
        Meeting.objects.past()
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
        or Meeting.objects.exclude(status=Meeting.Status.CANCELLED).first()
    )
    if meeting is None:
        raise BenchmarkError("The demo data has no meeting to tick people present at.")
    return meeting


def live_pages(meeting: Meeting) -> list[Page]:
    decision = Decision.objects.filter(phase=Decision.Phase.VOTING).order_by("-pk").first()
    pages = [
        Page("live board (signed in)", f"/meetings/{meeting.pk}/", signed_in=True),
        Page("live me (signed in)", "/me/", signed_in=True),
    ]
    if decision is not None:
        pages.append(Page("live decision (signed in)", f"/decisions/{decision.pk}/", True))
    return pages


def facilitator_headers() -> tuple[dict[str, str], str, Client]:
    """The facilitator's session cookie and a CSRF secret of its own (sent as cookie and field)."""
    facilitator = User.objects.filter(groups__name=FACILITATORS_GROUP, is_active=True).first()
    if facilitator is None:
        raise BenchmarkError("The demo data has no facilitator to tick people present.")
    client = Client(HTTP_HOST=LOOPBACK)
    client.force_login(facilitator)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    token = _get_new_csrf_string()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
    headers = {
        "Host": LOOPBACK,
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        # The phone's queue (static/js/door.js): answered in JSON, no redirect.
        "Accept": "application/json",
    }
    return headers, token, client


class Ticker:
    """Posts `rate` ticks a second until stopped, from a few connections at once (one would wait
    for each answer, and under load an answer takes longer than 1/rate): as several phones at
    the door, or one phone emptying its queue. Counts the ticks recorded."""

    PER_CONNECTION = 4  # ticks a second one connection is asked for at most

    def __init__(self, port: int, meeting: Meeting, people, rate: float, headers, token):
        self.port = port
        self.path = f"/meetings/{meeting.pk}/attendance/tick/"
        self.people = people
        self.rate = rate
        self.headers = headers
        self.token = token
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.recorded = 0
        self.failures: list[str] = []
        self.client_ids: list[str] = []
        connections = max(1, math.ceil(rate / self.PER_CONNECTION))
        self.threads = [
            threading.Thread(target=self.run, args=(rate / connections, n / rate), daemon=True)
            for n in range(connections)
        ]
        self.started_at = self.stopped_at = 0.0

    def start(self) -> None:
        self.started_at = time.monotonic()
        for thread in self.threads:
            thread.start()

    def tick_body(self) -> str:
        client_id = str(uuid.uuid4())
        with self.lock:
            self.client_ids.append(client_id)
            person = next(self.people)
        return urlencode(
            {"person": person, "client_id": client_id, "csrfmiddlewaretoken": self.token}
        )

    def run(self, rate: float, offset: float) -> None:
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=60)
        due = self.started_at + offset
        try:
            while not self.stopping.wait(max(0.0, due - time.monotonic())):
                due += 1 / rate
                try:
                    connection.request(
                        "POST", self.path, body=self.tick_body(), headers=self.headers
                    )
                    response = connection.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    with self.lock:
                        self.failures.append(repr(error))
                    continue
                with self.lock:
                    if response.status == 200 and b'"recorded"' in answer:
                        self.recorded += 1
                    elif response.status != 200:
                        self.failures.append(f"HTTP {response.status} {answer[:200]!r}")
        finally:
            connection.close()

    def stop(self) -> float:
        """Stops and returns the ticks recorded a second."""
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        self.stopped_at = time.monotonic()
        if self.failures:
            raise BenchmarkError(f"a tick failed: {self.failures[0]}")
        seconds = self.stopped_at - self.started_at
        return self.recorded / seconds if seconds > 0 else 0.0


class TaskWorker:
    """A Celery worker, as production runs one beside gunicorn: it runs each tick's recompute."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        command = [
            sys.executable,
            *("-m", "celery", "-A", "config", "worker", "--pool=solo"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"),
        ]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        # Its start takes a CPU for a few seconds: not during the first quiet measurement.
        time.sleep(STARTUP_SECONDS)
        return self

    def __exit__(self, *exc_info):
        stop(self.process)


def measure_live(port: int, load, log: Path) -> list[LiveRow]:
    """Each live page quiet, then under each tick rate; `load(page)` is the bench's own load
    (wrk or the Python driver), and the trivial page is measured just before each."""
    meeting = live_meeting()
    pages = live_pages(meeting)
    people_ids = list(
        User.objects.filter(is_active=True)
        .exclude(attendances__meeting=meeting)
        .order_by("pk")
        .values_list("pk", flat=True)[:PEOPLE]
    )
    kept = KeptAsItWas(people_ids)
    headers, token, facilitator = facilitator_headers()
    trivial_page = Page("trivial (robots.txt)", "/robots.txt")
    rows = [LiveRow(page.name, page.path) for page in pages]
    people = itertools.cycle(people_ids)
    tickers: list[Ticker] = []
    print(
        f"A live assembly: ticks at /meetings/{meeting.pk}/attendance/ at {TICK_RATES} a second "
        f"(Celery worker for the recompute; load average {os.getloadavg()[0]:.2f})…",
        flush=True,
    )
    try:
        with TaskWorker(dict(os.environ), log):
            for page, row in zip(pages, rows, strict=True):
                for rate in (0, *TICK_RATES):
                    ticker = None
                    if rate:
                        ticker = Ticker(port, meeting, people, rate, headers, token)
                        tickers.append(ticker)
                        ticker.start()
                    # The trivial page under the same ticks: the ratio is then the page's own
                    # cost, not the share of the machine the ticks and their recompute take.
                    trivial = load(trivial_page)
                    measured = load(page)
                    ticked = ticker.stop() if ticker is not None else 0.0
                    condition = f"{rate}/s" if rate else "quiet"
                    row.measured[condition] = {
                        "requests_per_second": round(measured.requests_per_second, 1),
                        "p95_ms": round(measured.p95_ms, 1),
                        "cost": round(trivial.requests_per_second / measured.requests_per_second, 2)
                        if measured.requests_per_second
                        else None,
                        "ticks_per_second": round(ticked, 2),
                        "load_average": round(os.getloadavg()[0], 2),
                    }
                    print(
                        f"  {page.path} {condition}: {measured.requests_per_second:.0f} req/s, "
                        f"cost {row.measured[condition]['cost']} x /robots.txt "
                        f"({ticked:.1f} ticks/s recorded, load average "
                        f"{os.getloadavg()[0]:.2f})",
                        flush=True,
                    )
    finally:
        # Once the worker has stopped: what it did not run yet is dropped, then put back.
        celery_app.control.purge()
        kept.undo(meeting, [cid for ticker in tickers for cid in ticker.client_ids])
        facilitator.logout()  # its session row goes with it
    return rows


@dataclasses.dataclass
class AfterTick:
    """One page, in-process: its queries and CPU per request seen again, and right after a tick
    and its recompute (the tick itself not counted)."""

    path: str
    signed_in: bool
    queries_again: int
    queries_after_tick: int
    cpu_ms_again: float
    cpu_ms_after_tick: float


def measure_after_ticks(member: Client, meeting: Meeting, runs: int = 20) -> list[AfterTick]:
    """What a tick renews, in-process and free of the machine's other load: each page requested
    again with nothing written, then right after each of `runs` ticks (posted by the facilitator,
    the recompute run at once as the worker would). The charter, the commons and the decisions
    should cost the same after a tick as again; the board a little more (whether the person took
    part); /me/ a first view."""
    decision = Decision.objects.filter(phase=Decision.Phase.VOTING).order_by("-pk").first()
    pages = [
        ("/charter/", False),
        ("/commons/map/", False),
        ("/decisions/", False),
        (f"/decisions/{decision.pk}/", False),
        (f"/meetings/{meeting.pk}/", True),
        ("/me/", True),
        ("/decisions/", True),
        (f"/decisions/{decision.pk}/", True),
    ]
    headers, _token, facilitator = facilitator_headers()
    person_ids = list(
        User.objects.filter(is_active=True)
        .exclude(attendances__meeting=meeting)
        .order_by("-pk")
        .values_list("pk", flat=True)[: runs * len(pages)]
    )
    kept = KeptAsItWas(person_ids)
    people = iter(person_ids)
    visitor = Client(HTTP_HOST=LOOPBACK)
    client_ids = []
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the recompute runs here, after each tick's commit
    found = []
    # The membership e-mails a recompute sends stay in memory, not on the benchmark's output.
    outbox = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    outbox.enable()
    try:
        for path, signed_in in pages:
            client = member if signed_in else visitor

            def timed(client=client, path=path) -> tuple[int, float]:
                with CaptureQueriesContext(connection) as queries:
                    started = time.process_time()
                    client.get(path)
                    cpu = time.process_time() - started
                return len(queries), cpu

            client.get(path)
            again = [timed() for _ in range(runs)]
            after = []
            for _ in range(runs):
                client_ids.append(str(uuid.uuid4()))
                facilitator.post(
                    f"/meetings/{meeting.pk}/attendance/tick/",
                    {"person": next(people), "client_id": client_ids[-1]},
                    HTTP_ACCEPT=headers["Accept"],
                )
                after.append(timed())
            found.append(
                AfterTick(
                    path=path,
                    signed_in=signed_in,
                    queries_again=max(q for q, _cpu in again),
                    queries_after_tick=max(q for q, _cpu in after),
                    cpu_ms_again=round(sum(c for _q, c in again) * 1000 / runs, 2),
                    cpu_ms_after_tick=round(sum(c for _q, c in after) * 1000 / runs, 2),
                )
            )
    finally:
        outbox.disable()
        celery_app.conf.task_always_eager = eager
        kept.undo(meeting, client_ids)
        facilitator.logout()
    return found


def format_after_ticks(rows: list[AfterTick]) -> str:
    lines = [
        f"  {row.path}{' (signed in)' if row.signed_in else ''}: again {row.queries_again} "
        f"queries, {row.cpu_ms_again:.1f} ms; after a tick {row.queries_after_tick} queries, "
        f"{row.cpu_ms_after_tick:.1f} ms"
        for row in rows
    ]
    return "\n".join(lines)


class KeptAsItWas:
    """The people a run may tick, their membership as it was before it and the notices queued
    meanwhile: put back afterwards (a recompute lapses the demo's members whose eligibility
    ended, and queues their e-mails), so that the large data stays the same from run to run."""

    def __init__(self, person_ids):
        self.person_ids = list(person_ids)
        self.before = list(
            User.objects.filter(pk__in=self.person_ids).only(
                "membership_declared_at", "eligible_until"
            )
        )
        self.last_delivery = Delivery.objects.order_by("-pk").values_list("pk", flat=True).first()

    def undo(self, meeting: Meeting, client_ids: list[str]) -> None:
        Attendance.objects.filter(meeting=meeting, client_id__in=client_ids).delete()
        AppliedTick.objects.filter(client_id__in=client_ids).delete()
        User.objects.bulk_update(self.before, ["membership_declared_at", "eligible_until"])
        Delivery.objects.filter(
            pk__gt=self.last_delivery or 0, person_id__in=self.person_ids
        ).delete()


def format_live(rows: list[LiveRow]) -> str:
    conditions = ["quiet", *(f"{rate}/s" for rate in TICK_RATES)]
    headers = ["page", *(f"{c} req/s" for c in conditions), *(f"{c} cost" for c in conditions)]
    lines = [
        [
            row.name,
            *(str(row.measured.get(c, {}).get("requests_per_second", "-")) for c in conditions),
            *(str(row.measured.get(c, {}).get("cost", "-")) for c in conditions),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [headers, *lines]) for i in range(len(headers))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in [headers, *lines]
    )
