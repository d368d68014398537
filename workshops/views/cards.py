"""A workshop's card, shared by the board and the workshop pages."""

from .. import permissions


def card_context(
    workshop,
    user,
    *,
    signed_up: bool,
    open_for_signups: bool,
    sees_link: bool | None = None,
    runs=None,
    facilitator: bool | None = None,
):
    """`sees_link`: whether the card shows the online link, when the caller decides it from the
    facts its kept part is keyed by (the board); otherwise asked of the person. `runs`, when the
    caller knows them (the board: `involvement_of`), are the workshops the person proposed or
    facilitates: the card then asks nothing of the workshop's facilitators. `facilitator`,
    when the caller knows it (the board, once for all its cards): whether the person is one."""
    is_full = workshop.capacity is not None and workshop.signup_count >= workshop.capacity
    if sees_link is None:
        sees_link = permissions.can_see_workshop_link(user, workshop, signed_up=signed_up)
    if facilitator is None:
        facilitator = permissions.is_facilitator(user)
    return {
        "workshop": workshop,
        "signed_up": signed_up,
        "is_full": is_full,
        "can_sign_up": open_for_signups and not workshop.hidden,
        "can_edit": (
            permissions.can_edit_workshop(user, workshop)
            if runs is None
            else workshop.pk in runs or facilitator
        ),
        # permissions.can_hide_workshop: the facilitators.
        "can_hide": facilitator,
        "can_see_link": sees_link,
    }
