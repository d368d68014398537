"""A newcomer on a phone opens the map, filters by a category and opens an entry, with no tiles."""

from decimal import Decimal

import pytest

from tests.commons_registry.factories import CommonsFactory, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offline(phone_page, live_server, settings):
    """Tiles point nowhere and every request off the test server is refused."""
    settings.MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    blocked = []

    def only_live_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    phone_page.route("**/*", only_live_server)
    problems = []

    def on_console(message):
        # Tiles are refused on purpose (img-src); a refused script or style would be a bug.
        text = message.text
        if "Content Security Policy" in text and "img-src" not in text:
            problems.append(text)

    phone_page.on("console", on_console)
    phone_page.on("pageerror", lambda error: problems.append(str(error)))
    return phone_page, problems


def test_newcomer_filters_the_map_and_opens_an_entry(offline):
    page, problems = offline
    CommonsFactory(name="Potager des Bois-Blancs", category=category("jardins-alimentation"),
                   latitude=Decimal("50.6382"), longitude=Decimal("3.0355"))  # fmt: skip
    CommonsFactory(name="Fablab La Fabrique", category=category("logiciel-libre-numerique"),
                   summary="Imprimantes 3D et savoir-faire partagés.",
                   latitude=Decimal("50.6347"), longitude=Decimal("3.0822"))  # fmt: skip
    CommonsFactory(name="Wiki de Lillebonne", category=category("logiciel-libre-numerique"),
                   latitude=None, longitude=None)  # fmt: skip

    page.goto("/commons/map/")
    page.wait_for_selector("#commons-map[data-markers='2']")
    assert page.locator("path.commons-marker").count() == 2

    page.get_by_text("Filtrer les communs").click()
    page.get_by_label("Catégorie").select_option("logiciel-libre-numerique")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/commons/map/?*category=logiciel-libre-numerique*")
    page.wait_for_selector("#commons-map[data-markers='1']")
    markers = page.locator("path.commons-marker")
    assert markers.count() == 1
    # The list keeps the digital commons, which has no marker.
    assert page.get_by_role("link", name="Wiki de Lillebonne").is_visible()
    assert page.get_by_role("link", name="Potager des Bois-Blancs").count() == 0

    markers.first.click()
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    assert "Imprimantes 3D et savoir-faire partagés." in popup.inner_text()
    popup.get_by_role("link", name="Ouvrir la fiche").click()

    page.wait_for_url("**/commons/fablab-la-fabrique/")
    assert page.get_by_role("heading", level=1).inner_text() == "Fablab La Fabrique"
    assert problems == []


def test_map_page_without_javascript_lists_entries(browser, live_server):
    CommonsFactory(name="Repair café de Moulins")
    context = browser.new_context(locale="fr-FR", base_url=live_server.url,
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    page.goto("/commons/map/")
    assert page.get_by_role("link", name="Repair café de Moulins").is_visible()
    assert page.locator("#commons-map").is_hidden()
    context.close()


def test_map_clusters_close_markers_and_colours_them_by_category(offline):
    page, problems = offline
    garden = category("jardins-alimentation")
    for n in range(5):  # five gardens a few metres apart, in one street
        CommonsFactory(name=f"Jardin de la rue {n}", category=garden,
                       latitude=Decimal("50.6300") + Decimal(n) / 100000,
                       longitude=Decimal("3.0600"))  # fmt: skip
    CommonsFactory(name="Centrale villageoise", category=category("energie"),
                   latitude=Decimal("50.6900"), longitude=Decimal("3.1800"))  # fmt: skip

    page.goto("/commons/map/")
    page.wait_for_selector("#commons-map[data-markers='6']")
    # The five gardens are one cluster that says how many it holds; the far one stays a marker.
    cluster = page.locator(".marker-cluster")
    assert cluster.count() == 1
    assert cluster.inner_text().strip() == "5"
    marker = page.locator("path.commons-marker")
    assert marker.count() == 1
    assert marker.get_attribute("fill") == "#b7791f"  # the colour of the energy category

    cluster.click()  # zooms in until the gardens come apart, each in its category's colour
    page.wait_for_function("document.querySelectorAll('path.commons-marker-jardins-alimentation')"
                           ".length === 5")  # fmt: skip
    fills = {
        m.get_attribute("fill")
        for m in page.locator("path.commons-marker-jardins-alimentation").all()
    }
    assert fills == {"#2e7d32"}
    assert problems == []
