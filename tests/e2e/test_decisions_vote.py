"""A member votes by consent in a real browser; a newcomer sees why they cannot."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Vote
from tests.decisions.factories import MemberFactory, voting
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_member_objects_without_then_with_a_reason_then_consents(page):
    member = MemberFactory(email="voter@example.org")
    decision = voting(
        title="Acheter un vélo cargo", now=timezone.now() - datetime.timedelta(days=1)
    )
    log_in(page, member.email, PASSWORD)
    page.goto(decision.get_absolute_url())

    expect(page.get_by_text("Vous êtes sur la liste électorale")).to_be_visible()
    page.get_by_role("radio", name="objection").check()
    page.get_by_role("button", name="Envoyer mon vote").click()

    expect(page.get_by_text("Une objection doit être motivée").first).to_be_visible()
    assert Vote.objects.count() == 0

    page.get_by_role("radio", name="objection").check()
    page.get_by_label("Motif").fill("Le prix n'est pas justifié.")
    page.get_by_role("button", name="Envoyer mon vote").click()

    expect(page.get_by_text("Votre vote est enregistré")).to_be_visible()
    expect(page.locator(".objections")).to_contain_text("Le prix n'est pas justifié.")
    assert Vote.objects.get().choice == "object"

    page.get_by_role("radio", name="consentement").check()
    page.get_by_role("button", name="Modifier mon vote").click()

    expect(page.get_by_text("Votre vote est enregistré")).to_be_visible()
    expect(page.locator(".my-vote")).to_contain_text("consentement")
    vote = Vote.objects.get()
    assert vote.choice == "consent"
    assert vote.history.count() == 2


@pytest.mark.django_db(transaction=True)
def test_newcomer_sees_why_they_cannot_vote(page):
    MemberFactory()
    decision = voting(title="Soutenir la pétition", now=timezone.now() - datetime.timedelta(days=1))
    newcomer = UserFactory(email="newcomer@example.org")

    page.goto(decision.get_absolute_url())
    expect(page.get_by_text("Connectez-vous pour voter")).to_be_visible()

    log_in(page, newcomer.email, PASSWORD)
    page.goto(decision.get_absolute_url())

    expect(page.locator(".voting-status")).to_have_text(
        re.compile(
            "Vous n\u2019êtes pas sur la liste électorale car vous n\u2019étiez pas membre à "
            "l\u2019ouverture du vote, le \\d"
        )
    )
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_text("1 personne")).to_be_visible()
