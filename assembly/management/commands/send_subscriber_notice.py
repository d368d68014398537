"""manage.py send_subscriber_notice BATCH: the one-time notice (GDPR Art. 14) to the subscribers a
mailing-list import brought, sent now, once per address (a second run sends nothing twice)."""

from assembly import follow_ups
from assembly.follow_ups.commands import BatchFollowUpCommand


class Command(BatchFollowUpCommand):
    help = (
        "Send the one-time notice to the subscribers a mailing-list import brought (its batch "
        "number, as /settings/imports/ lists it), once per address."
    )
    kinds = follow_ups.SUBSCRIBER_KINDS
    not_found = "No applied subscribers import has the number {batch}."
    dry_run_help = "Say how many are owed it, send nothing."

    def preview(self, batch):
        return f"would send={follow_ups.subscribers_owed_notice(batch).count()}"

    def follow_up(self, batch):
        report = follow_ups.send_notice(batch)
        return f"sent={report['sent']} already={report['already']} failed={report['failed']}"
