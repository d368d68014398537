"""A facilitator, on a phone, cancels a meeting with a reason; the board and the agenda say so and
the person signed up to one of its workshops is told by e-mail."""

import kombu.pools
import pytest
from django.core import mail
from playwright.sync_api import expect

from config.celery import app
from tests.e2e.workshops_helpers import sign_in
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from workshops.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager_tasks():
    """Run tasks in the web process, so that no message reaches a broker no worker reads here."""

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
    # Eager tasks still take a producer from kombu's process-wide pools: drop them so that a later
    # services test pointing the app at Redis starts from fresh pools.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_facilitator_cancels_a_meeting_on_a_phone(live_server, phone_page, eager_tasks):
    page = phone_page
    meeting = MeetingFactory(title="Assemblée de décembre")
    signed_up = UserFactory(display_name="Camille Inscrite")
    SignupFactory(workshop=WorkshopFactory(meeting=meeting, title="Compost"), person=signed_up)
    facilitator = FacilitatorFactory()

    sign_in(page, facilitator, live_server.url)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Annuler la réunion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler la réunion")

    # Without a reason nothing happens, and the page says what is missing.
    page.get_by_role("button", name="Annuler la réunion").click()
    expect(page.get_by_text("Dites pourquoi la réunion est annulée.")).to_be_visible()

    page.get_by_label("Pourquoi est-elle annulée ?").fill("La salle est inondée.")
    page.get_by_role("button", name="Annuler la réunion").click()

    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    expect(page.get_by_text("Cette réunion est annulée.")).to_be_visible()
    expect(page.get_by_text("La salle est inondée.")).to_be_visible()
    expect(page.get_by_role("button", name="La reprogrammer (annulée par erreur)")).to_be_visible()
    expect(page.get_by_role("link", name="Proposer un atelier")).to_have_count(0)

    page.goto("/meetings/")
    card = page.locator("li.meeting-card", has_text="Assemblée de décembre")
    expect(card).to_contain_text("Annulée")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancellation_reason) == (
        Meeting.Status.CANCELLED,
        "La salle est inondée.",
    )
    assert [message.to for message in mail.outbox] == [[signed_up.email]]
    assert "La salle est inondée." in mail.outbox[0].body
