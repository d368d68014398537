from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self):
        from assembly import search

        from .search import SOURCES

        # What this app contributes to /search/, filtered by its own visibility rules.
        for source in SOURCES:
            search.register(source)

        from assembly import personal_data
        from workshops import minutes

        from . import personal_data as sections
        from .minutes import minutes_section
        from .models import Comment, Decision, RollEntry, Vote

        minutes.register_section(minutes_section)

        # Exported; each stays, anonymised (SET_NULL), as part of what the assembly decided.
        personal_data.register("authored_decisions", sections.authored_decisions, covers=[Decision])
        personal_data.register("decision_comments", sections.decision_comments, covers=[Comment])
        # Exported; the roll entry loses its person, its vote and history stay counted. Its
        # voter_ref (the former account id, no longer anyone's) stays: the frozen roll's
        # fingerprint is computed from it.
        personal_data.register("votes", sections.votes, covers=[RollEntry, Vote.history.model])
        # Exported; the decisions' history stays, anonymised (history_user SET_NULL, author
        # cleared).
        personal_data.register(
            "outcome_statements",
            sections.outcome_statements,
            covers=[Decision.history.model],
            before_delete=sections.forget_author_in_history,
        )

        # A merge of two people (assembly.merging): the rule for frozen rolls is in merging.py.
        from . import merging

        merging.register()

        # What the decision log and a decision's page read (assembly/page_cache/reads.py):
        # people's names but not their membership (the roll is frozen when the vote opens), so
        # neither a tick at the door nor the recompute after it renews them. The apps further
        # right add what their sections read (a charter change's amendment, a budget line).
        from django.contrib.auth.models import Group

        from assembly import page_cache
        from assembly.models import User
        from commons_registry.models import Commons

        people = page_cache.Without(User, "membership")
        page_cache.declare_page("decisions:list", Decision, Vote, people)
        page_cache.declare_page(
            "decisions:detail",
            Decision,
            Decision.history.model,
            Comment,
            RollEntry,
            Vote,
            Vote.history.model,
            Commons,
            people,
            # Who may hide a comment or record the outcome (a facilitator) is asked of the groups.
            Group,
        )
        # An entry lists the decisions linked to it.
        page_cache.also_reads("commons:detail", Decision)
