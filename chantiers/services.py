"""The rules of chantiers: starting and joining one, editing it, its cards and their moves, and
the workshops that start or continue it. Each function runs in one transaction."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.domain import DomainError

from . import permissions
from .models import ORDER_PLACES, ORDER_STEP, Card, Chantier, ChantierWorkshop, Column, Participant

QUANTUM = Decimal(1).scaleb(-ORDER_PLACES)


class ChantierError(DomainError):
    """A rule of chantiers refused an action; the message is for a person to read."""


def _now(now):
    return now or timezone.now()


def start_chantier(*, by, title: str, purpose: str = "", related_commons=(), now=None) -> Chantier:
    """A participant starts a chantier and becomes its first coordinator; it gets its columns."""
    now = _now(now)
    if not permissions.can_start_chantier(by):
        raise ChantierError(_("Sign in to start a chantier."))
    if not title.strip():
        raise ChantierError(_("A chantier needs a title."))
    with transaction.atomic():
        chantier = Chantier.objects.create(
            title=title.strip(), purpose=purpose.strip(), started_by=by, created_at=now
        )
        Column.objects.bulk_create(
            Column(chantier=chantier, stage=stage, position=position)
            for position, stage in enumerate(Column.Stage.values)
        )
        Participant.objects.create(
            chantier=chantier, person=by, role=Participant.Role.COORDINATOR, joined_at=now
        )
        if related_commons:
            chantier.related_commons.set(related_commons)
    permissions.forget_roles(by)
    return chantier


def join_chantier(chantier: Chantier, person, *, now=None) -> Participant:
    if not permissions.is_signed_in(person):
        raise ChantierError(_("Sign in to join a chantier."))
    participant, _created = Participant.objects.get_or_create(
        chantier=chantier, person=person, defaults={"joined_at": _now(now)}
    )
    permissions.forget_roles(person)
    return participant


def leave_chantier(chantier: Chantier, person) -> None:
    with transaction.atomic():
        Chantier.objects.select_for_update().get(pk=chantier.pk)
        mine = Participant.objects.filter(chantier=chantier, person=person).first()
        if mine is None:
            return
        coordinators = Participant.objects.filter(
            chantier=chantier, role=Participant.Role.COORDINATOR
        )
        if mine.role == Participant.Role.COORDINATOR and coordinators.count() == 1:
            raise ChantierError(
                _("You are its only coordinator: make someone else coordinator before leaving.")
            )
        mine.delete()
    permissions.forget_roles(person)


def make_coordinator(chantier: Chantier, person, *, by) -> None:
    if not permissions.can_edit_chantier(by, chantier):
        raise ChantierError(_("Only its coordinators can name coordinators."))
    updated = Participant.objects.filter(chantier=chantier, person=person).update(
        role=Participant.Role.COORDINATOR
    )
    if not updated:
        raise ChantierError(_("Only people in the chantier can coordinate it."))


def edit_chantier(
    chantier: Chantier, *, by, title, purpose, status, related_commons, column_names
) -> Chantier:
    """Coordinators edit the chantier, and may rename its columns (empty: the default name)."""
    if not permissions.can_edit_chantier(by, chantier):
        raise ChantierError(_("Only its coordinators can edit a chantier."))
    if not title.strip():
        raise ChantierError(_("A chantier needs a title."))
    with transaction.atomic():
        chantier.title, chantier.purpose, chantier.status = title.strip(), purpose.strip(), status
        chantier.save(update_fields=["title", "purpose", "status"])
        chantier.related_commons.set(related_commons)
        for column in chantier.columns.all():
            name = column_names.get(column.stage, column.name).strip()
            if name != column.name:
                column.name = name
                column.save(update_fields=["name"])
    return chantier


def _check_card_rights(person, chantier):
    if not permissions.can_work_on_cards(person, chantier):
        raise ChantierError(_("Join the chantier to work on its cards."))


def add_card(
    chantier: Chantier, *, by, title: str, description="", assignee=None, due_on=None, now=None
) -> Card:
    """A card enters the first column, at its end."""
    _check_card_rights(by, chantier)
    if not title.strip():
        raise ChantierError(_("A card needs a title."))
    with transaction.atomic():
        column = Column.objects.select_for_update().get(chantier=chantier, position=0)
        card = Card(
            chantier=chantier,
            column=column,
            order=_end_of(column),
            title=title.strip(),
            description=description.strip(),
            assignee=assignee,
            due_on=due_on,
            created_by=by,
            created_at=_now(now),
        )
        card._history_user = by
        card.save()
    return card


def edit_card(card: Card, *, by, title: str, description="", assignee=None, due_on=None) -> Card:
    _check_card_rights(by, card.chantier)
    if not title.strip():
        raise ChantierError(_("A card needs a title."))
    card.title, card.description = title.strip(), description.strip()
    card.assignee, card.due_on = assignee, due_on
    card._history_user = by
    card.save(update_fields=["title", "description", "assignee", "due_on"])
    return card


def _end_of(column: Column, exclude=None) -> Decimal:
    last = Card.objects.filter(column=column).exclude(pk=exclude).aggregate(m=Max("order"))["m"]
    return (last or 0) + ORDER_STEP


def _renumber(column: Column, moving: Card) -> None:
    """The gap between two neighbours ran out: space the column's cards evenly again. Two passes
    (first above every key in use) so that the unique (column, order) constraint never collides."""
    cards = list(Card.objects.filter(column=column).exclude(pk=moving.pk).order_by("order", "pk"))
    top = Card.objects.filter(column=column).aggregate(m=Max("order"))["m"] or 0
    Card.objects.filter(pk=moving.pk).update(order=top + ORDER_STEP * (len(cards) + 1))
    for index, card in enumerate(cards, start=1):
        Card.objects.filter(pk=card.pk).update(order=top + ORDER_STEP * index)
    for index, card in enumerate(cards, start=1):
        Card.objects.filter(pk=card.pk).update(order=ORDER_STEP * index)


def _key_at(column: Column, position: int | None, moving: Card) -> Decimal | None:
    """The order key that puts the card at `position` (0 = top) among the column's other cards,
    or None when the gap there is too small to split."""
    others = Card.objects.filter(column=column).exclude(pk=moving.pk).order_by("order", "pk")
    if position is None or position >= others.count():
        return _end_of(column, exclude=moving.pk)
    if position <= 0:
        first = others.aggregate(m=Min("order"))["m"]
        return (first / 2).quantize(QUANTUM) if first > QUANTUM * 2 else None
    before, after = others.values_list("order", flat=True)[position - 1 : position + 1]
    middle = ((before + after) / 2).quantize(QUANTUM)
    return middle if before < middle < after else None


def move_card(card: Card, *, by, to_column: Column, position: int | None = None) -> Card:
    """Put a card in a column at a position (None: at the end). One row changes: the card's
    column and order key. The destination column's row lock orders concurrent moves into it, so
    two cards never take the same place and no card is ever in two columns or none."""
    _check_card_rights(by, card.chantier)
    if to_column.chantier_id != card.chantier_id:
        raise ChantierError(_("A card moves only within its own chantier."))
    with transaction.atomic():
        column = Column.objects.select_for_update().get(pk=to_column.pk)
        locked = Card.objects.select_for_update().get(pk=card.pk)
        key = _key_at(column, position, locked)
        if key is None:
            _renumber(column, locked)
            key = _key_at(column, position, locked)
        locked.column, locked.order = column, key
        locked._history_user = by
        locked._change_reason = "moved"
        locked.save(update_fields=["column", "order"])
    card.column, card.order = locked.column, locked.order
    return card


def next_column(card: Card, columns: list[Column], step: int) -> Column | None:
    """The column to the right (step 1) or left (step -1) of the card's, from a list in order."""
    places = [column.pk for column in columns]
    index = places.index(card.column_id) + step
    return columns[index] if 0 <= index < len(columns) else None


def link_workshop(chantier: Chantier, workshop, *, by, kind=ChantierWorkshop.Kind.CONTINUES):
    """This workshop starts or continues the chantier (a workshop belongs to one chantier)."""
    _check_card_rights(by, chantier)
    link, _created = ChantierWorkshop.objects.update_or_create(
        workshop=workshop, defaults={"chantier": chantier, "kind": kind, "linked_by": by}
    )
    return link
