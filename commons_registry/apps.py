from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsRegistryConfig(AppConfig):
    name = "commons_registry"
    verbose_name = _("Commons")
