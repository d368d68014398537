"""What the assembly keeps about a fediverse account that follows it, and how it is forgotten.

A follower has no account here, so `/me/export.json` cannot reach it: an administrator answers
the request of the person behind the account (export), and forgets the account when asked, as
an `Undo` of the follow or the `Delete` of the account does by itself.
"""

from django.db import transaction

from .models import Activity, ActivityDelivery, Follower, InboxItem, RemoteKey


def follower_records(follower: Follower) -> dict:
    return {
        "actor": follower.actor_url,
        "inbox": follower.inbox_url,
        "shared_inbox": follower.shared_inbox_url,
        "follow_activity": follower.follow_activity_id,
        "following_since": follower.followed_at.isoformat(),
        "keys": list(
            RemoteKey.objects.filter(owner=follower.actor_url).values_list("key_id", flat=True)
        ),
        "activities_received": [
            {"received_at": item.received_at.isoformat(), "state": item.state}
            for item in InboxItem.objects.filter(actor_url=follower.actor_url)
        ],
        "answers_sent": list(
            Activity.objects.filter(
                public=False, deliveries__inbox_url=follower.inbox_url
            ).values_list("payload", flat=True)
        ),
    }


@transaction.atomic
def forget_follower(follower: Follower) -> None:
    """The follower, its keys, what it sent and what we sent to it alone."""
    own_answers = Activity.objects.filter(public=False, deliveries__inbox_url=follower.inbox_url)
    Activity.objects.filter(pk__in=list(own_answers.values_list("pk", flat=True))).delete()
    # Its own inbox only: a shared inbox serves the other accounts of its server too.
    ActivityDelivery.objects.filter(inbox_url=follower.inbox_url).delete()
    InboxItem.objects.filter(actor_url=follower.actor_url).delete()
    RemoteKey.objects.filter(owner=follower.actor_url).delete()
    follower.delete()
