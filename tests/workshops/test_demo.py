import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from assembly import merging
from assembly.models import User
from assembly.people import likely_duplicates
from workshops.models import Attendance, Meeting, Workshop, WorkshopSignup


def counts():
    return (
        Meeting.objects.count(),
        Workshop.objects.count(),
        Attendance.objects.count(),
        WorkshopSignup.objects.count(),
        User.objects.count(),
    )


def sessions_in_last_year(email):
    since = timezone.now() - datetime.timedelta(days=365)
    return (
        Attendance.objects.filter(person__email=email, meeting__starts_at__gte=since)
        .values("meeting")
        .distinct()
        .count()
    )


@pytest.mark.django_db
def test_seed_demo_small_is_believable_and_idempotent():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == first
    assert Meeting.objects.past().count() == 24
    assert Meeting.objects.upcoming().count() == 3
    assert Workshop.objects.filter(is_initiation=True).count() == 27
    assert sessions_in_last_year("member@example.org") >= 2
    assert sessions_in_last_year("newcomer@example.org") == 1
    assert Attendance.objects.filter(person__email="newcomer@example.org").count() == 1
    next_meeting = Meeting.objects.upcoming().first()
    assert next_meeting.workshops.count() >= 3
    assert WorkshopSignup.objects.filter(workshop__meeting=next_meeting).exists()
    # One hybrid workshop, whose link newcomer@ (signed up) sees and member@ does not.
    hybrid = next_meeting.workshops.exclude(online_link="").get()
    assert hybrid.online_link.startswith("https://visio.example.org/")
    signed_up = set(hybrid.signups.values_list("person__email", flat=True))
    runners = {hybrid.proposed_by.email, *hybrid.facilitators.values_list("email", flat=True)}
    assert "newcomer@example.org" in signed_up
    assert "member@example.org" not in signed_up | runners


@pytest.mark.django_db
def test_seed_demo_has_a_walk_in_twin_of_the_newcomer_to_merge():

    call_command("seed_demo", force=True, stdout=io.StringIO())
    newcomer = User.objects.get(email="newcomer@example.org")
    twin = User.objects.get(display_name="Noe Nouveau", email=None)

    assert (newcomer, twin) in [(older, newer) for older, newer, _why in likely_duplicates()]
    merging.merge_people(newcomer, twin, by=None)
    newcomer.refresh_from_db()
    assert newcomer.is_eligible() is True
