"""The rules of the directory: proposing, moderating, editing, confirming and assessing commons.

Each function runs in one transaction, locks the entry it changes, and raises CommonsError with a
message a person can read.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.domain import DomainError
from assembly.tasking import enqueue_on_commit

from . import emails
from .models import Commons, OstromAssessment

# Fields a participant proposes and a steward edits; moderation and bookkeeping stay out of reach.
EDITABLE_FIELDS = [
    "name", "summary", "category", "status", "description", "resource", "community",
    "governance", "address", "latitude", "longitude", "website", "contact_email", "licence",
    "founded_year",
]  # fmt: skip


class CommonsError(DomainError):
    """A rule of the directory refused the action; str(error) is for the person who asked."""

    def __init__(self, message, existing: Commons | None = None):
        super().__init__(message)
        self.existing = existing


def find_duplicate(name: str, exclude_pk=None) -> Commons | None:
    """An entry (proposed or published) already using this name, whatever its case."""
    queryset = Commons.objects.exclude(state=Commons.State.REJECTED).filter(
        name__iexact=name.strip()
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()


def newest_published(limit: int = 5):
    """The newest published commons, for the home page: the columns its cards show only
    (commons_registry/templatetags/commons_home.py), every other one cost its conversion."""
    return (
        Commons.objects.published()
        .select_related("category")
        .only("name", "slug", "summary", "category__name")
        .newest()[:limit]
    )


def _mark_changed_by(commons: Commons, person) -> None:
    # simple-history reads the author from here when no request is at hand (tasks, commands).
    commons._history_user = person


@transaction.atomic
def propose_commons(*, by, data: dict, now=None) -> Commons:
    """A participant proposes an entry; it waits for a facilitator to publish it."""
    duplicate = find_duplicate(data["name"])
    if duplicate is not None:
        raise CommonsError(_("A commons with this name already exists."), existing=duplicate)
    commons = Commons(**{field: data.get(field) for field in EDITABLE_FIELDS if field in data})
    commons.state = Commons.State.PROPOSED
    commons.submitted_by = by
    commons.full_clean(exclude=["slug"])
    _mark_changed_by(commons, by)
    commons.save()
    return commons


def _locked(commons: Commons) -> Commons:
    return Commons.objects.select_for_update().get(pk=commons.pk)


@transaction.atomic
def publish_commons(commons: Commons, *, by, now=None) -> Commons:
    """Publish a proposal; its proposer becomes a steward and is told by e-mail."""

    now = now or timezone.now()
    commons = _locked(commons)
    if commons.state != Commons.State.PROPOSED:
        raise CommonsError(_("Only a proposed commons can be published."))
    commons.state = Commons.State.PUBLISHED
    commons.moderation_reason = ""
    commons.moderated_at = now
    commons.last_confirmed_at = now
    _mark_changed_by(commons, by)
    commons.save()
    if commons.submitted_by_id:
        commons.stewards.add(commons.submitted_by_id)
        enqueue_on_commit("commons_registry.notify_moderation", commons_pk=commons.pk)
    enqueue_on_commit("commons_registry.note_commons_published", commons_pk=commons.pk)
    return commons


@transaction.atomic
def reject_commons(commons: Commons, *, by, reason: str, now=None) -> Commons:
    """Refuse a proposal, saying why; the proposer is told by e-mail."""

    reason = (reason or "").strip()
    if not reason:
        raise CommonsError(_("Say why the proposal is rejected."))
    commons = _locked(commons)
    if commons.state != Commons.State.PROPOSED:
        raise CommonsError(_("Only a proposed commons can be rejected."))
    commons.state = Commons.State.REJECTED
    commons.moderation_reason = reason
    commons.moderated_at = now or timezone.now()
    _mark_changed_by(commons, by)
    commons.save()
    if commons.submitted_by_id:
        enqueue_on_commit("commons_registry.notify_moderation", commons_pk=commons.pk)
    return commons


@transaction.atomic
def edit_commons(commons: Commons, *, by, data: dict, now=None) -> Commons:
    """A steward or facilitator changes the entry directly; history keeps who changed what."""
    duplicate = find_duplicate(data["name"], exclude_pk=commons.pk) if "name" in data else None
    if duplicate is not None:
        raise CommonsError(_("A commons with this name already exists."), existing=duplicate)
    commons = _locked(commons)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(commons, field, data[field])
    commons.full_clean()
    _mark_changed_by(commons, by)
    commons.save()
    return commons


@transaction.atomic
def confirm_commons(commons: Commons, *, by, now=None) -> Commons:
    """A steward says the entry is still true; the yearly question starts again."""
    commons = _locked(commons)
    if commons.state != Commons.State.PUBLISHED:
        raise CommonsError(_("Only a published commons can be confirmed."))
    commons.last_confirmed_at = now or timezone.now()
    commons.confirmation_requested_at = None
    _mark_changed_by(commons, by)
    commons.save()
    return commons


@transaction.atomic
def add_assessment(commons: Commons, *, by, levels: dict, comments: dict, today=None):
    """Record a steward's Ostrom self-assessment of the entry."""
    commons = _locked(commons)
    assessment = OstromAssessment(
        commons=commons, assessed_by=by, assessed_on=today or timezone.localdate()
    )
    for field, _label in OstromAssessment.PRINCIPLES:
        setattr(assessment, field, levels.get(field, OstromAssessment.Level.NOT_APPLICABLE))
        setattr(assessment, f"{field}_comment", comments.get(field, ""))
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def ask_stewards_to_confirm(commons_pk: int, now) -> bool:
    """Mark a due entry as asked and queue one e-mail per steward, together: only one caller
    wins, so stewards are asked once a year, and a crash after this leaves the e-mails waiting for
    the next run (emails.send_pending), never lost."""
    marked = (
        Commons.objects.due_for_confirmation(now)
        .filter(pk=commons_pk)
        .update(confirmation_requested_at=now)
    )
    if not marked:
        return False
    commons = Commons.objects.get(pk=commons_pk)
    emails.queue_confirmation_requests(commons, commons.stewards.all(), now)
    return True
