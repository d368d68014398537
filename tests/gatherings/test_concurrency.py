"""30 people registering at once for the last 5 places of a session, each in its own database
connection: exactly 5 get a place, 25 wait, and the waitlist keeps the order in which they came."""

import threading

import pytest
from django.db import connection

from gatherings import services
from gatherings.models import SessionRegistration
from tests.conftest import skip_or_fail
from tests.factories import UserFactory
from tests.gatherings.factories import gathering, place

PEOPLE = 30


@pytest.mark.django_db(transaction=True)
def test_thirty_people_for_the_last_five_places_leave_five_registered_and_25_waiting():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (DATABASE_URL): SQLite serialises writers, no race to test")
    session = place(gathering(), "Atelier semences", capacity=10)
    for _ in range(5):
        services.register_for_session(session, UserFactory())
    people = [UserFactory() for _ in range(PEOPLE)]
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def register(person):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            services.register_for_session(session, person)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
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
