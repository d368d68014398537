"""A participant proposes a workshop; another person signs up for it from the board."""

import pytest
from playwright.sync_api import expect

from tests.e2e.workshops_helpers import sign_in
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory
from workshops.models import Workshop, WorkshopSignup


@pytest.mark.django_db(transaction=True)
def test_participant_proposes_and_another_signs_up(browser, live_server, page):
    meeting = MeetingFactory()
    alice = UserFactory(display_name="Alice Proposante")
    bob = UserFactory(display_name="Bob Inscrit")

    sign_in(page, alice, live_server.url)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Proposer un atelier").click()
    page.get_by_label("Titre").fill("Grainothèque de quartier")
    page.get_by_label("Description").fill("Apportez vos *graines*.")
    page.get_by_label("Places").fill("8")
    page.get_by_role("button", name="Proposer").click()
    expect(
        page.get_by_text("Votre atelier « Grainothèque de quartier » est sur le tableau.")
    ).to_be_visible()
    card = page.locator("article.workshop-card", has_text="Grainothèque de quartier")
    expect(card).to_contain_text("Proposé par Alice Proposante")

    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(10_000)
    try:
        sign_in(other, bob, live_server.url)
        other.goto(meeting.get_absolute_url())
        card = other.locator("article.workshop-card", has_text="Grainothèque de quartier")
        card.get_by_role("button", name="J’en suis").click()
        # htmx swaps the card in place: no reload, the count and the button change.
        card = other.locator("article.workshop-card", has_text="Grainothèque de quartier")
        expect(card.get_by_role("button", name="Je me retire")).to_be_visible()
        expect(card).to_contain_text("1 inscrit·e")
        # The confirmation inside the card only comes with the htmx partial, not after a reload.
        expect(card).to_contain_text("Vous êtes inscrit·e à « Grainothèque de quartier ».")
    finally:
        context.close()

    workshop = Workshop.objects.get(title="Grainothèque de quartier")
    assert (workshop.proposed_by, workshop.capacity) == (alice, 8)
    assert list(WorkshopSignup.objects.values_list("person_id", flat=True)) == [bob.pk]
