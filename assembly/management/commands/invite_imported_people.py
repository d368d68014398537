"""manage.py invite_imported_people BATCH: the people a people (or attendance) import registered
receive the door's invitation to claim their account, once each (a second run invites nobody
twice). The invitations are queued: the Celery worker sends them."""

from assembly import follow_ups
from assembly.follow_ups.commands import BatchFollowUpCommand


class Command(BatchFollowUpCommand):
    help = (
        "Invite the people an import registered (its batch number, as /settings/imports/ lists "
        "it) to claim their accounts, once each."
    )
    kinds = follow_ups.PEOPLE_KINDS
    not_found = "No applied people or attendance import has the number {batch}."
    dry_run_help = "Say how many would be invited, invite nobody."

    def preview(self, batch):
        return f"would invite={follow_ups.people_to_invite(batch).count()}"

    def follow_up(self, batch):
        return f"invited={follow_ups.invite(batch)}"
