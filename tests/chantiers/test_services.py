import datetime

import pytest
import time_machine

from assembly import personal_data
from assembly.people import delete_account
from chantiers import services
from chantiers.models import Card, Participant
from tests.chantiers.factories import chantier_with, columns, titles_in
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def test_start_chantier_makes_the_starter_coordinator_with_three_columns(coordinator):
    chantier = services.start_chantier(by=coordinator, title="  Vélos  ")

    assert chantier.title == "Vélos"
    assert [c.stage for c in columns(chantier)] == ["todo", "doing", "done"]
    assert list(chantier.participants.values_list("person", "role")) == [
        (coordinator.pk, Participant.Role.COORDINATOR)
    ]


def test_start_chantier_without_title_is_refused(coordinator):
    with pytest.raises(services.ChantierError, match="title"):
        services.start_chantier(by=coordinator, title=" ")


def test_join_twice_keeps_one_participation(chantier):
    person = UserFactory()
    services.join_chantier(chantier, person)
    services.join_chantier(chantier, person)

    assert chantier.participants.filter(person=person).count() == 1


def test_only_coordinator_cannot_leave(chantier, coordinator):
    with pytest.raises(services.ChantierError, match="only coordinator"):
        services.leave_chantier(chantier, coordinator)


def test_outsider_cannot_add_a_card(chantier):
    with pytest.raises(services.ChantierError, match="Join the chantier"):
        services.add_card(chantier, by=UserFactory(), title="Sneaky")


def test_facilitator_may_work_on_cards_without_joining(chantier):
    card = services.add_card(chantier, by=FacilitatorFactory(), title="Help")
    assert card.column.stage == "todo"


def test_cards_enter_the_first_column_in_order(chantier, coordinator):
    for title in ("A", "B", "C"):
        services.add_card(chantier, by=coordinator, title=title)

    assert titles_in(columns(chantier)[0]) == ["A", "B", "C"]


def test_move_card_to_next_column_changes_only_its_row(chantier, coordinator):
    a = services.add_card(chantier, by=coordinator, title="A")
    b = services.add_card(chantier, by=coordinator, title="B")
    before = Card.objects.get(pk=b.pk).order
    todo, doing, _done = columns(chantier)

    services.move_card(a, by=coordinator, to_column=doing)

    assert titles_in(todo) == ["B"] and titles_in(doing) == ["A"]
    assert Card.objects.get(pk=b.pk).order == before


@pytest.mark.parametrize(
    ("position", "expected"),
    [(0, ["D", "A", "B", "C"]), (1, ["A", "D", "B", "C"]), (3, ["A", "B", "C", "D"])],
)
def test_move_card_to_a_position(chantier, coordinator, position, expected):
    for title in ("A", "B", "C", "D"):
        services.add_card(chantier, by=coordinator, title=title)
    todo = columns(chantier)[0]
    d = Card.objects.get(title="D")

    services.move_card(d, by=coordinator, to_column=todo, position=position)

    assert titles_in(todo) == expected


def test_many_moves_into_the_same_gap_renumber_instead_of_colliding(chantier, coordinator):
    for title in ("A", "B"):
        services.add_card(chantier, by=coordinator, title=title)
    doing = columns(chantier)[1]
    a, b = Card.objects.get(title="A"), Card.objects.get(title="B")
    services.move_card(a, by=coordinator, to_column=doing)
    services.move_card(b, by=coordinator, to_column=doing)
    for number in range(70):  # more halvings than fifteen decimal places allow
        card = services.add_card(chantier, by=coordinator, title=f"N{number}")
        services.move_card(card, by=coordinator, to_column=doing, position=1)

    assert titles_in(doing)[0] == "A" and titles_in(doing)[-1] == "B"
    assert len(titles_in(doing)) == 72


def test_card_history_says_who_moved_it_where_and_when(chantier, coordinator):
    moment = datetime.datetime(2026, 3, 5, 10, 0, tzinfo=datetime.UTC)
    card = services.add_card(chantier, by=coordinator, title="A")
    doing = columns(chantier)[1]

    with time_machine.travel(moment, tick=False):
        services.move_card(card, by=coordinator, to_column=doing)

    record = card.history.order_by("-history_id").first()
    assert (record.history_change_reason, record.history_user, record.column_id) == (
        "moved",
        coordinator,
        doing.pk,
    )
    assert record.history_date == moment


def test_card_cannot_move_to_another_chantiers_column(chantier, coordinator):
    card = services.add_card(chantier, by=coordinator, title="A")
    other = chantier_with(coordinator, title="Other")

    with pytest.raises(services.ChantierError):
        services.move_card(card, by=coordinator, to_column=columns(other)[1])


def test_edit_chantier_renames_columns(chantier, coordinator):
    services.edit_chantier(
        chantier,
        by=coordinator,
        title="Jardin",
        purpose="",
        status="paused",
        related_commons=[],
        column_names={"todo": "Idées", "doing": "", "done": "Récolté"},
    )

    labels = [c.label for c in columns(chantier)]
    assert labels[0] == "Idées" and labels[2] == "Récolté"
    chantier.refresh_from_db()
    assert chantier.status == "paused"


def test_member_cannot_edit_chantier(chantier):
    member = UserFactory()
    services.join_chantier(chantier, member)
    with pytest.raises(services.ChantierError, match="coordinators"):
        services.edit_chantier(
            chantier, by=member, title="X", purpose="", status="active", related_commons=[],
            column_names={},
        )  # fmt: skip


def test_link_workshop_and_its_page_names_the_chantier(client, chantier, coordinator):

    workshop = WorkshopFactory()
    services.link_workshop(chantier, workshop, by=coordinator, kind="starts")

    body = client.get(workshop.get_absolute_url()).content.decode()
    assert chantier.title in body
    assert chantier.get_absolute_url() in body


def test_deleting_a_person_leaves_no_id_in_the_card_history(chantier, coordinator):
    helper = UserFactory()
    services.join_chantier(chantier, helper)
    card = services.add_card(chantier, by=helper, title="Four à pain", assignee=helper)
    services.move_card(card, by=coordinator, to_column=columns(chantier)[1])

    helper_id = helper.pk
    history_rows = Card.history.filter(id=card.pk).count()

    personal_data.delete_person(helper, delete_account)

    assert Card.objects.get(pk=card.pk).title == "Four à pain"
    assert Card.history.filter(assignee_id=helper_id).count() == 0
    assert Card.history.filter(created_by_id=helper_id).count() == 0
    assert Card.history.filter(id=card.pk).count() == history_rows > 0
