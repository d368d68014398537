"""The static archive in a real browser, from `file://` as from a USB stick: the map draws its
commons from the script file with the vendored Leaflet, and the archived pages pass the same axe
check as the live ones (tests/e2e/test_accessibility.py)."""

import pytest
from playwright.sync_api import expect

from portal.archive import build_archive
from tests.e2e.test_accessibility import AXE, BLOCKING, WCAG_AA, arrange

PAGES = [
    "index.html",
    "commons/index.html",
    "commons/map/index.html",
    "meetings/index.html",
    "decisions/index.html",
    "charter/versions/index.html",
    "charter/diff/1/2/index.html",
    "en/index.html",
]


def serious_violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{url}: [{v['impact']}] {v['id']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.django_db(transaction=True)
def test_the_archive_reads_from_a_usb_stick_and_passes_the_axe_check(browser, tmp_path):
    _member, urls = arrange()
    root = tmp_path / "stick"
    build_archive(root)
    # A date poll is shared by its link only (nothing public links to it): it stays out.
    detail_pages = [url.strip("/") + "/index.html" for key, url in urls.items() if key != "poll"]
    assert not (root / urls["poll"].strip("/") / "index.html").exists()
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)

    try:
        page.goto((root / "commons" / "map" / "index.html").as_uri())
        expect(page.locator("#commons-map")).to_have_attribute("data-markers", "1")
        page.locator(".commons-marker").first.click(force=True)
        page.locator(".commons-popup-title a").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Jardin des Axes")
        assert page.url.startswith("file://") and page.url.endswith("/index.html")

        problems = []
        for path in PAGES + detail_pages:
            assert (root / path).is_file(), path
            problems += serious_violations(page, (root / path).as_uri())
    finally:
        context.close()

    assert problems == [], "\n".join(problems)
