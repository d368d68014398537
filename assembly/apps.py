from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "assembly"
    verbose_name = _("Assembly")

    def ready(self):
        from allauth.account.signals import password_reset

        from . import personal_data
        from .models import Delivery, DigestItem, NotificationPreferences, Subscriber
        from .notifications import digest, subscriptions, topics
        from .people import deliveries_data, mark_email_verified, profile_data

        personal_data.register("profile", profile_data)
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
