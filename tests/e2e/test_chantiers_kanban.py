"""A participant starts a chantier, adds cards and moves them: with the buttons when JavaScript is
off, and by drag and drop when it is on."""

import re

import pytest
from playwright.sync_api import expect

from chantiers.models import Card, Chantier
from tests.e2e.workshops_helpers import sign_in
from tests.factories import UserFactory


def _start_with_cards(page, live_server):
    page.goto("/chantiers/")
    page.get_by_role("link", name="Lancer un chantier").click()
    page.get_by_label("Titre").fill("Jardin partagé")
    page.get_by_label("Objet").fill("Cultiver *ensemble*.")
    page.get_by_role("button", name="Lancer le chantier").click()
    expect(page.get_by_text("Votre chantier est lancé")).to_be_visible()
    for title in ("Semer les radis", "Arroser"):
        page.locator("#id_title").fill(title)
        page.get_by_role("button", name="Ajouter la carte").click()
        expect(page.locator(".kanban-card", has_text=title)).to_be_visible()
    return Chantier.objects.get(title="Jardin partagé")


def _column(page, name):
    heading = page.get_by_role("heading", name=re.compile(f"^{name} "))
    return page.locator("section.kanban-column").filter(has=heading)


def _column_of(title):
    return Card.objects.select_related("column").get(title=title).column.stage


@pytest.mark.django_db(transaction=True)
def test_participant_moves_a_card_with_buttons_without_javascript(browser, live_server):
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, UserFactory(display_name="Alice"), live_server.url)
        _start_with_cards(page, live_server)
        card = page.locator(".kanban-card", has_text="Semer les radis")
        card.get_by_role("button", name="→ En cours").click()

        expect(
            page.get_by_text("« Semer les radis » est maintenant dans En cours.")
        ).to_be_visible()
        doing = _column(page, "En cours")
        expect(doing.locator(".kanban-card", has_text="Semer les radis")).to_be_visible()
        assert _column_of("Semer les radis") == "doing"
        assert _column_of("Arroser") == "todo"
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_participant_drags_a_card_to_another_column(page, live_server):
    sign_in(page, UserFactory(display_name="Alice"), live_server.url)
    _start_with_cards(page, live_server)

    card = page.locator(".kanban-card", has_text="Arroser")
    # A real mouse drag, in view (a drag that leaves the viewport is cancelled by the browser).
    page.locator("#board").scroll_into_view_if_needed()
    source = card.locator(".card-meta, .card-title").first.bounding_box()
    target = _column(page, "Fait").locator("[data-column]").bounding_box()
    page.mouse.move(source["x"] + source["width"] + 5, source["y"] + 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=8)
    page.mouse.move(target["x"] + 25, target["y"] + 12, steps=2)
    page.mouse.up()

    done = _column(page, "Fait")
    expect(done.locator(".kanban-card", has_text="Arroser")).to_be_visible()
    # The board was swapped in place, with its buttons, and the database agrees.
    expect(done.get_by_role("button", name="← En cours")).to_be_visible()
    assert _column_of("Arroser") == "done"
    # The history says who moved it.
    page.locator(".kanban-card a", has_text="Arroser").click()
    expect(page.get_by_text("déplacée vers Fait")).to_be_visible()
    expect(page.locator(".history")).to_contain_text("Alice")
