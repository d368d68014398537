"""Each e-mail of a gathering renders in the person's language and goes out once."""

import pytest
from django.core import mail
from django.urls import reverse

from assembly.models import DigestItem, Topic
from assembly.notifications import digest, topics
from gatherings import notices, services
from tests.factories import UserFactory
from tests.gatherings.factories import fmt, gathering, place
from tests.unsubscribe import one_click

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


# --- The footer and one-click unsubscribe, as every e-mail of the assembly ------------------------


def each_gathering_email():
    """One of each e-mail a gathering sends, to one person: (kind, send it, the person)."""
    g = gathering(workshop_split_threshold=1)
    organiser = g.organisers.get().person
    session = place(g, "Semences", capacity=1)
    promoted, proposer, facilitator, registrant = (UserFactory() for _ in range(4))
    services.register_for_session(session, UserFactory())
    services.register_for_session(session, promoted)
    proposal = services.propose_session(g, by=proposer, title="Vélo", format=fmt())
    services.review_proposal(proposal, answer="decline", message="Pas cette fois.")
    changed = place(g, "Compost", hour=14)
    services.register_for_session(changed, registrant)
    services.volunteer_as_facilitator(g, facilitator)
    services.assign_facilitator(changed, facilitator)
    first = session.registrations.registered().get().person
    services.withdraw_from_session(session, first)
    return [
        ("promoted", lambda: notices.send_promotion_notices(session.pk, [promoted.pk]), promoted),
        (
            "facilitating",
            lambda: notices.send_assignment_notice(changed.pk, facilitator.pk),
            facilitator,
        ),
        ("split", lambda: notices.send_split_notice(session.pk), organiser),
        ("review", lambda: notices.send_review_notice(proposal.pk, "declined"), proposer),
        (
            "changed",
            lambda: notices.send_change_notices(changed.pk, "2027-01-01T10:00"),
            registrant,
        ),
    ]


@pytest.mark.parametrize("index", range(5))
def test_each_gathering_email_carries_the_footer_and_one_click_unsubscribe(index):
    kind, send, person = each_gathering_email()[index]

    send()

    assert [m.to for m in mail.outbox] == [[person.email]], kind
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "\n-- \n" in message.body
    assert "/me/notifications/" in message.body
    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body
    assert str(notices.REASONS[kind])[:20] in message.body.replace("\n", " ")


def test_unsubscribing_from_a_gathering_email_stops_the_next_one(client):
    g = gathering()
    session = place(g, "Atelier")
    person = UserFactory()
    services.register_for_session(session, person)
    notices.send_change_notices(session.pk, "2027-01-01T10:00")

    response, _url = one_click(client, mail.outbox[0])
    notices.send_change_notices(session.pk, "2027-01-01T11:00")

    assert response.status_code == 200
    assert topics.frequency_of(person, Topic.GATHERINGS) == "never"
    assert len(mail.outbox) == 1


def test_a_weekly_reader_finds_each_change_in_the_digest_instead():
    g = gathering()
    session = place(g, "Atelier")
    person = UserFactory()
    services.register_for_session(session, person)
    topics.set_frequency(person, Topic.GATHERINGS, "weekly")

    notices.send_change_notices(session.pk, "2027-01-01T10:00")
    notices.send_change_notices(session.pk, "2027-01-01T10:00")
    notices.send_change_notices(session.pk, "2027-01-01T11:00")

    items = DigestItem.objects.filter(person=person)
    assert mail.outbox == []
    assert items.count() == 2
    assert {str(digest.ITEM_LABELS[item.kind]) for item in items} == {
        "Une séance à laquelle vous êtes inscrit·e a changé"
    }


def test_the_preferences_page_offers_the_gatherings_topic(client):
    person = UserFactory()
    client.force_login(person)

    page = client.get(reverse("me-notifications")).content.decode()
    client.post(
        reverse("me-notifications"),
        {
            "assemblies": "immediate",
            "decisions": "immediate",
            "commons": "weekly",
            "own": "weekly",
            "gatherings": "never",
        },
    )

    assert 'name="gatherings"' in page
    assert topics.frequency_of(person, Topic.GATHERINGS) == "never"
