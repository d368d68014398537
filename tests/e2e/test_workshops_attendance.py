"""A facilitator at the door, on a phone, ticks two known people and registers a walk-in."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.workshops_helpers import sign_in
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import MeetingFactory, WorkshopFactory
from workshops.models import Attendance


@pytest.mark.django_db(transaction=True)
def test_facilitator_records_three_people_on_a_phone(live_server, phone_page):
    page = phone_page
    starts = timezone.now() - datetime.timedelta(minutes=20)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    initiation = WorkshopFactory(
        meeting=meeting, title="Initiation aux communs", is_initiation=True, proposed_by=None
    )
    camille = UserFactory(display_name="Camille Dupont")
    dominique = UserFactory(display_name="Dominique Martin")
    facilitator = FacilitatorFactory()

    sign_in(page, facilitator, live_server.url)
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille de présence")

    search = page.get_by_label("Nom ou e-mail")
    search.press_sequentially("Cami")
    row = page.locator("#attendance-results li", has_text="Camille Dupont")
    row.get_by_role("button", name="Présent·e").click()
    expect(page.locator("#attendance-results li", has_text="Camille Dupont")).to_contain_text(
        "✓ présent·e"
    )
    expect(page.locator("#attendance-present h2")).to_have_text("1 personne présente")

    # A pasted or autofilled name (no key events) filters the list too.
    search.fill("Domin")
    row = page.locator("#attendance-results li", has_text="Dominique Martin")
    row.get_by_label("Où était Dominique Martin ?").select_option(label=initiation.title)
    row.get_by_role("button", name="Présent·e").click()
    row = page.locator("#attendance-results li", has_text="Dominique Martin")
    expect(row).to_contain_text("✓ Initiation aux communs")
    # A double tap records nothing more.
    row.get_by_label("Où était Dominique Martin ?").select_option(label=initiation.title)
    row.get_by_role("button", name="Présent·e").click()
    expect(row.locator(".badge", has_text="Initiation aux communs")).to_have_count(1)

    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Zoé Nouvelle")
    page.get_by_label("E-mail (facultatif)").fill("zoe@example.org")
    page.get_by_role("button", name="Enregistrer et cocher présent·e").click()
    expect(
        page.get_by_text("Bienvenue, Zoé Nouvelle ! Enregistré·e et coché·e présent·e.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="3 personnes présentes")).to_be_visible()

    assert sorted(
        (a.person.display_name, a.workshop_id) for a in Attendance.objects.select_related("person")
    ) == [("Camille Dupont", None), ("Dominique Martin", initiation.pk), ("Zoé Nouvelle", None)]
    assert {a.person_id for a in Attendance.objects.all()} >= {camille.pk, dominique.pk}
    assert all(a.recorded_by == facilitator for a in Attendance.objects.all())
