"""`make bench`'s measure of the announcement: sending it to 1,000 people through a real local
SMTP server (aiosmtpd, in its own process: bench/smtp_sink.py), one connection per batch, inside a transaction rolled back afterwards so
the benchmark data stays as it was. Budget: 2 minutes for 1,000 recipients."""

import datetime
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from assembly.models import Subscriber, User
from portal.announcement import send_announcement
from workshops.models import Meeting

BASE_DIR = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 120
DOMAIN = "bench-announce.example.org"


class _RolledBack(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """`bench/smtp_sink.py` on a free port of 127.0.0.1, stopped on leaving; `received` then
    lists every recipient it accepted."""

    def __init__(self):
        self.port = _free_port()
        self.received: list[str] = []
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Sink":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_sink", str(self.port)],
            cwd=BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            self.process.kill()
            raise RuntimeError("the SMTP sink did not start")
        return self

    def __exit__(self, *exc_info):
        try:
            output, _errors = self.process.communicate(timeout=30)
            self.received = json.loads(output)["received"]
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def measure_announcement_send(recipients: int = 1000) -> dict:
    sink = Sink()
    with sink:
        result = _send_through(sink.port, recipients)
    result["received"] = len(sink.received)
    result["distinct_received"] = len(set(sink.received))
    return result


def _send_through(port: int, recipients: int) -> dict:
    result = {}
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    ):
        try:
            with transaction.atomic():
                now = timezone.now()
                User.objects.bulk_create(
                    [
                        User(email=f"r{n}@{DOMAIN}", display_name=f"Bench {n}")
                        for n in range(recipients)
                    ]
                )
                meeting = Meeting.objects.create(
                    title="Bench announcement",
                    starts_at=now + datetime.timedelta(days=10),
                    ends_at=now + datetime.timedelta(days=10, hours=3),
                )
                started = time.perf_counter()
                totals = send_announcement(
                    meeting,
                    now=now,
                    people=User.objects.filter(email__endswith=f"@{DOMAIN}"),
                    subscribers=Subscriber.objects.none(),
                )
                seconds = time.perf_counter() - started
                result = {
                    "recipients": recipients,
                    "sent": totals["sent"],
                    "seconds": round(seconds, 2),
                    "within_budget": seconds <= BUDGET_SECONDS,
                }
                raise _RolledBack
        except _RolledBack:
            pass
    return result
