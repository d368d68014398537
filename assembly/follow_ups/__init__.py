"""What follows an import, never part of it: each an explicit action an administrator takes on one
batch, safe to run twice.

- "Invite these N people": the people an import registered (people or attendance) who have an
  address and no password yet receive the door's invitation to claim their account, once each
  (assembly.people.invite_to_claim).
- "Send the notice to these N subscribers": the subscribers a mailing-list import brought receive
  the one-time notice GDPR Art. 14 asks for, once each, from a task
  (assembly.notifications.mailing_list.send_notices); nothing else reaches them before it.

`actions_for(batch)` lists the actions a batch's page offers, with their counts and addresses.
"""

import dataclasses

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import ngettext

from assembly.imports.models import ImportBatch, ImportRecord
from assembly.models import Subscriber, User
from assembly.notifications import mailing_list
from assembly.people import invitable, invite_to_claim
from assembly.tasking import enqueue_on_commit

# The kinds of import that register people who may claim an account.
PEOPLE_KINDS = ("people", "attendance")
SUBSCRIBER_KINDS = ("subscribers",)


def entries(batch: ImportBatch, model):
    """The entries of `model` that this applied batch created or changed."""
    if batch.status != ImportBatch.Status.APPLIED:
        return model.objects.none()
    ids = ImportRecord.objects.filter(
        batch=batch, content_type=ContentType.objects.get_for_model(model)
    ).values("object_id")
    return model.objects.filter(pk__in=ids)


def people_to_invite(batch: ImportBatch):
    if batch.kind not in PEOPLE_KINDS:
        return User.objects.none()
    return invitable(entries(batch, User)).filter(claim_invited_at=None)


def invite(batch: ImportBatch, *, now=None) -> int:
    """Invite the batch's people who can still be invited; returns how many were now."""
    return invite_to_claim(people_to_invite(batch), now=now)


def subscribers_owed_notice(batch: ImportBatch):
    if batch.kind not in SUBSCRIBER_KINDS:
        return Subscriber.objects.none()
    return mailing_list.notice_due(entries(batch, Subscriber))


def queue_notice(batch: ImportBatch) -> int:
    """Queue the notice to the batch's subscribers still owed it (a task sends it once commit
    is done); returns how many are owed it now."""
    count = subscribers_owed_notice(batch).count()
    if count:
        enqueue_on_commit("assembly.send_import_notices", batch_id=batch.pk)
    return count


def send_notice(batch: ImportBatch, *, now=None) -> dict:
    """Send the notice now (the task, and the command): sent, already, failed."""
    return mailing_list.send_notices(entries(batch, Subscriber), now=now)


@dataclasses.dataclass
class Action:
    label: str
    url: str
    count: int


def actions_for(batch: ImportBatch) -> list[Action]:
    """The follow-up actions a batch's page offers (only those that still concern someone)."""
    actions = []
    if batch.kind in PEOPLE_KINDS:
        count = people_to_invite(batch).count()
        if count:
            actions.append(
                Action(
                    ngettext(
                        "Invite this person to claim their account",
                        "Invite these %(count)s people to claim their accounts",
                        count,
                    )
                    % {"count": count},
                    reverse("import-follow-ups:invite", kwargs={"pk": batch.pk}),
                    count,
                )
            )
    if batch.kind in SUBSCRIBER_KINDS:
        count = subscribers_owed_notice(batch).count()
        if count:
            actions.append(
                Action(
                    ngettext(
                        "Send the notice to this subscriber",
                        "Send the notice to these %(count)s subscribers",
                        count,
                    )
                    % {"count": count},
                    reverse("import-follow-ups:notice", kwargs={"pk": batch.pk}),
                    count,
                )
            )
    return actions
