"""`make loadtest` (`python -m bench.loadtest`): bounded load on the loopback address only.

N simulated people for S seconds against gunicorn with PostgreSQL and Redis: each browses, signs
in, signs up to workshops, votes, and (the facilitators among them) ticks attendance. Afterwards
every acknowledged write is looked up in the database (no lost write), no answer may be a 5xx,
and the p95 of the response times is reported. Exit status 0 only when both hold.

The load runs in its own database (LOAD_DATABASE_URL, default assemblee_load) and Redis database
(LOAD_REDIS_URL); each run adds its own people, meeting and decision, so runs can repeat.
allauth allows 30 sign-ins a minute from one address: at most 25 people sign in through the form,
the others start with a session, as someone who signed in yesterday.
"""

import argparse
import dataclasses
import http.client
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from .load import LOOPBACK, BenchmarkError, percentile
from .server import Server, ensure_database, server_environment

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/assemblee_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
FORM_SIGN_INS = 25
PASSWORD = "load-test-password-1"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclasses.dataclass
class Tally:
    """What the simulated people saw: every answer's status and time, and the writes acknowledged."""

    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    timings: list = dataclasses.field(default_factory=list)
    by_kind: dict = dataclasses.field(default_factory=dict)
    statuses: dict = dataclasses.field(default_factory=dict)
    server_errors: list = dataclasses.field(default_factory=list)
    signups: set = dataclasses.field(default_factory=set)
    votes: set = dataclasses.field(default_factory=set)
    ticks: set = dataclasses.field(default_factory=set)

    def record(self, method, path, status, seconds):
        kind = "read" if method == "GET" else "sign-in" if "/login/" in path else "write"
        with self.lock:
            self.timings.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500 or status == 0:
                self.server_errors.append(f"{method} {path} → {status or 'no answer'}")


class Person:
    """One simulated person: a cookie jar and a new HTTP connection per request, as a browser."""

    def __init__(self, port, tally, cookies=None):
        self.port, self.tally = port, tally
        self.cookies = dict(cookies or {})

    def request(self, method, path, form=None):
        headers = {"Host": LOOPBACK}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        except OSError:
            status, text = 0, ""
        finally:
            connection.close()
        self.tally.record(method, path, status, time.perf_counter() - started)
        return status, text

    def sign_in(self, email):
        status, page = self.request("GET", "/accounts/login/")
        match = CSRF_FIELD.search(page)
        if status != 200 or not match:
            return False
        self.cookies.setdefault("csrftoken", "")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)},
        )
        return status == 302


def prepare(people: int, run: str):
    """Members with one shared password hash, a fifth of them facilitators, a meeting with five
    workshops next week, and a decision open to vote whose roll is these members."""
    import datetime

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from assembly.models import FACILITATORS_GROUP, User
    from decisions import services as decisions
    from decisions.models import Decision
    from workshops.models import Meeting, Venue, Workshop

    now = timezone.now()
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"load-{run}-{n}@example.org",
                display_name=f"Load {run} {n}",
                password=password,
                membership_declared_at=now - datetime.timedelta(days=30),
                eligible_until=timezone.localdate() + datetime.timedelta(days=365),
            )
            for n in range(people)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users]
    )
    facilitators, _ = Group.objects.get_or_create(name=FACILITATORS_GROUP)
    facilitators.user_set.add(*users[::5])
    venue = Venue.objects.create(name=f"Load venue {run}", address="1 rue du Test")
    starts = (now + datetime.timedelta(days=7)).replace(microsecond=0)
    meeting = Meeting.objects.create(
        title=f"Load {run}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        venue=venue,
    )
    workshops = [
        Workshop.objects.create(
            meeting=meeting,
            title=f"Load {run} workshop {n}",
            description="Load.",
            proposed_by=users[0],
        )
        for n in range(5)
    ]
    decision = decisions.open_discussion(
        author=users[0],
        title=f"Load {run}",
        kind=Decision.Kind.FINANCE,
        context="A load test.",
        proposal="We keep the site fast.",
        now=now - datetime.timedelta(days=30),
    )
    decision = decisions.open_vote(decision, now=now - datetime.timedelta(minutes=1))
    sessions = []
    for user in users[FORM_SIGN_INS:]:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    return users, meeting, workshops, decision, [None] * min(FORM_SIGN_INS, people) + sessions


def simulate(index, user, session, port, tally, deadline, meeting, workshops, decision, people):
    rng = random.Random(index)  # noqa: S311 (a reproducible walk, not a secret)
    person = Person(port, tally, {"sessionid": session} if session else None)
    person.request("GET", "/")
    if session is None and not person.sign_in(user.email):
        return
    if "csrftoken" not in person.cookies:
        person.request("GET", f"/decisions/{decision.pk}/")
    facilitator = index % 5 == 0
    # Everyone writes at least once, however short the run; then a random walk until the end.
    script = ["sign-up", "vote", "tick"]
    while script or time.monotonic() < deadline:
        action = (
            script.pop(0) if script else rng.choice(["browse", "browse", "sign-up", "vote", "tick"])
        )
        if action == "browse":
            person.request(
                "GET",
                rng.choice(
                    [
                        "/",
                        "/meetings/",
                        f"/meetings/{meeting.pk}/",
                        "/decisions/",
                        f"/decisions/{decision.pk}/",
                        "/commons/",
                        "/me/",
                    ]
                ),
            )
        elif action == "sign-up":
            workshop = rng.choice(workshops)
            status, _ = person.request(
                "POST", f"/workshops/{workshop.pk}/sign-up/", {"action": "in"}
            )
            if status == 302:
                with tally.lock:
                    tally.signups.add((workshop.pk, user.pk))
        elif action == "vote":
            choice = rng.choice(["consent", "abstain"])
            status, _ = person.request(
                "POST", f"/decisions/{decision.pk}/vote/", {"choice": choice}
            )
            if status == 302:
                with tally.lock:
                    tally.votes.add(user.pk)
        elif facilitator:
            other = rng.choice(people)
            status, _ = person.request(
                "POST", f"/meetings/{meeting.pk}/attendance/tick/", {"person": other.pk}
            )
            if status == 302:
                with tally.lock:
                    tally.ticks.add(other.pk)


def lost_writes(tally, meeting, decision) -> list[str]:
    from decisions.models import Vote
    from workshops.models import Attendance, WorkshopSignup

    signups = set(
        WorkshopSignup.objects.filter(workshop__meeting=meeting).values_list(
            "workshop_id", "person_id"
        )
    )
    voters = set(
        Vote.objects.filter(decision=decision).values_list("roll_entry__person_id", flat=True)
    )
    ticked = set(
        Attendance.objects.filter(meeting=meeting, workshop=None).values_list(
            "person_id", flat=True
        )
    )
    lost = [f"sign-up {w}/{p}" for w, p in tally.signups - signups]
    lost += [f"vote of {p}" for p in tally.votes - voters]
    lost += [f"attendance of {p}" for p in tally.ticks - ticked]
    return lost


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    options = parser.parse_args(argv)
    database_url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        ensure_database(database_url)
    except BenchmarkError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    static_root = tempfile.mkdtemp(prefix="assemblee-load-static-")
    env = server_environment(
        dict(os.environ), database_url=database_url, redis_url=redis_url, static_root=static_root
    )
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    run = secrets.token_hex(3)
    users, meeting, workshops, decision, sessions = prepare(options.people, run)
    from django.db import connection

    connection.close()
    tally = Tally()
    log = BASE_DIR / "var" / "loadtest-gunicorn.log"
    print(
        f"Load: {options.people} people for {options.seconds:.0f} s against gunicorn "
        f"({options.workers} workers) on {LOOPBACK}…",
        flush=True,
    )
    load_before = os.getloadavg()[0]
    with Server(env, workers=options.workers, log=log) as server:
        started = time.monotonic()
        deadline = started + options.seconds
        threads = [
            threading.Thread(
                target=simulate,
                args=(
                    i,
                    user,
                    sessions[i],
                    server.port,
                    tally,
                    deadline,
                    meeting,
                    workshops,
                    decision,
                    users,
                ),
            )
            for i, user in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    lost = lost_writes(tally, meeting, decision)
    timings = sorted(tally.timings)
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after (others' work on the machine slows every figure)"
    )
    print(
        f"Requests: {len(timings)} in {elapsed:.0f} s ({len(timings) / elapsed:.1f}/s); "
        f"statuses: {dict(sorted(tally.statuses.items()))}"
    )
    print(
        f"Writes acknowledged: {len(tally.signups)} sign-ups, {len(tally.votes)} votes, "
        f"{len(tally.ticks)} attendances"
    )
    if timings:
        print(
            f"Response time: median {percentile(timings, 50) * 1000:.0f} ms, "
            f"p95 {percentile(timings, 95) * 1000:.0f} ms"
        )
        for kind, seconds in sorted(tally.by_kind.items()):
            print(
                f"  {kind}: {len(seconds)} requests, median "
                f"{percentile(sorted(seconds), 50) * 1000:.0f} ms, "
                f"p95 {percentile(sorted(seconds), 95) * 1000:.0f} ms"
            )
    print(f"Errors (5xx or no answer): {len(tally.server_errors)}; lost writes: {len(lost)}")
    for line in (tally.server_errors + lost)[:20]:
        print(f"  {line}")
    ok = timings and not tally.server_errors and not lost and tally.votes and tally.signups
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
