import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.charter.factories import add_version, default_charter
from tests.decisions.factories import discussion, voting
from tests.factories import UserFactory
from tests.workshops.factories import AttendanceFactory, MeetingFactory, WorkshopFactory
from workshops import minutes
from workshops.models import Meeting

pytestmark = pytest.mark.usefixtures("warm_configuration")

NOW = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)


def assembly(days_ago: int, **kwargs) -> Meeting:
    starts = NOW - datetime.timedelta(days=days_ago)
    return MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3), **kwargs)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- The period covered --------------------------------------------------------------------------


@pytest.mark.django_db
def test_window_runs_from_the_end_of_the_previous_assembly(frozen):
    previous = assembly(35)
    assembly(20, status=Meeting.Status.CANCELLED, cancellation_reason="Snow")
    meeting = assembly(5)
    assert minutes.window_of(meeting) == minutes.Window(
        since=previous.ends_at, until=meeting.ends_at
    )


@pytest.mark.django_db
def test_window_of_the_first_assembly_has_no_start(frozen):
    meeting = assembly(5)
    assert minutes.window_of(meeting).since is None


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_minutes_hold_presence_plenary_and_workshops(client, frozen):
    meeting = assembly(5, plenary_notes="We **ate** soup.")
    listed = UserFactory(display_name="Hélène Listed", listed=True)
    unlisted = UserFactory(display_name="Secret Person", listed=False)
    AttendanceFactory(meeting=meeting, person=listed)
    workshop = WorkshopFactory(meeting=meeting, title="Seed library", notes="We *swapped* seeds.")
    AttendanceFactory(meeting=meeting, person=unlisted, workshop=workshop)
    AttendanceFactory(meeting=meeting, person=listed, workshop=workshop)
    WorkshopFactory(meeting=meeting, title="Hidden spam", hidden=True)
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "Hélène Listed" in page
    assert "Secret Person" not in page
    assert "<strong>ate</strong>" in page
    assert "Seed library" in page and "<em>swapped</em>" in page
    assert workshop.proposed_by.display_name in page
    assert "2 people present" in page or "2 personnes présentes" in page
    assert "Hidden spam" not in page


@pytest.mark.django_db
def test_minutes_list_decisions_and_charter_versions_of_the_period_only(client, frozen):
    assembly(35)
    meeting = assembly(5)
    discussion(title="Old cargo bike", now=NOW - datetime.timedelta(days=60))
    discussion(title="New oven", now=NOW - datetime.timedelta(days=20))
    voting(title="Voted roof", now=NOW - datetime.timedelta(days=10))
    add_version(default_charter(), now=NOW - datetime.timedelta(days=15), note="In")
    add_version(default_charter(), now=NOW - datetime.timedelta(days=50), note="Out")
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "New oven" in page and "Voted roof" in page
    assert "Old cargo bike" not in page
    charter = default_charter()
    in_window = charter.versions.get(note="In")
    out_of_window = charter.versions.get(note="Out")
    assert in_window.get_absolute_url() in page
    assert out_of_window.get_absolute_url() not in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_minutes_query_count_is_constant(client, django_assert_num_queries, frozen, count):
    meeting = assembly(5)
    for number in range(count):
        workshop = WorkshopFactory(meeting=meeting, notes=f"Notes {number}")
        AttendanceFactory(meeting=meeting, workshop=workshop)
        discussion(title=f"Decision {number}", now=NOW - datetime.timedelta(days=10))
        add_version(default_charter(), now=NOW - datetime.timedelta(days=9))
    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:minutes", args=[meeting.pk]))
    assert response.content.decode().count('class="minutes-workshop"') == count


@pytest.mark.django_db
def test_the_meeting_board_links_to_its_minutes(client, frozen):
    meeting = assembly(5)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:minutes", args=[meeting.pk]) in page


# --- The Markdown export -------------------------------------------------------------------------


@pytest.mark.django_db
def test_facilitators_download_the_minutes_as_markdown(facilitator_client, frozen):
    meeting = assembly(5, plenary_notes="We *ate* <soup>.")
    WorkshopFactory(meeting=meeting, title="Seed library", notes="Seeds & beans.")
    discussion(title="New oven", now=NOW - datetime.timedelta(days=8))
    response = facilitator_client.get(reverse("meetings:minutes-markdown", args=[meeting.pk]))
    text = response.content.decode()
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "We *ate* <soup>." in text
    assert "### Seed library" in text and "Seeds & beans." in text
    assert "**New oven**" in text


@pytest.mark.django_db
def test_the_minutes_page_offers_the_download_to_facilitators_only(facilitator_client, frozen):
    meeting = assembly(5)
    url = reverse("meetings:minutes-markdown", args=[meeting.pk])
    minutes_url = reverse("meetings:minutes", args=[meeting.pk])
    assert url in facilitator_client.get(minutes_url).content.decode()
    assert url not in Client().get(minutes_url).content.decode()


@pytest.mark.django_db
def test_markdown_export_is_refused_to_participants(person_client, frozen):
    meeting = assembly(5)
    response = person_client.get(reverse("meetings:minutes-markdown", args=[meeting.pk]))
    assert response.status_code == 403
