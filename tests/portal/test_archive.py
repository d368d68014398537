"""The static archive of the public record: built from the demo assembly, every link and source
resolves to a file inside it, no page holds a form or a CSRF token, and nothing private is in it."""

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from lxml import html as lxml_html

from assembly.page_cache import ARCHIVE_REQUEST
from decisions import services as decisions
from decisions.models import Decision
from portal.archive import ArchiveError, build_archive
from tests.decisions.factories import MemberFactory
from tests.factories import FacilitatorFactory, UserFactory
from workshops.demo import CONTENT as WORKSHOP_DEMO

PRIVATE_EMAIL = "only-the-member-knows-this@example.org"
HIDDEN_COMMENT = "A hidden comment nobody outside the facilitators reads 7f3a"
LINKS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"))


def seed(facilitator_email="archive-facilitator@example.org"):
    # A transactional test may have flushed the categories a data migration creates.
    import_module("commons_registry.migrations.0003_seed_categories").create_categories(
        django_apps, None
    )
    call_command("seed_demo", "--force", stdout=io.StringIO())
    member = MemberFactory(email=PRIVATE_EMAIL, display_name="Camille Archive")
    decision = Decision.objects.filter(phase=Decision.Phase.DISCUSSION).first()
    comment = decisions.add_comment(decision, author=member, text=HIDDEN_COMMENT)
    decisions.hide_comment(comment, by=FacilitatorFactory(email=facilitator_email))
    return decision


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo assembly archived once for this module, then rolled back."""
    output = tmp_path_factory.mktemp("archive") / "site"
    with django_db_blocker.unblock(), transaction.atomic():
        decision = seed()
        report = build_archive(output)
        transaction.set_rollback(True)
    return output, report, decision


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def every_file(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_the_archive_holds_every_kind_of_public_page(archive):
    root, report, decision = archive

    assert (root / "index.html").is_file()
    assert (root / "commons" / "index.html").is_file()
    assert (root / "commons" / "map" / "index.html").is_file()
    assert list((root / "commons").glob("*/history/index.html"))
    assert (root / "meetings" / "index.html").is_file()
    assert list((root / "meetings").glob("*/minutes/index.html"))
    assert list((root / "workshops").glob("*/index.html"))
    assert (root / "decisions" / str(decision.pk) / "index.html").is_file()
    assert list((root / "charter" / "versions").glob("*/index.html"))
    assert list((root / "charter" / "diff").glob("*/*/index.html"))
    assert (root / "chantiers" / "index.html").is_file()
    assert (root / "budget" / "index.html").is_file()
    assert (root / "feeds" / "decisions.atom").is_file()
    assert (root / "calendar.ics").is_file()
    assert (root / "commons" / "export.geojson").is_file()
    assert report.languages == ["fr", "en"]
    assert report.pages > 100


def test_every_href_and_src_resolves_to_a_file_inside_the_archive(archive):
    root, _report, _decision = archive
    inside = root.resolve()
    broken = []
    for page in html_files(root):
        tree = lxml_html.fromstring(page.read_bytes())
        for tag, attribute in LINKS:
            for element in tree.iter(tag):
                value = element.get(attribute)
                if value is None:
                    continue
                if element.get("rel") == "canonical":
                    # The one link to the live site: the page's own address there.
                    assert value.startswith(settings.SITE_URL), (page, value)
                    continue
                if value.startswith(("https://", "http://", "mailto:", "#")):
                    # Other sites (a commons' website), never the live one.
                    assert not value.startswith(settings.SITE_URL), (page, value)
                    continue
                target = (page.parent / value.partition("#")[0]).resolve()
                if not target.is_file() or not target.is_relative_to(inside):
                    broken.append(f"{page.relative_to(root)}: {value}")
    assert broken == []


def test_no_online_link_is_anywhere_in_it(archive):
    """The demo's hybrid workshop (workshops/demo/content.toml) keeps its visio link for the
    people signed up: the archive is what an anonymous visitor sees."""
    root, _report, _decision = archive
    links = [p["online_link"] for p in WORKSHOP_DEMO["upcoming_proposals"] if "online_link" in p]
    assert links

    for path in every_file(root):
        data = path.read_bytes()
        assert not any(link.encode() in data for link in links), path


def test_no_page_holds_a_form_a_csrf_token_or_a_sign_in_link(archive):
    root, _report, _decision = archive

    for page in html_files(root):
        text = page.read_text(encoding="utf-8")
        assert "<form" not in text, page
        assert "csrf" not in text.lower(), page
        assert "/accounts/" not in text, page
        assert "hx-" not in text, page
    assert not (root / "accounts").exists()
    assert not (root / "subscribe").exists()


def test_nothing_private_is_anywhere_in_it(archive):
    root, _report, _decision = archive

    for path in every_file(root):
        data = path.read_bytes()
        assert PRIVATE_EMAIL.encode() not in data, path
        assert HIDDEN_COMMENT.encode() not in data, path


def test_pages_need_no_javascript_except_the_map(archive):
    root, _report, _decision = archive

    with_scripts = {
        page.relative_to(root).as_posix()
        for page in html_files(root)
        if "<script" in page.read_text(encoding="utf-8")
    }

    assert with_scripts
    assert {re.sub(r"^(en/)?commons/map/.*", "map", name) for name in with_scripts} == {"map"}


def test_the_map_reads_its_commons_from_a_script_file_with_links_inside_the_archive(archive):
    root, _report, _decision = archive
    page = root / "commons" / "map" / "index.html"

    tree = lxml_html.fromstring(page.read_bytes())
    sources = [script.get("src") for script in tree.iter("script") if script.get("src")]
    data_script = (page.parent / "index.map-data.js").read_text(encoding="utf-8")
    prefix = "window.assembleeCommonsMap = "
    data = json.loads(data_script.removeprefix(prefix).rstrip().removesuffix(";"))

    assert "index.map-data.js" in sources
    assert sources.index("index.map-data.js") < sources.index("../../static/js/commons-map.js")
    assert "../../static/vendor/leaflet/leaflet.js" in sources
    assert (root / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    assert data_script.startswith(prefix)
    assert len(data["features"]) > 5
    for feature in data["features"]:
        assert (page.parent / feature["properties"]["url"]).resolve().is_file()


def test_the_other_language_sits_beside_with_links_between_them(archive):
    root, _report, _decision = archive

    english = (root / "en" / "commons" / "index.html").read_text(encoding="utf-8")
    french = (root / "commons" / "index.html").read_text(encoding="utf-8")

    assert '<html lang="en">' in english and '<html lang="fr">' in french
    assert 'href="../../commons/index.html" lang="fr"' in english
    assert 'href="../en/commons/index.html" lang="en"' in french
    assert "Commons" in english


def test_canonical_urls_name_the_live_pages(archive):
    root, _report, decision = archive

    page = (root / "decisions" / str(decision.pk) / "index.html").read_text(encoding="utf-8")

    assert f'<link rel="canonical" href="{settings.SITE_URL}/decisions/{decision.pk}/">' in page


@pytest.mark.django_db(transaction=True)
def test_a_zip_and_two_processes_give_the_same_pages(tmp_path):
    UserFactory()
    with translation.override("fr"):
        folder = build_archive(tmp_path / "one", processes=1)
        # English pages were the last asked for, in this thread: the caller's language is back.
        assert translation.get_language() == "fr"

    # Two forked processes from a single-threaded `manage.py archive`, as an operator runs it:
    # forking this test process (pytest-xdist's and the browser tests' threads) could deadlock.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
    }
    subprocess.run(
        [sys.executable, "manage.py", "archive", "--output", str(tmp_path / "archive.zip"),
         "--processes", "2"],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip

    with zipfile.ZipFile(tmp_path / "archive.zip") as archive:
        names = set(archive.namelist())
    in_folder = {
        path.relative_to(tmp_path / "one").as_posix() for path in every_file(tmp_path / "one")
    }
    assert names == in_folder
    assert {"index.html", "en/index.html", "static/css/assemblee.css"} <= names
    assert sum(1 for name in names if name.endswith(".html")) >= folder.pages


@pytest.mark.django_db
def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "kept.txt").write_text("mine")

    with pytest.raises(ArchiveError, match="not empty"):
        build_archive(tmp_path)

    assert [path.name for path in tmp_path.iterdir()] == ["kept.txt"]


@pytest.mark.django_db
def test_the_archive_asks_past_the_page_cache_and_keeps_nothing_in_it(client):
    client.get("/commons/", **{ARCHIVE_REQUEST: "1"})
    archived_keys = [
        key for key in cache._cache if "page-cache:" in key and "content-version" not in key
    ]
    client.get("/commons/")
    visitor_keys = [
        key for key in cache._cache if "page-cache:" in key and "content-version" not in key
    ]

    assert archived_keys == []
    assert visitor_keys != []
