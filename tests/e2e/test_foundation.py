"""A newcomer's first visit, in a real browser: French home, switch to English, sign up, log in."""

import re

import pytest
from django.core import mail

from assembly.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_is_french_and_switches_to_english(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Aller au contenu").count() == 1
    assert (
        page.get_by_role("navigation", name="Principale")
        .get_by_role("link", name="Communs")
        .is_visible()
    )

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()

    page.wait_for_selector("html[lang=en]")
    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Commons").is_visible()
    )


def test_person_signs_up_verifies_email_and_logs_in(page):
    page.goto("/")
    page.get_by_role("link", name="S’inscrire").first.click()
    page.get_by_label("Votre nom").fill("Camille Dupont")
    page.get_by_label("Courriel").fill("camille@example.org")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("une-phrase-de-passe-solide")
    page.get_by_label("Mot de passe (confirmation)").fill("une-phrase-de-passe-solide")
    page.get_by_role("button", name="Création de compte").click()

    page.wait_for_url("**/accounts/confirm-email/")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("Mon compte").click()  # the account menu, folded from 64rem on
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill("camille@example.org")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("une-phrase-de-passe-solide")
    page.get_by_role("button", name="Connexion").click()
    page.get_by_text("Mon compte").click()
    page.get_by_role("link", name="Mon profil").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Mon profil"
    assert User.objects.get(email="camille@example.org").display_name == "Camille Dupont"
