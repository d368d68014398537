"""The rules of gatherings: the grid refuses clashes, the waitlist keeps its order and promotion
is e-mailed once, the call for sessions, polls."""

import pytest
from django.core import mail

from gatherings import services
from gatherings.models import PollChoice, Session, SessionRegistration
from gatherings.tasks import send_assignment_notice, send_promotion_notices
from tests.factories import UserFactory
from tests.gatherings.factories import day_at, fmt, gathering, place
from tests.workshops.test_services import enqueued_tasks

pytestmark = pytest.mark.django_db


def room(g, name="Grande salle"):
    return g.sites.get(venue__name="Halle").rooms.get(name=name)


def test_overlapping_sessions_in_the_same_room_are_refused():
    g = gathering()
    place(g, "Plénière", hour=10, hours=2)

    with pytest.raises(services.GatheringError, match="Plénière"):
        place(g, "Atelier semences", hour=11)

    assert list(Session.objects.on_grid().values_list("title", flat=True)) == ["Plénière"]


def test_sessions_in_two_rooms_or_one_after_the_other_are_placed():
    g = gathering()
    place(g, "Plénière", hour=10, hours=2)
    place(g, "Groupe B", hour=10, hours=2, room=room(g, "Atelier"))
    place(g, "Après", hour=12)

    assert Session.objects.on_grid().count() == 3


def test_walk_stops_never_clash():
    g = gathering()
    garden = g.sites.get(venue__name="Jardin")
    walk = services.add_parcours(
        g,
        "Parcours nord",
        [
            (garden, day_at(g, 0, 12)),
            (garden.__class__.objects.get(pk=garden.pk), day_at(g, 0, 13)),
        ],
    )
    first_stop, _second_stop = walk.stops.all()
    one = services.add_session(g, title="Marche A", format=fmt("walk"))
    two = services.add_session(g, title="Marche B", format=fmt("walk"))

    services.place_session(
        one, starts_at=day_at(g, 0, 12), ends_at=day_at(g, 0, 14), stop=first_stop
    )
    services.place_session(
        two, starts_at=day_at(g, 0, 12), ends_at=day_at(g, 0, 14), stop=first_stop
    )

    assert Session.objects.on_grid().count() == 2


def test_a_person_cannot_facilitate_two_overlapping_sessions():
    g = gathering()
    ana = UserFactory(display_name="Ana")
    place(g, "Plénière", hour=10, hours=2, facilitators=[ana])
    other = place(g, "Atelier", hour=11, room=room(g, "Atelier"))

    with pytest.raises(services.GatheringError, match="Plénière"):
        services.assign_facilitator(other, ana)

    assert list(other.facilitators.all()) == []


def test_a_session_cannot_be_moved_onto_its_facilitators_other_session():
    g = gathering()
    ana = UserFactory()
    place(g, "Plénière", hour=10, facilitators=[ana])
    later = place(g, "Atelier", hour=14, room=room(g, "Atelier"), facilitators=[ana])

    with pytest.raises(services.GatheringError):
        services.place_session(
            later, starts_at=day_at(g, 0, 10), ends_at=day_at(g, 0, 11), room=room(g, "Atelier")
        )

    later.refresh_from_db()
    assert later.starts_at == day_at(g, 0, 14)


def test_a_session_outside_the_days_is_refused():
    g = gathering()
    with pytest.raises(services.GatheringError):
        place(g, "Trop tard", day=5)


def test_the_call_accepts_asks_for_changes_declines_then_places(django_capture_on_commit_callbacks):
    g = gathering()
    author = UserFactory()
    proposal = services.propose_session(g, by=author, title="Cartopartie", format=fmt())

    with pytest.raises(services.GatheringError):
        services.review_proposal(proposal, answer="changes", message="  ")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.review_proposal(proposal, answer="changes", message="Plus court ?")
    services.revise_proposal(proposal, title="Cartopartie courte")
    services.review_proposal(proposal, answer="accept")
    placed = services.place_session(
        proposal, starts_at=day_at(g, 1, 9), ends_at=day_at(g, 1, 10), room=room(g)
    )

    assert enqueued_tasks(callbacks) == [
        ("gatherings.send_review_notice", {"session_id": proposal.pk, "state": "changes"})
    ]
    assert (placed.title, placed.state, placed.is_placed) == (
        "Cartopartie courte",
        "accepted",
        True,
    )


def test_a_declined_proposal_cannot_be_placed():
    g = gathering()
    proposal = services.propose_session(g, by=UserFactory(), title="Non", format=fmt())
    services.review_proposal(proposal, answer="decline", message="Hors sujet")

    with pytest.raises(services.GatheringError):
        services.place_session(
            proposal, starts_at=day_at(g, 0, 9), ends_at=day_at(g, 0, 10), room=room(g)
        )


def test_a_closed_call_refuses_proposals():
    g = gathering(call_open=False)
    with pytest.raises(services.GatheringError):
        services.propose_session(g, by=UserFactory(), title="Tard", format=fmt())
    assert Session.objects.count() == 0


def test_a_full_session_puts_people_on_its_waitlist_in_order():
    g = gathering()
    session = place(g, "Atelier", capacity=2)
    people = [UserFactory() for _ in range(5)]

    states = [services.register_for_session(session, p).state for p in people]

    assert states == ["registered", "registered", "waitlisted", "waitlisted", "waitlisted"]


def test_a_withdrawal_promotes_the_first_on_the_waitlist_and_mails_them_once(
    django_capture_on_commit_callbacks,
):
    g = gathering()
    session = place(g, "Atelier", capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for p in (first, second, third):
        services.register_for_session(session, p)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        promoted = services.withdraw_from_session(session, first)
    mail.outbox.clear()
    send_promotion_notices(session_id=session.pk, person_ids=[second.pk])
    send_promotion_notices(session_id=session.pk, person_ids=[second.pk])

    assert [r.person for r in promoted] == [second]
    assert enqueued_tasks(callbacks) == [
        ("gatherings.send_promotion_notices", {"session_id": session.pk, "person_ids": [second.pk]})
    ]
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Atelier" in mail.outbox[0].subject
    assert dict(SessionRegistration.objects.values_list("person", "state")) == {
        second.pk: "registered",
        third.pk: "waitlisted",
    }


def test_leaving_the_waitlist_promotes_nobody():
    g = gathering()
    session = place(g, "Atelier", capacity=1)
    first, second = UserFactory(), UserFactory()
    services.register_for_session(session, first)
    services.register_for_session(session, second)

    assert services.withdraw_from_session(session, second) == []
    assert SessionRegistration.objects.get().person == first


def test_more_places_promote_as_many_waiting_people():
    g = gathering()
    session = place(g, "Atelier", capacity=1)
    people = [UserFactory() for _ in range(4)]
    for p in people:
        services.register_for_session(session, p)

    services.update_session(session, capacity=3)

    registered = SessionRegistration.objects.registered().order_by("joined_at", "pk")
    assert [r.person for r in registered] == people[:3]


def test_passing_the_split_threshold_tells_the_organisers_once(django_capture_on_commit_callbacks):
    g = gathering(workshop_split_threshold=2)
    session = place(g, "Atelier")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(4):
            services.register_for_session(session, UserFactory())

    assert enqueued_tasks(callbacks) == [
        ("gatherings.send_split_notice", {"session_id": session.pk})
    ]


def test_a_facilitator_assignment_is_mailed_once():
    g = gathering()
    session = place(g, "Atelier")
    ana = UserFactory()
    services.assign_facilitator(session, ana)
    mail.outbox.clear()

    send_assignment_notice(session_id=session.pk, person_id=ana.pk)
    send_assignment_notice(session_id=session.pk, person_id=ana.pk)

    assert [m.to for m in mail.outbox] == [[ana.email]]


def test_the_gathering_capacity_refuses_the_next_person():
    g = gathering(capacity=1)
    services.register(g, UserFactory())

    with pytest.raises(services.GatheringError):
        services.register(g, UserFactory())


def test_a_change_after_publication_is_announced_to_registrants(django_capture_on_commit_callbacks):
    g = gathering()
    session = place(g, "Atelier")
    services.register_for_session(session, UserFactory())
    services.update_session(session, title="Avant publication")
    services.publish_programme(g)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_session(session, title="Atelier déplacé")

    session.refresh_from_db()
    assert enqueued_tasks(callbacks) == [
        (
            "gatherings.send_change_notices",
            {"session_id": session.pk, "change": session.updated_at.isoformat()},
        )
    ]


def test_conflicts_are_the_overlapping_sessions():
    g = gathering()
    a = place(g, "A", hour=10, hours=2)
    b = place(g, "B", hour=11, room=room(g, "Atelier"))
    c = place(g, "C", hour=14)

    assert services.conflicts([a, b, c]) == {a.pk, b.pk}


def test_poll_answers_and_the_best_date():
    author = UserFactory()
    g = gathering()
    poll = services.create_poll(
        by=author, title="Réunion de préparation", dates=[day_at(g, 0, 18), day_at(g, 1, 18)]
    )
    first, second = poll.dates.all()
    services.answer_poll(poll, name="Ana", choices={first.pk: "yes", second.pk: "maybe"})
    services.answer_poll(poll, name="Bob", choices={first.pk: "no", second.pk: "yes"})
    services.answer_poll(poll, name="Chloé", choices={first.pk: "yes", second.pk: "yes"})

    assert services.best_date(poll) == second
    assert [(row["yes"], row["maybe"], row["no"]) for row in services.tally(poll)] == [
        (2, 0, 1),
        (2, 1, 0),
    ]


def test_a_poll_answer_must_cover_every_date_and_writes_nothing_otherwise():
    poll = services.create_poll(by=UserFactory(), title="P", dates=[day_at(gathering(), 0, 9)])
    with pytest.raises(services.GatheringError):
        services.answer_poll(poll, name="Ana", choices={})
    with pytest.raises(services.GatheringError):
        services.answer_poll(poll, name="  ", choices={poll.dates.get().pk: "yes"})

    assert PollChoice.objects.count() == 0


def test_a_signed_in_persons_new_answer_replaces_the_old_one():
    person = UserFactory()
    poll = services.create_poll(by=person, title="P", dates=[day_at(gathering(), 0, 9)])
    date = poll.dates.get()
    services.answer_poll(poll, name="Ana", choices={date.pk: "no"}, person=person)
    services.answer_poll(poll, name="Ana", choices={date.pk: "yes"}, person=person)

    assert list(PollChoice.objects.values_list("value", flat=True)) == ["yes"]


def test_a_closed_poll_becomes_a_meeting_once_and_refuses_answers():
    poll = services.create_poll(
        by=UserFactory(), title="Préparation", dates=[day_at(gathering(), 0, 18)]
    )
    date = poll.dates.get()
    services.answer_poll(poll, name="Ana", choices={date.pk: "yes"})
    with pytest.raises(services.GatheringError):
        services.make_meeting(poll)

    services.close_poll(poll)
    meeting = services.make_meeting(poll)

    assert services.make_meeting(poll) == meeting
    assert (meeting.title, meeting.starts_at) == ("Préparation", date.starts_at)
    with pytest.raises(services.GatheringError):
        services.answer_poll(poll, name="Bob", choices={date.pk: "yes"})


def test_the_welcome_desk_is_one_meeting_so_the_gathering_counts_once():
    g = gathering()
    meeting = services.open_welcome_desk(g)

    assert services.open_welcome_desk(g) == meeting
    assert meeting.starts_at.date() <= g.starts_on <= meeting.ends_at.date()


def test_splitting_shares_the_registered_people_among_parallel_groups_in_order():
    g = gathering()
    session = place(g, "Atelier", hour=10)
    people = [UserFactory() for _ in range(5)]
    for person in people:
        services.register_for_session(session, person)
    jardin = g.sites.get(venue__name="Jardin")

    groups = services.split_session(session, places=[room(g, "Atelier"), jardin])

    assert [group.title for group in groups] == [
        "Atelier (groupe 1)",
        "Atelier (groupe 2)",
        "Atelier (groupe 3)",
    ]
    by_group = [
        list(SessionRegistration.objects.filter(session=group).order_by("joined_at", "pk"))
        for group in groups
    ]
    assert [[r.person for r in rows] for rows in by_group] == [people[:2], people[2:4], people[4:]]
    assert {(group.starts_at, group.ends_at) for group in groups} == {
        (session.starts_at, session.ends_at)
    }


def test_a_split_into_an_occupied_room_writes_nothing():
    g = gathering()
    session = place(g, "Atelier", hour=10)
    place(g, "Déjà là", hour=10, room=room(g, "Atelier"))

    with pytest.raises(services.GatheringError):
        services.split_session(session, places=[room(g, "Atelier")])

    session.refresh_from_db()
    assert session.title == "Atelier"
    assert Session.objects.count() == 2
