"""The searchable pickers (assembly/pickers.py) in a real browser: commons and people, each a
WAI-ARIA combobox with the keyboard, and the same choice without JavaScript (a search sent with
the form, Enter in another field sending the form itself)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from chantiers import services as chantier_services
from commons_registry.models import Commons
from decisions.models import Decision
from tests.chantiers.factories import chantier_with
from tests.commons_registry.factories import CommonsFactory
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _directory():
    for name in ("Jardin du Moulin", "Jardin des Plantes", "Jardin partagé de Wazemmes"):
        CommonsFactory(name=name, state=Commons.State.PUBLISHED)
    CommonsFactory(name="Fablab de Fives", state=Commons.State.PUBLISHED)


@pytest.fixture
def axe_page(browser, live_server):
    # The context bypasses the CSP only so that the test can inject axe (as test_accessibility.py).
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_combobox_chooses_a_commons_with_the_keyboard(axe_page):
    page = axe_page
    _directory()
    person = UserFactory(email="picker@example.org")
    log_in(page, person.email, PASSWORD)
    page.goto("/decisions/new/")
    search = page.locator('input[role="combobox"][name="related_commons_q"]')

    axe_problems = _choose_the_second_suggestion(page, search, "jardin", suggested=3)

    expect(page.get_by_role("checkbox", name="Jardin du Moulin")).to_be_checked()
    assert axe_problems == []
    listbox = page.get_by_role("listbox")

    search.fill("fab")
    expect(listbox.get_by_role("option")).to_have_count(1)
    search.press("Escape")
    expect(listbox).to_be_hidden()

    page.fill('input[name="title"]', "Un four à pain partagé")
    page.fill('textarea[name="context"]', "Pour les jardins.")
    page.get_by_role("button", name="Ouvrir la discussion").click()
    page.wait_for_url(lambda url: "/decisions/new/" not in url)

    decision = Decision.objects.get(title="Un four à pain partagé")
    assert [c.name for c in decision.related_commons.all()] == ["Jardin du Moulin"]


def test_without_javascript_a_search_sent_with_the_form_keeps_what_was_typed(browser, live_server):
    _directory()
    person = UserFactory(email="nojs@example.org")
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, person.email, PASSWORD)
        page.goto("/decisions/new/")
        page.fill('input[name="title"]', "Une grainothèque")
        page.fill('input[name="related_commons_q"]', "wazemmes")
        page.click('button[name="_picker"]')

        expect(page.locator('input[name="title"]')).to_have_value("Une grainothèque")
        page.get_by_role("checkbox", name="Jardin partagé de Wazemmes").check()
        page.fill('input[name="related_commons_q"]', "fives")
        page.click('button[name="_picker"]')
        expect(page.get_by_role("checkbox", name="Jardin partagé de Wazemmes")).to_be_checked()
        page.get_by_role("checkbox", name="Fablab de Fives").check()
        assert Decision.objects.count() == 0

        page.fill('textarea[name="context"]', "Des graines pour tous.")
        page.get_by_role("button", name="Ouvrir la discussion").click()
        page.wait_for_url(lambda url: "/decisions/new/" not in url)
    finally:
        context.close()

    decision = Decision.objects.get(title="Une grainothèque")
    assert sorted(c.name for c in decision.related_commons.all()) == [
        "Fablab de Fives",
        "Jardin partagé de Wazemmes",
    ]


def test_people_combobox_chooses_a_person_with_the_keyboard(axe_page):
    page = axe_page
    coordinator = UserFactory(email="coordination@example.org", display_name="Zoé")
    members = [
        UserFactory(display_name=name) for name in ("Camille Durand", "Camille Martin", "Dominique")
    ]
    chantier = chantier_with(coordinator, members=members)
    card = chantier_services.add_card(chantier, by=coordinator, title="Trouver des briques")
    log_in(page, coordinator.email, PASSWORD)
    page.goto(card.get_absolute_url())
    search = page.locator('input[role="combobox"][name="assignee_q"]')

    axe_problems = _choose_the_second_suggestion(page, search, "cami", suggested=2)

    expect(page.get_by_role("radio", name="Camille Martin")).to_be_checked()
    assert axe_problems == []
    listbox = page.get_by_role("listbox")
    search.fill("dom")
    expect(listbox.get_by_role("option")).to_have_count(1)
    search.press("ArrowUp")  # from no option, up goes to the last one
    search.press("Enter")
    expect(page.get_by_role("radio", name="Dominique")).to_be_checked()
    expect(page.get_by_role("radio", name="Camille Martin")).not_to_be_checked()

    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    card.refresh_from_db()
    assert card.assignee.display_name == "Dominique"


def test_without_javascript_enter_sends_the_form_and_enter_after_new_words_searches(
    browser, live_server
):
    _directory()
    person = UserFactory(email="enter@example.org")
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, person.email, PASSWORD)
        page.goto("/decisions/new/")
        page.fill('input[name="title"]', "Un compost de quartier")
        page.fill('input[name="related_commons_q"]', "moulin")
        page.press('input[name="related_commons_q"]', "Enter")

        # New words in the search field: a search, nothing saved.
        page.get_by_role("checkbox", name="Jardin du Moulin").check()
        assert Decision.objects.count() == 0
        page.fill('textarea[name="context"]', "Un bac à compost partagé.")
        page.press('input[name="title"]', "Enter")
        page.wait_for_url(lambda url: "/decisions/new/" not in url)
    finally:
        context.close()

    decision = Decision.objects.get(title="Un compost de quartier")
    assert [c.name for c in decision.related_commons.all()] == ["Jardin du Moulin"]


def _choose_the_second_suggestion(page, search, words: str, *, suggested: int) -> list[str]:
    """Type, arrow down twice, check the combobox's state and axe while the list is open, then
    Enter; axe's serious problems."""
    search.fill(words)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(suggested)
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    search.press("ArrowDown")
    second = listbox.get_by_role("option").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    problems = _serious_violations(page)
    search.press("Enter")
    expect(search).to_have_attribute("aria-expanded", "false")
    return problems


def _serious_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    return [
        f"[{v['impact']}] {v['id']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
