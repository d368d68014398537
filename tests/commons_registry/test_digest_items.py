import pytest

from assembly.models import DigestItem, Frequency, Topic
from assembly.notifications.topics import set_frequency
from commons_registry import services
from commons_registry.models import Commons
from commons_registry.tasks import note_commons_published
from tests.commons_registry.factories import CommonsFactory
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_published_commons_reaches_the_digest_of_those_following_the_directory(
    django_capture_on_commit_callbacks,
):
    reader, silent, proposer = UserFactory(), UserFactory(), UserFactory()
    set_frequency(silent, Topic.COMMONS, Frequency.NEVER)
    commons = CommonsFactory(name="Jardin du Nord", state=Commons.State.PROPOSED)
    Commons.objects.filter(pk=commons.pk).update(submitted_by=proposer)
    commons.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_commons(commons, by=FacilitatorFactory())
    assert len(callbacks) == 2  # the proposer's notice, then the digest items
    note_commons_published(commons_pk=commons.pk)
    note_commons_published(commons_pk=commons.pk)

    people = set(DigestItem.objects.values_list("person", flat=True))
    assert reader.pk in people
    assert silent.pk not in people and proposer.pk not in people
    assert DigestItem.objects.filter(person=reader).get().title == "Jardin du Nord"
