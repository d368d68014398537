from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("Federation")

    def ready(self):
        from assembly import personal_data

        from . import personal_data as federation_data
        from .models import Follower

        # A follower's actor and inbox name someone's account elsewhere: personal data of a kind.
        personal_data.register_records(
            "fediverse-followers",
            Follower,
            export=federation_data.follower_records,
            forget=federation_data.forget_follower,
        )
