"""A member proposes an amendment to the charter, sees its diff, and after the consent vote the
charter page shows the new version."""

import datetime

import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from decisions import services as decision_services
from decisions.models import Decision
from tests.charter.factories import TEXT, add_version
from tests.decisions.factories import MemberFactory


def sign_in(page, live_server, person):
    """A signed-in session in the browser (the journey under test is the charter, not the login
    form, whose labels belong to the foundation's templates)."""
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_member_amends_the_charter_and_sees_the_adopted_version(page, live_server):
    add_version(text=TEXT, now=timezone.now() - datetime.timedelta(days=60))
    member = MemberFactory()
    sign_in(page, live_server, member)

    page.goto("/charter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Charte des pratiques")
    page.get_by_role("link", name="Proposer un amendement").click()
    page.get_by_label("Titre de la discussion").fill("Le dernier jeudi du mois")
    page.get_by_label("Ce qui change, en une ou deux phrases").fill("Fixer le jour de l'assemblée.")
    text = page.get_by_label("Texte complet de la charte, tel que vous le proposez (Markdown)")
    text.fill(text.input_value().replace("chaque mois", "le dernier jeudi de chaque mois"))
    page.get_by_label("Pourquoi ce changement").fill("Tout le monde saura quand venir.")
    page.get_by_role("button", name="Aperçu").click()

    expect(page.locator(".charter-preview ins")).to_have_text(" le dernier jeudi de")
    page.get_by_role("button", name="Ouvrir la discussion").click()

    decision = Decision.objects.get()
    expect(page).to_have_url(f"{page.url.split('/decisions/')[0]}/decisions/{decision.pk}/")
    expect(page.locator(".charter-amendment ins")).to_have_text(" le dernier jeudi de")

    # A week of discussion, then a week of consent vote.
    vote_opens = decision.discussion_ends_at
    vote_closes = vote_opens + datetime.timedelta(days=decision.vote_days)
    with time_machine.travel(vote_opens, tick=False):
        decision_services.open_vote(decision, now=vote_opens)
        decision_services.cast_vote(decision, voter=member, choice="consent")
    with time_machine.travel(vote_closes, tick=False):
        decision_services.close_vote(decision, now=vote_closes)

    page.goto("/charter/")
    expect(page.locator(".lead")).to_contain_text("Version 2")
    expect(page.locator(".charter-text")).to_contain_text(
        "Nous nous réunissons le dernier jeudi de chaque mois"
    )
    page.get_by_role("link", name="Ce qui a changé dans cette version").click()
    expect(page.locator(".charter-diff ins")).to_have_text(" le dernier jeudi de")
