from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget")

    def ready(self):
        # The budget reacts to decisions through their explicit registries, as the charter does.
        from assembly import personal_data
        from decisions import effects, extensions
        from decisions.models import Decision

        from .models import Entry
        from .personal_data import recorded_entries
        from .services import create_budget_line
        from .views import decision_section

        effects.register(Decision.Kind.FINANCE.value, create_budget_line)
        extensions.register_detail_section(Decision.Kind.FINANCE.value, decision_section)
        extensions.register_start_form(Decision.Kind.FINANCE.value, "budget:propose")
        personal_data.register("ledger_entries", recorded_entries, covers=[Entry])

        # What the budget's section of a finance decision's page reads (assembly/page_cache).
        from assembly import page_cache
        from chantiers.models import Chantier

        from .models import BudgetLine, FinanceProposal

        page_cache.also_reads("decisions:detail", FinanceProposal, BudgetLine, Entry, Chantier)

        # A merge of two people (assembly.merging): the entries name the kept person.
        from assembly import merging

        from .models import Entry

        # Ledger entries are never edited by people; a merge only renames who recorded them,
        # through the base manager, which the immutable ledger's queryset does not guard.
        merging.register_merge(
            Entry,
            "recorded_by",
            move=lambda kept, merged: Entry._base_manager.filter(recorded_by=merged).update(
                recorded_by=kept
            ),
        )
