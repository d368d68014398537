import pytest

from chantiers import services
from chantiers.models import Card, Chantier
from tests.chantiers.factories import chantier_with, columns, titles_in
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def _as(client, role, chantier, coordinator):
    """owner = coordinator, member = joined, outsider = signed in elsewhere, anonymous."""
    if role == "coordinator":
        client.force_login(coordinator)
    elif role == "member":
        member = UserFactory()
        services.join_chantier(chantier, member)
        client.force_login(member)
    elif role == "outsider":
        client.force_login(UserFactory())
    elif role == "facilitator":
        client.force_login(FacilitatorFactory())
    return client


def test_participant_starts_a_chantier_from_the_list(client):
    person = UserFactory()
    client.force_login(person)
    assert "/chantiers/new/" in client.get("/chantiers/").content.decode()

    response = client.post("/chantiers/new/", {"title": "Cargo vélo", "purpose": "Partager"})

    chantier = Chantier.objects.get()
    assert response.status_code == 302 and response.url == chantier.get_absolute_url()
    assert chantier.participants.get().person == person


def test_anonymous_is_sent_to_log_in_to_start(client):
    response = client.get("/chantiers/new/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("facilitator", 200), ("member", 403), ("outsider", 403)],
)
def test_edit_page_is_for_coordinators(client, chantier, coordinator, role, status):
    response = _as(client, role, chantier, coordinator).get(f"/chantiers/{chantier.pk}/edit/")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "moved"),
    [("coordinator", True), ("member", True), ("outsider", False)],
)
def test_move_button_works_for_people_in_the_chantier(client, chantier, coordinator, role, moved):
    card = services.add_card(chantier, by=coordinator, title="Semer")
    doing = columns(chantier)[1]
    _as(client, role, chantier, coordinator)

    response = client.post(f"/chantiers/{chantier.pk}/cards/{card.pk}/move/", {"to": doing.pk})

    assert response.status_code == (302 if moved else 403)
    assert (titles_in(doing) == ["Semer"]) is moved


def test_board_shows_move_buttons_named_after_the_next_column(client, chantier, coordinator):
    services.add_card(chantier, by=coordinator, title="Semer")
    client.force_login(coordinator)

    body = client.get(chantier.get_absolute_url()).content.decode()

    assert "→ In progress" in body or "→ En cours" in body
    assert 'draggable="true"' in body


def test_anonymous_reads_the_board_without_buttons(client, chantier, coordinator):
    services.add_card(chantier, by=coordinator, title="Semer")

    body = client.get(chantier.get_absolute_url()).content.decode()

    assert "Semer" in body and "card-moves" not in body and "draggable" not in body


def test_drag_and_drop_move_returns_the_board(client, chantier, coordinator):
    a = services.add_card(chantier, by=coordinator, title="A")
    services.add_card(chantier, by=coordinator, title="B")
    todo = columns(chantier)[0]
    client.force_login(coordinator)

    response = client.post(
        f"/chantiers/{chantier.pk}/cards/{a.pk}/move/",
        {"to": todo.pk, "position": "1"},
        headers={"X-Board": "1"},
    )

    assert response.status_code == 200 and 'id="board"' in response.content.decode()
    assert titles_in(todo) == ["B", "A"]


def test_member_adds_a_card_and_outsider_cannot(client, chantier, coordinator):
    _as(client, "member", chantier, coordinator).post(
        f"/chantiers/{chantier.pk}/cards/new/", {"title": "Arroser"}
    )
    client.force_login(UserFactory())
    refused = client.post(f"/chantiers/{chantier.pk}/cards/new/", {"title": "Spam"})

    assert list(Card.objects.values_list("title", flat=True)) == ["Arroser"]
    assert refused.status_code == 403


def test_a_refused_card_says_which_field_was_wrong(client, chantier, coordinator):
    # It used to ask for a title whatever the mistake (found by tests/fuzz).
    client.force_login(coordinator)
    response = client.post(
        f"/chantiers/{chantier.pk}/cards/new/",
        {"title": "Arroser", "due_on": "2027-02-30"},
        follow=True,
    )
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        "La carte n’a pas été ajoutée. Échéance (facultatif) : Saisissez une date valide."
    ]
    assert not Card.objects.exists()


def test_join_then_leave(client, chantier):
    person = UserFactory()
    client.force_login(person)
    client.post(f"/chantiers/{chantier.pk}/join/")
    assert chantier.participants.filter(person=person).exists()
    client.post(f"/chantiers/{chantier.pk}/leave/")
    assert not chantier.participants.filter(person=person).exists()


def test_card_page_shows_its_history(client, chantier, coordinator):
    card = services.add_card(chantier, by=coordinator, title="Semer")
    services.move_card(card, by=coordinator, to_column=columns(chantier)[2])

    body = client.get(card.get_absolute_url()).content.decode()

    assert str(coordinator) in body
    assert body.count("<time") == 2


def test_list_shows_counts_and_what_moved_this_month(client, chantier, coordinator):
    card = services.add_card(chantier, by=coordinator, title="Semer")
    services.add_card(chantier, by=coordinator, title="Arroser")
    services.move_card(card, by=coordinator, to_column=columns(chantier)[2])

    body = client.get("/chantiers/").content.decode()

    assert chantier.title in body
    assert "Semer" in body  # in "what moved this month"


# --- Constant query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_are_constant(client, cached_configuration, count, django_assert_num_queries):
    for number in range(count):
        chantier = chantier_with(title=f"Chantier {number}", cards=2)
        card = chantier.cards.first()
        services.move_card(card, by=chantier.started_by, to_column=columns(chantier)[1])
    # chantiers, columns with counts, moved cards, other chantiers
    with django_assert_num_queries(5):
        response = client.get("/chantiers/")
    assert response.content.decode().count("<tr>") == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_detail_queries_are_constant(
    client, cached_configuration, coordinator, count, django_assert_num_queries
):

    chantier = chantier_with(coordinator, members=UserFactory.create_batch(count), cards=count)
    for _number in range(count):
        services.link_workshop(chantier, WorkshopFactory(), by=coordinator)
    client.force_login(coordinator)
    # session, user, chantier, columns, cards, role, participants, workshop links, commons,
    # workshops not yet linked, then the workshop choices as the form renders (the card's person
    # is chosen with the people picker: nobody is read until one searches)
    with django_assert_num_queries(11):
        response = client.get(chantier.get_absolute_url())
    assert response.content.decode().count('class="kanban-card"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_card_page_queries_are_constant(
    client, cached_configuration, coordinator, count, django_assert_num_queries
):
    chantier = chantier_with(coordinator)
    card = services.add_card(chantier, by=coordinator, title="Semer")
    for _number in range(count):
        services.move_card(card, by=coordinator, to_column=columns(chantier)[1])
    # card, history
    with django_assert_num_queries(3):
        response = client.get(card.get_absolute_url())
    assert response.status_code == 200
