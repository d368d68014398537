"""Journeys through /me/: a member sees until when, a newcomer how many sessions are missing,
and an eligible person declares themselves a member with one click."""

import datetime

import pytest
from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation

from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory
from tests.membership.factories import attend
from workshops import membership

pytestmark = pytest.mark.django_db(transaction=True)


def days_ago(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def in_french(day: datetime.date) -> str:
    with translation.override("fr"):
        return format_date(day, "j F Y")


def test_member_sees_until_when_membership_holds(page):
    person = UserFactory(email="member@example.org", display_name="Maxime Membre")
    attend(person, days_ago(60), days_ago(30))
    membership.declare(person)
    until = (timezone.localdate() - datetime.timedelta(days=60)) + datetime.timedelta(days=365)

    log_in(page, "member@example.org", PASSWORD)
    page.goto("/me/")

    status = page.locator("#membership-status")
    assert status.inner_text() == f"Vous êtes membre jusqu'au {in_french(until)}."
    assert page.get_by_role("heading", name="Mon adhésion").is_visible()
    assert page.get_by_role(
        "cell", name=in_french(timezone.localdate() - datetime.timedelta(days=30))
    ).is_visible()


def test_newcomer_sees_one_more_session_needed(page):
    person = UserFactory(email="newcomer@example.org", display_name="Noé Nouveau")
    attend(person, days_ago(10))

    log_in(page, "newcomer@example.org", PASSWORD)
    page.goto("/me/")

    assert page.locator("#membership-status").inner_text() == "Encore 1 séance nécessaire"
    assert page.get_by_role("button", name="Me déclarer membre").count() == 0


def test_eligible_person_declares_with_one_click(page):
    person = UserFactory(email="eligible@example.org")
    attend(person, days_ago(40), days_ago(5))
    membership.recompute(person_ids=[person.pk], notify=False)

    log_in(page, "eligible@example.org", PASSWORD)
    page.goto("/me/")
    assert page.get_by_role("link", name="la charte").get_attribute("href") == "/charter/"
    page.get_by_role("button", name="Me déclarer membre").click()

    assert page.get_by_role("status").inner_text().startswith("Vous êtes maintenant membre")
    assert page.locator("#membership-status").inner_text().startswith("Vous êtes membre jusqu'au")
    person.refresh_from_db()
    assert person.is_member()
