"""E-mail at the foot of the app chain: the delivery log, its exactly-once sender and the one
renderer, so that every app (commons, meetings, membership, decisions) can reach them; and who
hears what: per-topic preferences, footers and unsubscribe links (topics), the "info" list
(subscriptions) and the weekly digest (digest).

    from assembly.notifications import Outgoing, deliver, render_email, expire_stuck
    from assembly.notifications.models import Delivery
"""

from .delivery import STUCK_AFTER, Outgoing, Report, deliver, expire_stuck, retry
from .emails import render_email

__all__ = [
    "STUCK_AFTER",
    "Outgoing",
    "Report",
    "deliver",
    "expire_stuck",
    "render_email",
    "retry",
]
