"""The people picker (assembly/pickers.py): its suggestions at /people/choices.json, who may read
them, what they show of a person, and how a form sent from a picker tells a search from its action.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from assembly.models import FACILITATORS_GROUP
from assembly.pickers import person_label, sent_to_search
from gatherings import services as gathering_services
from tests.chantiers.factories import chantier_with
from tests.factories import UserFactory
from tests.gatherings.factories import gathering as gathering_for

pytestmark = pytest.mark.django_db

CHOICES = "/people/choices.json"


def _labels(response) -> list[str]:
    return [row["label"] for row in response.json()["results"]]


def _facilitator():
    person = UserFactory()
    person.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return person


@pytest.fixture
def chantier_world():
    coordinator = UserFactory(display_name="Zoé Coordinatrice")
    members = [
        UserFactory(display_name="Hélène Martin", email="helene@example.org"),
        UserFactory(display_name="Camille Durand", email="camille.helene@example.org"),
    ]
    chantier = chantier_with(coordinator, members=members)
    UserFactory(display_name="Hélène Dehors")  # not in the chantier
    return chantier, coordinator, members


def test_the_url_is_the_one_the_picker_asks():
    assert reverse("people-choices") == CHOICES


# --- Who may read a source: role × source -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 403), ("member of it", 200), ("facilitator", 200)],
)
def test_a_chantiers_people_are_suggested_to_those_who_work_on_its_cards(
    client, chantier_world, role, status
):
    chantier, _coordinator, members = chantier_world
    viewer = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member of it": members[0],
        "facilitator": _facilitator(),
    }[role]
    if viewer is not None:
        client.force_login(viewer)

    response = client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "hel"})

    assert response.status_code == status
    if status == 302:
        assert response.url.startswith("/accounts/login/")
    if status == 200:
        assert _labels(response) == ["Hélène Martin"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("volunteer", 403), ("facilitator", 403), ("organiser", 200)],
)
def test_a_gatherings_pool_is_suggested_to_its_organisers_only(client, role, status):
    organiser = UserFactory()
    gathering = gathering_for(organiser=organiser)
    volunteer = UserFactory(display_name="Noé Bénévole")
    gathering_services.volunteer_as_facilitator(gathering, volunteer)
    viewer = {
        "anonymous": None,
        "volunteer": volunteer,
        "facilitator": _facilitator(),
        "organiser": organiser,
    }[role]
    if viewer is not None:
        client.force_login(viewer)

    response = client.get(
        CHOICES, {"source": "gathering-pool", "scope": gathering.slug, "q": "noe"}
    )

    assert response.status_code == status
    if status == 200:
        assert _labels(response) == ["Noé Bénévole"]


@pytest.mark.parametrize(
    ("parameters", "status"),
    [
        ({}, 404),
        ({"source": "everyone", "q": "a"}, 404),
        ({"source": "chantier", "q": "a"}, 403),
        ({"source": "chantier", "scope": "9" * 30, "q": "a"}, 403),
        ({"source": "chantier", "scope": "-1", "q": "a"}, 403),
        ({"source": "gathering-pool", "scope": "nowhere", "q": "a"}, 403),
    ],
)
def test_an_unknown_source_or_scope_answers_nothing(client, parameters, status):
    client.force_login(_facilitator())
    assert client.get(CHOICES, parameters).status_code == status


# --- What a suggestion shows of a person ---------------------------------------------------------


def test_suggestions_show_display_names_and_never_answer_by_e_mail(client, chantier_world):
    chantier, coordinator, _members = chantier_world
    client.force_login(coordinator)

    by_name = client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "HELENE"})
    by_address = client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "example"})

    # "camille.helene@example.org" holds "helene" too, in its address only.
    helene = chantier.participants.get(person__display_name="Hélène Martin").person_id
    assert by_name.json() == {"results": [{"id": helene, "label": "Hélène Martin"}]}
    assert by_address.json() == {"results": []}
    assert "@" not in by_name.content.decode()


def test_a_person_without_a_display_name_is_shown_by_number_not_by_address(client):
    coordinator = UserFactory()
    nameless = UserFactory(display_name="", email="secret@example.org")
    chantier = chantier_with(coordinator, members=[nameless])
    client.force_login(coordinator)

    response = client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "secret"})
    with translation.override("en"):
        label = person_label(nameless)

    assert response.json() == {"results": []}
    assert label == f"Person #{nameless.pk}"


@pytest.mark.parametrize("count", [5, 50])
def test_suggestions_are_at_most_twenty_with_a_constant_query_count(
    client, django_assert_num_queries, count
):
    coordinator = UserFactory(display_name="Zoé")
    members = [UserFactory(display_name=f"Jardinier {n:02d}") for n in range(count)]
    chantier = chantier_with(coordinator, members=members)
    client.force_login(coordinator)
    client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "x"})

    # session, person, chantier, role, matches
    with django_assert_num_queries(5):
        response = client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "jard"})

    assert _labels(response) == [f"Jardinier {n:02d}" for n in range(min(count, 20))]


def test_an_empty_search_suggests_nobody(client, chantier_world):
    chantier, coordinator, _members = chantier_world
    client.force_login(coordinator)
    response = client.get(CHOICES, {"source": "chantier", "scope": chantier.pk, "q": "  "})
    assert response.json() == {"results": []}


def test_suggestions_are_rate_limited_per_person(client, settings, chantier_world):
    settings.ACCOUNT_RATE_LIMITS = {"people_choices": "2/m/user"}
    chantier, coordinator, _members = chantier_world
    client.force_login(coordinator)
    asked = {"source": "chantier", "scope": chantier.pk, "q": "hel"}

    answers = [client.get(CHOICES, asked) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["results"] == []


# --- A search or the form's action ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "searching"),
    [
        ({"title": "Un four"}, False),  # a client that knows nothing of pickers
        ({"title": "Un four", "_picker": "related_commons"}, True),  # the "Search" button
        # Enter in another field (the hidden default button): the words shown were searched
        ({"related_commons_q": "jardin", "related_commons_searched": "jardin"}, False),
        ({"related_commons_q": "", "related_commons_searched": ""}, False),
        ({"related_commons_q": " ", "related_commons_searched": "jardin"}, False),  # emptied
        # Enter in the search field after typing new words, without JavaScript
        ({"related_commons_q": "fives", "related_commons_searched": "jardin"}, True),
        ({"related_commons_q": "fives", "related_commons_searched": ""}, True),
    ],
)
def test_a_form_is_sent_to_search_by_its_button_or_by_new_words(data, searching):
    assert sent_to_search(data) is searching
