"""30 people registering at once for the last 5 places of a session, each in its own database
connection: exactly 5 get a place, 25 wait, and the waitlist keeps the order in which they came."""

import pytest

from gatherings import services
from gatherings.models import SessionRegistration
from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory
from tests.gatherings.factories import gathering, place

PEOPLE = 30


@pytest.mark.django_db(transaction=True)
def test_thirty_people_for_the_last_five_places_leave_five_registered_and_25_waiting():
    needs_postgresql()
    session = place(gathering(), "Atelier semences", capacity=10)
    for _ in range(5):
        services.register_for_session(session, UserFactory())
    people = [UserFactory() for _ in range(PEOPLE)]
    errors = run_together(
        *(lambda person=person: services.register_for_session(session, person) for person in people)
    )

    assert errors == [None] * PEOPLE
    newcomers = SessionRegistration.objects.filter(person__in=people)
    registered = list(newcomers.registered().order_by("joined_at", "pk"))
    waiting = list(newcomers.waitlisted())
    assert (len(registered), len(waiting)) == (5, 25)
    assert session.registrations.registered().count() == 10
    # In order: every place was taken before anyone joined the waitlist, and the waitlist's
    # order (by the time people joined it) is the order in which they were written.
    assert max(r.joined_at for r in registered) < min(w.joined_at for w in waiting)
    assert [w.pk for w in waiting] == sorted(w.pk for w in waiting)

    # And the first to wait is the first promoted when someone leaves.
    promoted = services.withdraw_from_session(session, registered[0].person)
    assert [r.person_id for r in promoted] == [waiting[0].person_id]
