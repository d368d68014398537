"""A newcomer turns on the map's network layer and sees a neighbour's commons in another colour,
then opens the network page's map; the layer is off until asked for."""

from decimal import Decimal

import pytest

from tests.commons_registry.factories import CommonsFactory
from tests.federation.factories import NeighbourCommonsFactory, NeighbourFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offline(page, live_server, settings):
    settings.MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    problems = []

    def only_live_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_live_server)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text and "img-src" not in message.text
            else None
        ),
    )
    return page, problems


def test_network_layer_is_off_by_default_and_shows_neighbours_commons(offline):
    page, problems = offline
    CommonsFactory(
        name="Jardin de Lillebonne", latitude=Decimal("50.63"), longitude=Decimal("3.06")
    )
    valenbrune = NeighbourFactory(name="Assemblée de Valenbrune")
    NeighbourCommonsFactory(neighbour=valenbrune, name="Repair café de Valenbrune",
                            latitude=50.70, longitude=3.16)  # fmt: skip
    NeighbourCommonsFactory(neighbour=valenbrune, name="Wiki voisin", latitude=None, longitude=None)

    page.goto("/commons/map/")
    page.wait_for_selector("#commons-map[data-markers='1']")
    toggle = page.get_by_label(
        "Couche réseau : afficher les communs des assemblées que nous suivons"
    )
    assert not toggle.is_checked()
    assert page.locator("path.network-marker").count() == 0
    assert page.locator("#network-legend").is_hidden()

    toggle.check()
    page.wait_for_selector("#commons-map[data-network-markers='1']")
    assert page.locator("#network-legend").is_visible()
    marker = page.locator("path.network-marker")
    assert marker.count() == 1
    assert marker.get_attribute("fill") == "#7b3fa0"
    marker.click(force=True)
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    assert "Assemblée de Valenbrune" in popup.inner_text()
    link = popup.get_by_role("link", name="Repair café de Valenbrune")
    assert link.get_attribute("href").startswith(valenbrune.base_url)

    toggle.uncheck()
    page.wait_for_function("document.querySelectorAll('path.network-marker').length === 0")

    page.goto("/network/")
    page.wait_for_selector("#network-map[data-markers='2']")
    assert page.locator("path.network-marker").count() == 1
    assert page.locator("path.network-marker-local").count() == 1
    assert problems == []
