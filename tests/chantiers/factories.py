"""Chantiers made through their own rules, as a person would make them."""

from chantiers import services
from tests.factories import UserFactory


def chantier_with(coordinator=None, *, title="Jardin partagé", members=(), cards=0):
    coordinator = coordinator or UserFactory()
    chantier = services.start_chantier(by=coordinator, title=title, purpose="Cultiver *ensemble*.")
    for member in members:
        services.join_chantier(chantier, member)
    for number in range(cards):
        services.add_card(chantier, by=coordinator, title=f"Card {number + 1}")
    return chantier


def columns(chantier):
    return list(chantier.columns.order_by("position"))


def titles_in(column):
    return list(column.cards.order_by("order").values_list("title", flat=True))
