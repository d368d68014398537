import pytest

from assembly.models import DigestItem, Frequency, Topic
from assembly.notifications.topics import set_frequency
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from workshops import services
from workshops.tasks import note_workshop_proposed

pytestmark = pytest.mark.django_db


def test_a_new_workshop_reaches_the_digest_of_people_signed_up_for_that_assembly(
    django_capture_on_commit_callbacks,
):
    meeting, other_meeting = MeetingFactory(), MeetingFactory()
    signed_up = SignupFactory(workshop=WorkshopFactory(meeting=meeting)).person
    turned_off = SignupFactory(workshop=WorkshopFactory(meeting=meeting)).person
    set_frequency(turned_off, Topic.OWN, Frequency.NEVER)
    elsewhere = SignupFactory(workshop=WorkshopFactory(meeting=other_meeting)).person
    proposer = UserFactory()
    SignupFactory(workshop=WorkshopFactory(meeting=meeting), person=proposer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workshop = services.propose_workshop(meeting, proposer, title="Compost collectif")
    assert len(callbacks) == 1  # enqueued after commit, run by the worker
    note_workshop_proposed(workshop_id=workshop.pk)
    note_workshop_proposed(workshop_id=workshop.pk)

    items = DigestItem.objects.filter(kind="workshop_proposed")
    assert set(items.values_list("person", flat=True)) == {signed_up.pk}
    assert elsewhere.pk not in set(items.values_list("person", flat=True))
    assert items.get().title == "Compost collectif"
