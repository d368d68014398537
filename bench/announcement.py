"""`make bench`'s measure of the announcement: sending it to 1,000 people through a real local
SMTP server (aiosmtpd), one connection per batch, inside a transaction rolled back afterwards so
the benchmark data stays as it was. Budget: 2 minutes for 1,000 recipients."""

import datetime
import logging
import socket
import time

from aiosmtpd.controller import Controller
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from assembly.announcement import send_announcement
from assembly.models import Subscriber, User
from workshops.models import Meeting

BUDGET_SECONDS = 120
DOMAIN = "bench-announce.example.org"


class _RolledBack(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure_announcement_send(recipients: int = 1000) -> dict:

    class Sink:
        def __init__(self):
            self.received: list[str] = []

        async def handle_DATA(self, server, session, envelope):
            self.received.extend(envelope.rcpt_tos)
            return "250 OK"

    # aiosmtpd logs every SMTP command at INFO: thousands of lines that would bury the table.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    result = {}
    try:
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
                        "received": len(sink.received),
                        "distinct_received": len(set(sink.received)),
                        "seconds": round(seconds, 2),
                        "within_budget": seconds <= BUDGET_SECONDS,
                    }
                    raise _RolledBack
            except _RolledBack:
                pass
    finally:
        controller.stop()
    return result
