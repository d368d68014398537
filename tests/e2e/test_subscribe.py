"""Someone without an account subscribes to the announcement, confirms by the e-mailed link,
receives the next announcement and leaves the list with one click."""

import datetime
import re

import kombu.pools
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from assembly.models import Subscriber, SubscriberDelivery
from config.celery import app
from portal.tasks import send_announcements
from tests.workshops.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = re.compile(r"https?://\S+")


@pytest.fixture
def eager_tasks():
    """Run tasks in the web process, so that the confirmation lands in this process's outbox."""

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def on_live_server(url: str, live_server) -> str:
    return live_server.url + url.removeprefix("http://127.0.0.1:8000")


def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(
    live_server, page, eager_tasks, settings
):
    settings.SITE_URL = live_server.url
    starts = (timezone.now() + datetime.timedelta(days=9)).replace(microsecond=0)
    MeetingFactory(
        title="Assemblée de mars", starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )

    page.goto("/")
    page.get_by_role("link", name="Recevoir l'annonce de chaque assemblée par courriel").click()
    page.get_by_label("Adresse électronique").fill("voisine@example.org")
    page.get_by_role("button", name="M'abonner").click()
    expect(page.locator("#subscribe-answer")).to_contain_text("lien de confirmation")

    [confirmation] = mail.outbox
    assert confirmation.to == ["voisine@example.org"]
    assert list(Subscriber.objects.confirmed()) == []
    page.goto(URL.findall(confirmation.body)[0])
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.locator("#subscribe-answer")).to_contain_text("voisine@example.org")
    assert Subscriber.objects.confirmed().count() == 1

    send_announcements()  # the beat's run, N days before the assembly

    [announcement] = [m for m in mail.outbox[1:] if m.to == ["voisine@example.org"]]
    assert "Assemblée de mars" in announcement.subject
    assert announcement.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = announcement.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in announcement.body  # the visible link is the same
    assert SubscriberDelivery.objects.get().state == "sent"

    # What a mail client does on "unsubscribe" (RFC 8058): a POST without cookies nor CSRF token.
    response = page.request.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert not Subscriber.objects.exists()
    page.goto(unsubscribe)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
