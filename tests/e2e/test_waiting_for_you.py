"""A member who has not voted finds the vote on /me/, follows the link to the vote, votes, and
the vote no longer waits for them (issue 11: "a member who has not voted sees the vote on /me/")."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Vote
from tests.decisions.factories import MemberFactory, voting
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_member_follows_the_waiting_vote_from_me_and_casts_it(page):
    member = MemberFactory(email="waiting@example.org")
    voting(title="Acheter un vélo cargo", now=timezone.now() - datetime.timedelta(days=1))
    log_in(page, member.email, PASSWORD)

    page.goto("/me/")
    waiting = page.get_by_role("region", name="Ce qui vous attend")
    expect(waiting).to_be_visible()
    waiting.get_by_role("link", name="Voter sur « Acheter un vélo cargo »").click()

    page.get_by_role("radio", name="consentement").check()
    page.get_by_role("button", name="Envoyer mon vote").click()
    expect(page.get_by_text("Votre vote est enregistré")).to_be_visible()
    assert Vote.objects.get().choice == "consent"

    page.goto("/me/")
    expect(page.get_by_text("Rien ne vous attend.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", name="Ce qui vous attend")).to_have_count(0)
