from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChantiersConfig(AppConfig):
    name = "chantiers"
    verbose_name = _("Chantiers")

    def ready(self):
        from assembly import personal_data, pickers
        from workshops import extensions

        from . import personal_data as sections
        from .models import Card, Chantier, ChantierWorkshop, Participant
        from .pickers import card_people_for
        from .views import workshop_section

        extensions.register_detail_section(workshop_section)
        pickers.register_people_source("chantier", card_people_for)
        personal_data.register(
            "chantiers", sections.chantiers, covers=[Participant, Chantier, ChantierWorkshop]
        )
        # Exported; a card stays with its chantier, the person's name leaves its history.
        personal_data.register(
            "chantier_cards",
            sections.cards,
            covers=[Card, Card.history.model],
            before_delete=sections.forget_in_card_history,
        )

        # A merge of two people (assembly.merging): one participation per chantier (the kept
        # person's wins); cards, their history and links name the kept person.
        from assembly import merging

        from .models import Card, Chantier, ChantierWorkshop, Participant

        merging.register_merge(Participant, "person", unique_with=["chantier"])
        merging.register_merge(Chantier, "started_by")
        merging.register_merge(ChantierWorkshop, "linked_by")
        for field in ("assignee", "created_by"):
            merging.register_merge(Card, field)
            merging.register_merge(Card.history.model, field)
        merging.register_merge(Card.history.model, "history_user")
