from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "assembly"
    verbose_name = _("Assembly")

    def ready(self):
        from allauth.account.models import EmailAddress
        from allauth.account.signals import password_reset

        from . import personal_data
        from .models import Delivery, DigestItem, NotificationPreferences, Subscriber, User
        from .notifications import digest, subscriptions, topics
        from .people import (
            deliveries_data,
            email_addresses,
            mark_email_verified,
            profile_data,
            roles,
        )

        # The person's row itself: exported here, deleted last by personal_data.delete_person.
        # Their sessions hold no foreign key: the one in use is ended at deletion, any other
        # (another device) no longer finds its person and so is signed out at its next request.
        personal_data.register("profile", profile_data)
        # Exported; deleted with the account (on_delete CASCADE).
        personal_data.register("email_addresses", email_addresses, covers=[EmailAddress])
        personal_data.register(
            "roles", roles, covers=[User.groups.through, User.user_permissions.through]
        )
        # Exported; deleted with the account (on_delete CASCADE).
        personal_data.register("deliveries", deliveries_data, covers=[Delivery])
        personal_data.register(
            "notification_preferences", topics.export, covers=[NotificationPreferences]
        )
        personal_data.register("subscriptions", subscriptions.export, covers=[Subscriber])
        personal_data.register("digest_items", digest.export, covers=[DigestItem])

        # Claiming an account at the door is a password reset sent to that address: it proves it.
        password_reset.connect(
            lambda sender, request, user, **kwargs: mark_email_verified(user),
            dispatch_uid="assembly-claim-verifies-email",
            weak=False,
        )
