"""Who may do what with meetings and workshops: small predicates for views and templates alike.

They ask the database nothing beyond the cached facilitator check: views pass in what they
already loaded (the workshop's facilitators, whether the person attended).
"""


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_facilitator(user) -> bool:
    return is_signed_in(user) and user.is_facilitator


def can_see_workshop(user, workshop) -> bool:
    return not workshop.hidden or is_facilitator(user)


def can_propose_workshop(user, meeting, now=None) -> bool:
    return is_signed_in(user) and not meeting.is_cancelled and meeting.is_upcoming(now)


def can_sign_up(user, meeting, now=None) -> bool:
    return can_propose_workshop(user, meeting, now)


def can_volunteer_to_host(user, meeting, now=None) -> bool:
    return can_propose_workshop(user, meeting, now)


def facilitates(user, workshop, facilitator_ids=None) -> bool:
    """Whether the person proposed or facilitates this workshop."""
    if not is_signed_in(user):
        return False
    if workshop.proposed_by_id == user.pk:
        return True
    if facilitator_ids is None:
        facilitator_ids = {person.pk for person in workshop.facilitators.all()}
    return user.pk in facilitator_ids


def can_edit_workshop(user, workshop, facilitator_ids=None) -> bool:
    return facilitates(user, workshop, facilitator_ids) or is_facilitator(user)


def can_hide_workshop(user) -> bool:
    return is_facilitator(user)


def can_write_notes(
    user,
    meeting,
    *,
    attended: bool,
    hosts: bool = False,
    facilitates_workshop: bool = False,
    now=None,
) -> bool:
    """After the meeting has begun, the people who took part write its notes."""
    if not is_signed_in(user) or not meeting.has_started(now):
        return False
    return attended or hosts or facilitates_workshop or is_facilitator(user)


def can_record_attendance(user) -> bool:
    return is_facilitator(user)


def can_manage_meetings(user) -> bool:
    """Create and edit meetings, cancel and reinstate them: facilitators only."""
    return is_facilitator(user)


def can_cancel_meeting(user, meeting, now=None) -> bool:
    return can_manage_meetings(user) and not meeting.is_cancelled and meeting.is_upcoming(now)


def can_reinstate_meeting(user, meeting) -> bool:
    return can_manage_meetings(user) and meeting.is_cancelled


def can_manage_venues(user) -> bool:
    return is_facilitator(user)
