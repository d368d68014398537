"""Each e-mail of a gathering renders in the person's language and goes out once."""

import pytest
from django.core import mail

from gatherings import notices, services
from tests.factories import UserFactory
from tests.gatherings.factories import fmt, gathering, place

pytestmark = pytest.mark.django_db


def test_the_split_notice_tells_each_organiser_once_with_the_numbers():
    organiser = UserFactory(language="en")
    g = gathering(organiser=organiser, workshop_split_threshold=1)
    session = place(g, "Seeds")
    for _ in range(2):
        services.register_for_session(session, UserFactory())

    notices.send_split_notice(session.pk)
    notices.send_split_notice(session.pk)

    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert "has 2 registrations, past the 1" in mail.outbox[0].body


def test_the_review_notice_carries_the_organisers_message():
    author = UserFactory(language="fr")
    proposal = services.propose_session(gathering(), by=author, title="Vélo", format=fmt())
    services.review_proposal(proposal, answer="changes", message="Plus court ?")

    notices.send_review_notice(proposal.pk, "changes")

    assert mail.outbox[0].subject == "Votre proposition : Vélo"
    assert "Plus court ?" in mail.outbox[0].body


def test_a_change_notice_goes_to_each_registrant_once_per_change():
    g = gathering()
    session = place(g, "Atelier")
    people = [UserFactory(), UserFactory()]
    for person in people:
        services.register_for_session(session, person)

    notices.send_change_notices(session.pk, "2027-01-01T10:00")
    notices.send_change_notices(session.pk, "2027-01-01T10:00")
    notices.send_change_notices(session.pk, "2027-01-01T11:00")

    assert len(mail.outbox) == 4
    assert "Atelier" in mail.outbox[0].subject


def test_an_assignment_withdrawn_before_the_task_runs_sends_nothing():
    session = place(gathering(), "Atelier")
    person = UserFactory()
    services.assign_facilitator(session, person)
    services.unassign_facilitator(session, person)

    notices.send_assignment_notice(session.pk, person.pk)

    assert mail.outbox == []
