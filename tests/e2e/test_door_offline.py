"""At the door on bad Wi-Fi: the sheet opens offline from the service worker, five ticks and a
walk-in wait on the phone, and when the connection returns each is recorded exactly once, even
when the phone's queue is sent again, and a tick undone since stays undone."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assembly.models import User
from tests.e2e.workshops_helpers import sign_in
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops.models import Attendance


def _door(facilitator):
    """A meeting under way: two people signed up to the compost workshop (one of whom hosts
    it), and three regulars of the last meetings."""
    starts = timezone.now() - datetime.timedelta(minutes=20)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    compost = WorkshopFactory(meeting=meeting, title="Compost", proposed_by=None)
    signed_up = [
        SignupFactory(workshop=compost, person=UserFactory(display_name=name)).person
        for name in ("Hélène Arnaud", "Bastien Roy")
    ]
    last_month = PastMeetingFactory()
    regulars = [
        AttendanceFactory(meeting=last_month, person=UserFactory(display_name=name)).person
        for name in ("Chloé Morel", "Driss Benali", "Emma Petit")
    ]
    return meeting, compost, signed_up + regulars


def _queue(page, meeting):
    return json.loads(page.evaluate(f"localStorage.getItem('assemblee.door.{meeting.pk}')") or "[]")


@pytest.mark.django_db(transaction=True)
def test_offline_ticks_and_walk_in_are_recorded_once_when_back_online(live_server, phone_page):
    page = phone_page
    facilitator = FacilitatorFactory()
    meeting, compost, people = _door(facilitator)
    sign_in(page, facilitator, live_server.url)

    page.goto(f"/meetings/{meeting.pk}/attendance/")
    # Wait until the service worker controls the page (page.evaluate is not subject to the CSP,
    # unlike a polled wait_for_function string).
    page.evaluate(
        """() => new Promise((resolve) => {
            if (navigator.serviceWorker.controller) return resolve(true);
            navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
        })"""
    )
    page.reload()  # now through the service worker, which keeps a copy of the sheet

    page.context.set_offline(True)
    page.reload()  # the sheet opens with no connection
    expect(page.locator("#door-offline")).to_be_visible()
    for person in people:
        page.locator(f"#person-{person.pk} .tick-form button").click()
    walk_in = page.locator(".walk-in-form")
    walk_in.locator("[name=display_name]").fill("Farid Nouveau")
    walk_in.locator("select[name=workshop]").select_option(label="Compost")
    walk_in.locator("button[type=submit]").click()

    waiting = page.locator("#door-queue li.door-waiting")
    expect(waiting).to_have_count(6)
    expect(waiting.first).to_contain_text("Hélène Arnaud · Compost")
    assert Attendance.objects.filter(meeting=meeting).count() == 0
    sent_before = _queue(page, meeting)

    page.context.set_offline(False)
    expect(page.locator("#door-queue li.door-recorded")).to_have_count(6)
    expect(page.locator("#attendance-present h2")).to_contain_text("6")

    farid = User.objects.get(display_name="Farid Nouveau")
    expected = sorted(
        [(people[0].pk, compost.pk), (people[1].pk, compost.pk)]
        + [(person.pk, None) for person in people[2:]]
        + [(farid.pk, compost.pk)]
    )

    def recorded():
        return sorted(Attendance.objects.filter(meeting=meeting).values_list("person", "workshop"))

    assert recorded() == expected
    assert Attendance.objects.exclude(client_id=None).count() == 6

    # The same queue sent again (a replay, or a phone that never heard back) counts nobody twice.
    page.evaluate(
        f"localStorage.setItem('assemblee.door.{meeting.pk}', {json.dumps(json.dumps(sent_before))});"
        "window.dispatchEvent(new Event('online'));"
    )
    expect(page.locator("#door-queue li.door-already")).to_have_count(6)
    assert recorded() == expected
    assert User.objects.filter(display_name="Farid Nouveau").count() == 1

    # Emma was ticked by mistake and is undone; the queue replayed once more leaves her undone.
    emma = people[4]
    present = page.locator("#attendance-present li")
    present.filter(has_text="Emma Petit").locator("button").click()  # Undo
    expect(present.filter(has_text="Emma Petit")).to_have_count(0)
    expect(present).to_have_count(5)
    assert recorded() == [row for row in expected if row[0] != emma.pk]
    page.evaluate(
        f"localStorage.setItem('assemblee.door.{meeting.pk}', {json.dumps(json.dumps(sent_before))});"
        "window.dispatchEvent(new Event('online'));"
    )
    expect(page.locator("#door-queue li.door-already")).to_have_count(6)
    assert recorded() == [row for row in expected if row[0] != emma.pk]


@pytest.mark.django_db(transaction=True)
def test_a_refused_tick_stays_listed_with_its_reason(live_server, phone_page):
    page = phone_page
    facilitator = FacilitatorFactory()
    meeting, _compost, people = _door(facilitator)
    sign_in(page, facilitator, live_server.url)
    page.goto(f"/meetings/{meeting.pk}/attendance/")

    page.context.set_offline(True)
    page.locator(f"#person-{people[2].pk} .tick-form button").click()
    expect(page.locator("#door-queue li.door-waiting")).to_have_count(1)
    # Meanwhile, from another phone, the meeting is cancelled.
    type(meeting).objects.filter(pk=meeting.pk).update(
        status="cancelled", cancellation_reason="Salle inondée"
    )
    page.context.set_offline(False)

    refused = page.locator("#door-queue li.door-refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Chloé Morel")
    assert Attendance.objects.filter(meeting=meeting).count() == 0
    page.reload()
    expect(page.locator("#door-queue li.door-refused")).to_have_count(1)
