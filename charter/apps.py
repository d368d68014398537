from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charter")

    def ready(self):
        from assembly import search

        from .search import SOURCES

        # What this app contributes to /search/, filtered by its own visibility rules.
        for source in SOURCES:
            search.register(source)

        # The charter reacts to decisions through their explicit registries, not signals.
        from assembly import merging, personal_data
        from decisions import effects, extensions
        from decisions.models import Decision
        from workshops import minutes

        from . import personal_data as sections
        from .minutes import minutes_section
        from .models import Amendment
        from .services import apply_adopted_amendment
        from .views import decision_section

        effects.register(Decision.Kind.CHARTER_CHANGE.value, apply_adopted_amendment)
        extensions.register_detail_section(Decision.Kind.CHARTER_CHANGE.value, decision_section)
        extensions.register_start_form(Decision.Kind.CHARTER_CHANGE.value, "charter:amend")
        # After the decisions: the minutes list what was decided, then the versions it made.
        minutes.register_section(minutes_section)

        # Exported; amendments hold no person of their own: their author is the decision's.
        personal_data.register("charter_amendments", sections.charter_amendments)

        # What the charter's pages read (assembly/page_cache/reads.py): its versions, the
        # amendments under discussion and their decisions; and what the charter's section of a
        # charter-change decision's page reads.
        from assembly import page_cache
        from assembly.models import User

        from .models import Charter, CharterVersion

        charter_tables = (Charter, CharterVersion, Amendment, Decision)
        for name in ("charter:current", "charter:versions", "charter:version", "charter:diff"):
            page_cache.declare_page(name, *charter_tables)
        page_cache.also_reads(
            "decisions:detail", *charter_tables, page_cache.Without(User, "membership")
        )
        # Exported; the resolved amendment stays, its resolver set to NULL.
        personal_data.register(
            "charter_conflicts_resolved", sections.charter_conflicts_resolved, covers=[Amendment]
        )

        # A merge (assembly.merging): the resolved conflict names the kept person.
        merging.register_merge(Amendment, "resolved_by")

        # The charter history importer of the import engine (manage.py import charter).
        from assembly import imports

        from .importing import CharterImporter

        imports.register(CharterImporter())
