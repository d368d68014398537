"""The real worker e-mails a proposer once their commons is published, exactly once."""

from email.header import decode_header, make_header

import pytest

from assembly.models import Delivery
from commons_registry import services
from commons_registry.models import Commons
from commons_registry.tasks import notify_moderation
from tests.commons_registry.factories import CommonsFactory
from tests.factories import FacilitatorFactory, UserFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_tells_the_proposer_once_on_publication(celery_worker, smtp_sink):
    smtp_sink.messages.clear()
    proposer = UserFactory(email="proposer@example.org")
    commons = CommonsFactory(name="Fournil de quartier", state=Commons.State.PROPOSED,
                             submitted_by=proposer)  # fmt: skip

    services.publish_commons(commons, by=FacilitatorFactory())  # enqueued on commit
    notify_moderation.delay(commons_pk=commons.pk)  # a retry or a duplicate enqueue
    marker = UserFactory(email="marker@example.org")
    other = CommonsFactory(name="Marqueur", state=Commons.State.PROPOSED, submitted_by=marker)
    services.reject_commons(other, by=FacilitatorFactory(), reason="Test")

    # The solo worker runs tasks in order: once the marker's mail is in, the others were handled.
    wait_for(lambda: any(m["To"] == "marker@example.org" for m in smtp_sink.messages))
    to_proposer = [m for m in smtp_sink.messages if m["To"] == "proposer@example.org"]
    assert len(to_proposer) == 1
    subject = str(make_header(decode_header(to_proposer[0]["Subject"])))
    assert subject.strip() == "Votre commun « Fournil de quartier » est sur la carte"
    assert Delivery.objects.get(person=proposer).state == Delivery.State.SENT
