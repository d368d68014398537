from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsRegistryConfig(AppConfig):
    name = "commons_registry"
    verbose_name = _("Commons")

    def ready(self):
        from assembly import search

        from .search import SOURCES

        # What this app contributes to /search/, filtered by its own visibility rules.
        for source in SOURCES:
            search.register(source)

        from assembly import merging, personal_data

        from . import personal_data as sections
        from .models import Commons, OstromAssessment

        # Exported; the stewardship goes with the account (on_delete CASCADE).
        personal_data.register(
            "stewarded_commons", sections.stewarded_commons, covers=[Commons.stewards.through]
        )
        # Exported; the entries stay, without their proposer (SET_NULL).
        personal_data.register("proposed_commons", sections.proposed_commons, covers=[Commons])
        # Exported; the history stays, anonymised (history_user SET_NULL, submitted_by cleared).
        personal_data.register(
            "commons_changes",
            sections.commons_changes,
            covers=[Commons.history.model],
            before_delete=sections.forget_proposer_in_history,
        )
        # Exported; the assessments stay, anonymised (SET_NULL).
        personal_data.register(
            "ostrom_assessments", sections.ostrom_assessments, covers=[OstromAssessment]
        )

        # A merge (assembly.merging): one stewardship per commons (the kept person's wins); the
        # entries, their history and the assessments name the kept person.
        merging.register_merge(Commons.stewards.through, "user", unique_with=["commons"])
        merging.register_merge(Commons, "submitted_by")
        merging.register_merge(Commons.history.model, "submitted_by")
        merging.register_merge(Commons.history.model, "history_user")
        merging.register_merge(OstromAssessment, "assessed_by")

        # The commons importer of the import engine (manage.py import commons, /settings/imports/).
        from assembly import imports

        from .importing import CommonsImporter

        imports.register(CommonsImporter())

        # What the directory, the map and an entry read (assembly/page_cache/reads.py): people's
        # names but not their membership, nothing a tick at the door writes. The apps further
        # right add what an entry lists of theirs (its workshops, its decisions).
        from assembly import page_cache
        from assembly.models import User

        from .models import Category

        for name in ("commons:directory", "commons:map"):
            page_cache.declare_page(name, Commons, Category)
        page_cache.declare_page(
            "commons:detail",
            Commons,
            Category,
            OstromAssessment,
            page_cache.Without(User, "membership"),
        )
