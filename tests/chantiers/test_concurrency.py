"""Two people moving cards at once, in two database connections: no card is lost, none is in
two places, no two cards share a place."""

import pytest

from chantiers import services
from chantiers.models import Card
from tests.chantiers.factories import chantier_with, columns
from tests.concurrency import needs_postgresql, run_together


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_never_lose_nor_duplicate_a_card():
    needs_postgresql()
    chantier = chantier_with(cards=6)
    person = chantier.started_by
    doing = columns(chantier)[1]
    cards = list(Card.objects.filter(chantier=chantier).order_by("order"))

    def move(cards_to_move, target):
        for card in cards_to_move:
            # Both people drop their cards at the top of the same column at the same time.
            services.move_card(card, by=person, to_column=target, position=0)

    errors = run_together(lambda: move(cards[0:3], doing), lambda: move(cards[3:6], doing))

    assert errors == [None, None]
    rows = list(Card.objects.filter(chantier=chantier).values_list("pk", "column_id", "order"))
    assert sorted(pk for pk, _c, _o in rows) == sorted(card.pk for card in cards)
    assert {column for _p, column, _o in rows} == {doing.pk}
    assert len({order for _p, _c, order in rows}) == 6


@pytest.mark.django_db(transaction=True)
def test_the_same_card_moved_by_two_people_ends_in_one_column():
    needs_postgresql()
    chantier = chantier_with(cards=1)
    person = chantier.started_by
    _todo, doing, done = columns(chantier)
    card = Card.objects.get(chantier=chantier)

    def move(target):
        services.move_card(Card.objects.get(pk=card.pk), by=person, to_column=target)

    errors = run_together(lambda: move(doing), lambda: move(done))

    assert errors == [None, None]
    assert Card.objects.filter(pk=card.pk).count() == 1
    assert Card.objects.get(pk=card.pk).column_id in {doing.pk, done.pk}
    assert card.history.filter(history_change_reason="moved").count() == 2
