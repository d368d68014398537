"""A live assembly (issue "Half a gigabyte", item 4): a tick at the door and the membership
recompute that follows it renew only the pages that read attendance or membership — the board,
the check-in sheet, /me/ — never the charter, the commons or the decisions (versions per table,
assembly/page_cache/reads.py); and a recompute that changes no row renews nothing."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assembly import page_cache
from assembly.models import AssemblyConfiguration, User
from config.celery import app as celery_app
from tests.charter.factories import add_version, default_charter
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import (
    AttendanceFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops import membership

NOTES_FORM = 'id="id_notes"'


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.fixture
def live_assembly(monkeypatch, within_one_minute):
    """Tonight's assembly, begun, with a workshop and a member signed up; a person who attended
    one meeting this year (the tick makes them eligible: the recompute changes their row); a
    charter of two versions, a commons, a discussion and an open vote."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    AssemblyConfiguration.get()
    now = timezone.now()
    meeting = PastMeetingFactory(
        title="Assemblée de ce soir", starts_at=now - datetime.timedelta(hours=1)
    )
    workshop = WorkshopFactory(meeting=meeting, title="Atelier vélo")
    arriving = UserFactory(display_name="Camille Arrivée")
    AttendanceFactory(
        person=arriving, meeting=PastMeetingFactory(starts_at=now - datetime.timedelta(days=30))
    )
    membership.recompute(person_ids=[arriving.pk], notify=False)
    member = MemberFactory()
    SignupFactory(workshop=workshop, person=member)
    add_version(default_charter())
    add_version(default_charter())
    commons = CommonsFactory()
    return {
        "meeting": meeting,
        "arriving": arriving,
        "member": member,
        "facilitator": FacilitatorFactory(),
        "commons": commons,
        "discussion": discussion(),
        "vote": voting(author=member),
    }


def _tick(facilitator, meeting, person):
    door = Client()
    door.force_login(facilitator)
    answer = door.post(
        reverse("meetings:tick", args=[meeting.pk]),
        {"person": person.pk, "client_id": str(uuid.uuid4())},
        HTTP_ACCEPT="application/json",
    )
    assert answer.json()["status"] == "recorded"


def _present(door, sheet) -> str:
    """The check-in sheet's list of the people present."""
    page = door.get(sheet).content.decode()
    return page[page.index('id="attendance-present"') :].split("</section>")[0]


def _kept_pages(live) -> list[str]:
    return [
        reverse("charter:current"),
        reverse("charter:versions"),
        reverse("charter:diff", args=[1, 2]),
        reverse("commons:directory"),
        reverse("commons:map"),
        live["commons"].get_absolute_url(),
        reverse("decisions:list"),
        reverse("decisions:detail", args=[live["discussion"].pk]),
        reverse("decisions:detail", args=[live["vote"].pk]),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_tick_and_its_recompute_renew_neither_charter_nor_commons_nor_decisions(live_assembly):
    live = live_assembly
    visitor, member = Client(), Client()
    member.force_login(live["member"])
    pages = _kept_pages(live)
    signed_in_pages = [
        reverse("decisions:list"),
        reverse("decisions:detail", args=[live["vote"].pk]),
    ]
    for url in pages:
        visitor.get(url)
        assert _queries(visitor, url)[0] == 0, f"{url} is kept before the tick"
    kept = {}
    for url in signed_in_pages:
        member.get(url)
        kept[url] = _queries(member, url)[0]
    before = User.objects.get(pk=live["arriving"].pk).eligible_until

    _tick(live["facilitator"], live["meeting"], live["arriving"])

    # The recompute ran after the tick's commit and changed the person's row.
    assert User.objects.get(pk=live["arriving"].pk).eligible_until != before
    for url in pages:
        assert _queries(visitor, url)[0] == 0, f"{url} was rendered again after a tick"
    for url in signed_in_pages:
        assert _queries(member, url)[0] == kept[url], f"{url}'s kept parts renewed by a tick"


@pytest.mark.django_db(transaction=True)
def test_the_board_the_sheet_and_me_show_the_tick_at_once(live_assembly):
    live = live_assembly
    meeting, arriving = live["meeting"], live["arriving"]
    person = Client()
    person.force_login(arriving)
    board = reverse("meetings:detail", args=[meeting.pk])
    sheet = reverse("meetings:attendance", args=[meeting.pk])
    door = Client()
    door.force_login(live["facilitator"])
    assert NOTES_FORM not in _queries(person, board)[1]
    assert NOTES_FORM not in _queries(person, board)[1]
    assert meeting.title not in _queries(person, reverse("me"))[1]
    assert "Camille Arrivée" not in _present(door, sheet)

    _tick(live["facilitator"], meeting, arriving)

    # Who took part may write the plenary notes: the board asks again.
    assert NOTES_FORM in _queries(person, board)[1]
    assert meeting.title in _queries(person, reverse("me"))[1]
    assert "Camille Arrivée" in _present(door, sheet)


@pytest.mark.django_db(transaction=True)
def test_a_recompute_that_changes_no_row_renews_nothing(live_assembly):
    live = live_assembly
    membership.recompute(notify=False)
    people = ("assembly_user", "assembly_user:membership")
    before, before_people = page_cache.content_version(), page_cache.content_version(people)

    report = membership.recompute(notify=True)
    membership.recompute(person_ids=[live["arriving"].pk, live["member"].pk])

    assert report.changed == 0
    assert page_cache.content_version() == before
    assert page_cache.content_version(people) == before_people


@pytest.mark.django_db(transaction=True)
def test_a_recompute_that_changes_a_row_renews_membership_and_not_names(live_assembly):
    live = live_assembly
    AttendanceFactory(person=live["arriving"], meeting=live["meeting"])
    names = ("assembly_user",)
    dates = ("assembly_user:membership",)
    before_names = page_cache.content_version(names)
    before_dates = page_cache.content_version(dates)

    report = membership.recompute(person_ids=[live["arriving"].pk], notify=False)

    assert report.changed == 1
    assert page_cache.content_version(names) == before_names
    assert page_cache.content_version(dates) != before_dates
