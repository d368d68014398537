"""Services that keep meetings and venues: create, update, cancel, reinstate, save a venue."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.concurrency import needs_postgresql, run_together
from tests.workshops.factories import MeetingFactory, PastMeetingFactory, VenueFactory
from tests.workshops.test_services import enqueued_tasks
from workshops import services
from workshops.models import Meeting, Rhythm, Venue, Workshop


def _times(days=10, hours=3):
    starts = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return starts, starts + datetime.timedelta(hours=hours)


@pytest.mark.django_db
def test_create_meeting_assembly_gets_its_initiation_workshop():
    rhythm = Rhythm.get()
    rhythm.initiation_title = "Découvrir les communs"
    rhythm.save()
    starts, ends = _times()
    venue = VenueFactory()
    meeting = services.create_meeting(
        kind=Meeting.Kind.ASSEMBLY,
        title="  Assemblée extraordinaire ",
        starts_at=starts,
        ends_at=ends,
        venue=venue,
        plenary_notes="Budget",
    )
    assert (meeting.title, meeting.venue, meeting.plenary_notes, meeting.planned_for) == (
        "Assemblée extraordinaire",
        venue,
        "Budget",
        None,
    )
    assert list(meeting.workshops.values_list("title", "is_initiation")) == [
        ("Découvrir les communs", True)
    ]


@pytest.mark.django_db
def test_create_meeting_coworking_has_no_initiation():
    starts, ends = _times()
    meeting = services.create_meeting(
        kind=Meeting.Kind.COWORKING, title="Coworking", starts_at=starts, ends_at=ends
    )
    assert meeting.workshops.count() == 0
    assert meeting.status == Meeting.Status.PLANNED


@pytest.mark.django_db
def test_create_meeting_ending_before_it_starts_is_refused():
    starts, ends = _times()
    with pytest.raises(services.WorkshopError):
        services.create_meeting(kind="other", title="X", starts_at=ends, ends_at=starts)
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_update_meeting_changes_fields():
    meeting = MeetingFactory(kind=Meeting.Kind.OTHER)
    venue = VenueFactory()
    starts, ends = _times(days=20, hours=2)
    services.update_meeting(meeting, title="Réunion", starts_at=starts, ends_at=ends, venue=venue)
    meeting.refresh_from_db()
    assert (meeting.title, meeting.starts_at, meeting.ends_at, meeting.venue) == (
        "Réunion",
        starts,
        ends,
        venue,
    )


@pytest.mark.django_db
def test_update_meeting_into_assembly_adds_one_initiation():
    meeting = MeetingFactory(kind=Meeting.Kind.COWORKING)
    services.update_meeting(meeting, kind=Meeting.Kind.ASSEMBLY)
    services.update_meeting(meeting, kind=Meeting.Kind.ASSEMBLY, title="Again")
    assert Workshop.objects.filter(meeting=meeting, is_initiation=True).count() == 1


@pytest.mark.django_db
def test_update_meeting_ending_before_it_starts_changes_nothing():
    meeting = MeetingFactory()
    before = (meeting.starts_at, meeting.ends_at)
    with pytest.raises(services.WorkshopError):
        services.update_meeting(meeting, ends_at=meeting.starts_at)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == before


@pytest.mark.django_db
def test_cancel_meeting_enqueues_notices_once_after_commit(django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cancel_meeting(meeting, "Salle inondée")
        services.cancel_meeting(meeting, "Salle inondée, désolé")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancellation_reason) == (
        Meeting.Status.CANCELLED,
        "Salle inondée, désolé",
    )
    assert enqueued_tasks(callbacks) == [
        ("workshops.send_cancellation_notices", {"meeting_id": meeting.pk})
    ]


@pytest.mark.django_db
def test_cancel_meeting_that_is_over_is_refused(django_capture_on_commit_callbacks):
    meeting = PastMeetingFactory()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(services.WorkshopError),
    ):
        services.cancel_meeting(meeting, "Too late")
    meeting.refresh_from_db()
    assert (meeting.status, enqueued_tasks(callbacks)) == (Meeting.Status.PLANNED, [])


@pytest.mark.django_db
def test_reinstate_meeting_plans_it_again():
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Oops")
    services.reinstate_meeting(meeting)
    services.reinstate_meeting(meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancellation_reason) == (Meeting.Status.PLANNED, "")


@pytest.mark.django_db
def test_save_venue_creates_then_updates():
    venue = services.save_venue(
        name=" Maison des communs ",
        address="3 rue Colbert",
        latitude=Decimal("50.629200"),
        longitude=Decimal("3.057300"),
        has_projector=True,
    )
    services.save_venue(venue, accessibility="Rampe d'accès", has_whiteboard=True)
    venue.refresh_from_db()
    assert (venue.name, venue.accessibility, venue.offers) == (
        "Maison des communs",
        "Rampe d'accès",
        ["tableau blanc", "vidéoprojecteur"],
    )


@pytest.mark.django_db
def test_save_venue_with_one_coordinate_is_refused():
    with pytest.raises(services.WorkshopError):
        services.save_venue(name="Half", latitude=Decimal("50"))
    assert Venue.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_update_meeting_into_assembly_concurrently_adds_one_initiation():
    needs_postgresql()
    meeting = MeetingFactory(kind=Meeting.Kind.COWORKING)
    errors = run_together(
        *(lambda: services.update_meeting(meeting, kind=Meeting.Kind.ASSEMBLY) for _ in range(3))
    )

    assert errors == [None] * 3
    assert Workshop.objects.filter(meeting=meeting, is_initiation=True).count() == 1
