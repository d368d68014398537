"""What gatherings tell the registries of the foot: a person's data, merging two people, search."""

import pytest
from django.contrib.auth.models import AnonymousUser

from assembly import personal_data, search
from assembly.merging import merge_people
from assembly.people import delete_account
from gatherings import services
from gatherings.models import Organiser, PollAnswer, Session, SessionRegistration, Volunteer
from tests.factories import FacilitatorFactory, UserFactory
from tests.gatherings.factories import day_at, fmt, gathering, place

pytestmark = pytest.mark.django_db


def test_a_persons_export_holds_their_gatherings_sessions_and_poll_answers():
    person = UserFactory()
    g = gathering(organiser=person)
    session = place(g, "Plénière")
    services.register(g, person)
    services.register_for_session(session, person)
    services.propose_session(g, by=person, title="Ma proposition", format=fmt())
    poll = services.create_poll(by=person, title="Préparation", dates=[day_at(g, 0, 18)])
    services.answer_poll(poll, name="Moi", choices={poll.dates.get().pk: "yes"}, person=person)

    data = personal_data.export(person)["sections"]

    assert data["gatherings"]["organising"] == ["Rencontre régionale"]
    assert [r["session"] for r in data["gathering_sessions"]["registrations"]] == ["Plénière"]
    assert [p["title"] for p in data["gathering_sessions"]["proposed"]] == ["Ma proposition"]
    assert data["polls"]["answers"][0]["name"] == "Moi"


def test_deleting_an_account_keeps_the_proposals_without_a_name():
    person = UserFactory()
    g = gathering()
    services.propose_session(g, by=person, title="Ma proposition", format=fmt())
    services.volunteer_as_facilitator(g, person, availability="samedi")

    personal_data.delete_person(person, delete_account)

    assert Session.objects.get().proposed_by is None
    assert Volunteer.objects.count() == 0


def test_merging_two_people_keeps_one_row_where_both_held_one():
    kept, merged = UserFactory(), UserFactory()
    g = gathering(organiser=kept)
    services.add_organiser(g, merged)
    both, only_merged = place(g, "Plénière", hour=9), place(g, "Atelier", hour=14)
    for session in (both, only_merged):
        services.register_for_session(session, merged)
    services.register_for_session(both, kept)
    poll = services.create_poll(by=merged, title="P", dates=[day_at(g, 0, 18)])
    services.answer_poll(poll, name="M", choices={poll.dates.get().pk: "no"}, person=merged)

    merge_people(kept, merged, by=FacilitatorFactory())

    assert list(Organiser.objects.values_list("person", flat=True)) == [kept.pk]
    assert sorted(SessionRegistration.objects.values_list("session", "person")) == sorted(
        [(both.pk, kept.pk), (only_merged.pk, kept.pk)]
    )
    assert PollAnswer.objects.get().person == kept


def test_search_finds_sessions_but_not_declined_proposals():
    g = gathering()
    place(g, "Grainothèque de quartier")
    declined = services.propose_session(
        g, by=UserFactory(), title="Grainothèque refusée", format=fmt()
    )
    services.review_proposal(declined, answer="decline", message="Doublon")

    groups = search.search(AnonymousUser(), "grainothèque", per_kind=10)

    titles = [r.title for group in groups for r in group.results]
    assert "Grainothèque de quartier" in titles
    assert "Grainothèque refusée" not in titles
