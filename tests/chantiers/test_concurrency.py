"""Two people moving cards at once, in two database connections: no card is lost, none is in
two places, no two cards share a place."""

import threading

import pytest
from django.db import connection

from chantiers import services
from chantiers.models import Card
from tests.chantiers.factories import chantier_with, columns


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_never_lose_nor_duplicate_a_card():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    chantier = chantier_with(cards=6)
    person = chantier.started_by
    doing = columns(chantier)[1]
    cards = list(Card.objects.filter(chantier=chantier).order_by("order"))
    barrier = threading.Barrier(2)
    errors = []

    def move(cards_to_move, target):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            for card in cards_to_move:
                # Both people drop their cards at the top of the same column at the same time.
                services.move_card(card, by=person, to_column=target, position=0)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(cards[0:3], doing)),
        threading.Thread(target=move, args=(cards[3:6], doing)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    rows = list(Card.objects.filter(chantier=chantier).values_list("pk", "column_id", "order"))
    assert sorted(pk for pk, _c, _o in rows) == sorted(card.pk for card in cards)
    assert {column for _p, column, _o in rows} == {doing.pk}
    assert len({order for _p, _c, order in rows}) == 6


@pytest.mark.django_db(transaction=True)
def test_the_same_card_moved_by_two_people_ends_in_one_column():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    chantier = chantier_with(cards=1)
    person = chantier.started_by
    _todo, doing, done = columns(chantier)
    card = Card.objects.get(chantier=chantier)
    barrier = threading.Barrier(2)
    errors = []

    def move(target):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            services.move_card(Card.objects.get(pk=card.pk), by=person, to_column=target)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(c,)) for c in (doing, done)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Card.objects.filter(pk=card.pk).count() == 1
    assert Card.objects.get(pk=card.pk).column_id in {doing.pk, done.pk}
    assert card.history.filter(history_change_reason="moved").count() == 2
