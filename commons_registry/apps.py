from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsRegistryConfig(AppConfig):
    name = "commons_registry"
    verbose_name = _("Commons")

    def ready(self):
        from assembly import personal_data

        from .models import Commons

        def stewarded_commons(person) -> list[dict]:
            return [
                {"name": name, "slug": slug, "state": state}
                for name, slug, state in Commons.objects.filter(stewards=person)
                .order_by("name")
                .values_list("name", "slug", "state")
            ]

        personal_data.register("stewarded_commons", stewarded_commons)
