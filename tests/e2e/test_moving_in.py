"""Moving in, in a real browser (issue 22): a new host on a database without demo data becomes
the first administrator with the one-time link, walks through /setup/, imports past attendance
with its preview, and sees the moving-in checklist follow; and the header with its Settings link
fits on one line from 1024 px and folds into a menu on a phone, without JavaScript."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from assembly.models import AssemblyConfiguration, FacilitatorInvitation, User
from tests.factories import PASSWORD, UserFactory
from workshops.models import Attendance, Meeting

from .conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

ATTENDANCE = (
    "date,nom,courriel\n"
    "26/01/2023,Camille Martin,camille@example.org\n"
    "26/01/2023,Noé Lefèvre,\n"
    "23/02/2023,Camille Martin,camille@example.org\n"
    "23/02/2023,Noé Lefèvre,\n"
)


def _setup_link_path() -> str:
    out = io.StringIO()
    call_command("setup_link", stdout=out)
    url = out.getvalue().strip().splitlines()[-1]
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _checklist_item(page, key):
    return page.locator(f'.moving-in [data-item="{key}"]')


def test_a_new_host_moves_in(page, tmp_path):
    assert not User.objects.exists()  # no demo data: the assembly starts empty

    # The operator prints the link; the host follows it and creates the first administrator.
    page.goto(_setup_link_path())
    page.get_by_label("Votre nom").fill("Camille Hôte")
    page.get_by_label("Adresse électronique").fill("hote@example.org")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("une phrase de passe solide")
    page.get_by_label("Mot de passe (confirmation)").fill("une phrase de passe solide")
    page.get_by_role("button", name="Créer le compte").click()
    page.wait_for_url("**/setup/")
    assert User.objects.get(email="hote@example.org").is_superuser

    # Who we are
    page.get_by_role("link", name="Commencer").click()
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Assemblée des Communs de Roubaix")
    page.get_by_label(re.compile(r"^Ville\W*$")).fill("Roubaix")
    page.get_by_label("Latitude de la ville").fill("50.6942")
    page.get_by_label("Longitude de la ville").fill("3.1746")
    expect(page.get_by_text("Europe/Paris")).to_be_visible()  # the operator's, read-only
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # The rhythm: the meetings it will create are shown, and created only once confirmed.
    page.wait_for_url("**/setup/rhythm/")
    page.get_by_label("Jour de la semaine").select_option("3")  # Thursday
    page.get_by_label("Semaine du mois").select_option("-1")  # the last one
    page.get_by_label("Heures de début").fill("12:00,18:00")
    page.get_by_role("button", name="Montrer les réunions qu’il créera").click()
    expect(page.locator(".rhythm-preview li")).to_have_count(3)
    assert not Meeting.objects.exists()
    page.get_by_role("button", name="Enregistrer le rythme et créer ces réunions").click()
    page.wait_for_url("**/setup/rules/")
    assert Meeting.objects.count() == 3

    # The rules: the card's values are there; keep them.
    expect(page.get_by_label("Séances nécessaires pour être membre")).to_have_value("2")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Facilitators: one invited by e-mail, listed as pending.
    page.wait_for_url("**/setup/facilitators/")
    page.get_by_label("Adresse électronique").fill("lea@example.org")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator(".pending-invitations")).to_contain_text("lea@example.org")
    assert FacilitatorInvitation.objects.get().email == "lea@example.org"
    page.get_by_role("link", name="Continuer").click()

    # The e-mail check says what happened.
    page.get_by_role("button", name="Envoyer un courriel de test à hote@example.org").click()
    expect(page.get_by_text("Le courriel de test est parti.")).to_be_visible()
    assert [message.to for message in mail.outbox][-1] == ["hote@example.org"]
    page.get_by_role("link", name="Continuer").click()

    # The checklist, then the end of the wizard.
    expect(_checklist_item(page, "facilitators")).to_have_class("checklist-item is-done")
    expect(_checklist_item(page, "history")).not_to_have_class("checklist-item is-done")
    page.get_by_role("button", name="Terminer la mise en place").click()
    page.wait_for_url("**/settings/")
    assert AssemblyConfiguration.get().set_up_at is not None
    expect(page.get_by_role("heading", level=1)).to_have_text("Paramètres")
    expect(_checklist_item(page, "setup")).to_have_class("checklist-item is-done")
    expect(page.locator(".settings-changes")).to_contain_text("Roubaix")

    # Home shows the same checklist: past attendance is still to bring in.
    page.goto("/")
    expect(page.locator(".brand")).to_have_text("Assemblée des Communs de Roubaix")
    history = _checklist_item(page, "history")
    expect(history).not_to_have_class("checklist-item is-done")

    # Past attendance, from the checklist: upload, preview (nothing written), apply.
    sheet = tmp_path / "presences.csv"
    sheet.write_text(ATTENDANCE, encoding="utf-8")
    history.get_by_role("link").click()
    page.locator('input[type="file"]').set_input_files(str(sheet))
    page.get_by_role("button", name="Envoyer et voir l’aperçu").click()
    expect(page.locator("form[action$='/apply/'] button")).to_be_visible()
    assert not Attendance.objects.exists()  # the preview writes nothing
    page.locator("form[action$='/apply/'] button").click()
    expect(page.locator("form[action$='/undo/']")).to_be_visible()
    assert Attendance.objects.count() == 4

    page.goto("/")
    expect(_checklist_item(page, "history")).to_have_class("checklist-item is-done")


def _boxes(page):
    return {
        name: page.locator(selector).bounding_box()
        for name, selector in {
            "brand": ".site-header .brand",
            "nav": ".site-header .main-nav",
            "search": ".site-header .site-search input",
            "account": ".site-header .account-nav",
        }.items()
    }


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_header_fits_on_one_line_for_an_administrator(browser, live_server, width):
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    log_in(page, "admin@example.org", PASSWORD)
    page.goto("/")

    boxes = _boxes(page)
    header = page.locator(".site-header").bounding_box()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / f"header-{width}.png"), clip={**header, "height": header["height"]}
    )
    middles = [box["y"] + box["height"] / 2 for box in boxes.values()]
    assert max(middles) - min(middles) < 12, boxes  # side by side, on one row
    assert boxes["brand"]["x"] < boxes["nav"]["x"] < boxes["search"]["x"] < boxes["account"]["x"]
    assert boxes["account"]["x"] + boxes["account"]["width"] <= width
    assert header["height"] < 90

    page.get_by_text("Mon compte").click()
    page.get_by_role("link", name="Paramètres").click()
    page.wait_for_url("**/settings/")
    context.close()


def test_on_a_phone_the_header_folds_into_a_menu_without_javascript(browser, live_server):
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False, **PHONE
    )
    page = context.new_page()
    log_in(page, "admin@example.org", PASSWORD)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Principale")

    folded = page.locator(".site-header").bounding_box()
    expect(nav.get_by_role("link", name="Communs")).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(nav.get_by_role("link", name="Communs")).to_be_visible()
    expect(page.get_by_role("link", name="Paramètres")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "header-390-open.png"))
    assert folded["height"] < 120
    page.get_by_role("link", name="Paramètres").click()
    page.wait_for_url("**/settings/")
    context.close()
