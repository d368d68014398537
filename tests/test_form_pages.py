"""No form grows with the data (issue 24): every form page that chooses among commons or people
stays under 40 KB and keeps its query count when the directory grows from a few rows to 1,200
commons and 1,200 people (those people all in the chantier and in the gathering's pool, the worst
case for the people picker). bench/forms.py measures the same pages on the large demo data."""

import datetime

import pytest
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assembly.folding import fold
from assembly.models import User
from chantiers import services as chantier_services
from chantiers.models import Participant
from commons_registry.models import Commons
from gatherings.models import Volunteer
from tests.commons_registry.factories import CommonsFactory, category
from tests.factories import UserFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place
from tests.workshops.factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

LARGE = 1_200
BUDGET_BYTES = 40_000


def _world():
    """A few of everything, and who sees each form page."""
    participant = UserFactory(display_name="Ada Participante")
    CommonsFactory(name="Jardin du Moulin")
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=10))
    workshop = WorkshopFactory(meeting=meeting, proposed_by=participant)
    chantier = chantier_services.start_chantier(by=participant, title="Four à pain")
    card = chantier_services.add_card(chantier, by=participant, title="Trouver des briques")
    gathering = gathering_for(organiser=participant)
    session = place(gathering, "Plénière")
    pages = {
        "new discussion": "/decisions/new/",
        "workshop proposal": f"/workshops/propose/?meeting={meeting.pk}",
        "workshop edit": f"/workshops/{workshop.pk}/edit/",
        "new chantier": "/chantiers/new/",
        "chantier edit": f"/chantiers/{chantier.pk}/edit/",
        # its "People" section lists the chantier's participants: the card's page holds the
        # same picker among them without that list
        "card": card.get_absolute_url(),
        "gathering session (organiser)": session.get_absolute_url(),
    }
    return participant, chantier, gathering, pages


def _grow(chantier, gathering):
    """1,200 published commons and 1,200 people, each in the chantier and the gathering's pool."""
    jardins = category()
    Commons.objects.bulk_create(
        Commons(
            name=f"Jardin {n:04d}",
            slug=f"jardin-{n:04d}",
            summary="s",
            category=jardins,
            state=Commons.State.PUBLISHED,
        )
        for n in range(LARGE)
    )
    people = User.objects.bulk_create(
        User(
            email=f"jardinier{n}@example.org",
            display_name=f"Jardinier {n:04d}",
            search_name=fold(f"Jardinier {n:04d} jardinier{n}@example.org"),
        )
        for n in range(LARGE)
    )
    now = timezone.now()
    Participant.objects.bulk_create(
        Participant(chantier=chantier, person=person, joined_at=now) for person in people
    )
    Volunteer.objects.bulk_create(
        Volunteer(gathering=gathering, person=person) for person in people
    )


def _measure(client, path) -> tuple[int, int]:
    reset_queries()  # only this request's queries, whatever the log held before
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(response.content), len(queries)


def test_every_form_page_with_a_picker_stays_small_with_a_constant_query_count():
    participant, chantier, gathering, pages = _world()
    client = Client()
    client.force_login(participant)
    for path in pages.values():
        client.get(path)  # what each page keeps (the configuration, parts of pages) is kept
    small = {name: _measure(client, path) for name, path in pages.items()}

    _grow(chantier, gathering)
    for path in pages.values():
        client.get(path)
    large = {name: _measure(client, path) for name, path in pages.items()}

    assert {name: queries for name, (_size, queries) in large.items()} == {
        name: queries for name, (_size, queries) in small.items()
    }
    over = {name: size for name, (size, _queries) in large.items() if size > BUDGET_BYTES}
    assert over == {}


@pytest.mark.parametrize(
    ("path", "field"),
    [("/decisions/new/", "related_commons"), ("/chantiers/new/", "related_commons")],
)
def test_a_search_that_matches_the_whole_directory_shows_twenty(path, field):
    participant, chantier, gathering, _pages = _world()
    _grow(chantier, gathering)
    client = Client()
    client.force_login(participant)

    response = client.post(path, {"title": "Un four", f"{field}_q": "jardin", "_picker": field})

    assert response.content.decode().count(f'name="{field}"') == 20
    assert len(response.content) <= BUDGET_BYTES


def test_a_search_among_1200_people_shows_twenty_on_the_card_page():
    participant, chantier, gathering, _pages = _world()
    _grow(chantier, gathering)
    card = chantier.cards.get()
    client = Client()
    client.force_login(participant)

    response = client.post(
        card.get_absolute_url(),
        {"title": card.title, "assignee_q": "jardinier", "_picker": "assignee"},
    )

    assert response.content.decode().count('name="assignee"') == 1 + 20  # nobody, 20 matches
    assert len(response.content) <= BUDGET_BYTES
