"""Demo data for chantiers: three working groups with cards in every column, some moved, and a
workshop that continues one of them. Safe to run twice: chantiers are found by their title."""

from assembly.models import User
from workshops.models import Workshop

from . import services
from .models import Chantier, Column

CHANTIERS = [
    (
        "Jardin partagé des Bois-Blancs",
        "Remettre en culture les parcelles du jardin et accueillir les voisins le samedi.",
        ["Commander les semences", "Réparer le récupérateur d'eau", "Affiche pour la fête"],
        ["Planning des arrosages", "Compost : nouveau bac"],
        ["Nettoyage des parcelles"],
    ),
    (
        "Cartographie des communs",
        "Compléter la carte des communs de la ville avant l'été.",
        ["Recenser les tiers-lieux", "Contacter la médiathèque"],
        ["Fiches des jardins partagés"],
        ["Importer le tableur de 2024", "Choisir les catégories"],
    ),
    (
        "Accueil des nouveaux venus",
        "Que personne ne reparte d'une assemblée sans avoir trouvé sa place.",
        ["Livret d'accueil", "Binômes pour la prochaine assemblée"],
        ["Atelier d'initiation de juin"],
        ["Badges prénoms", "Tour de présentation raccourci"],
    ),
]


def seed(scale: str, stdout) -> None:
    member = User.objects.filter(email="member@example.org").first()
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    newcomer = User.objects.filter(email="newcomer@example.org").first()
    if member is None or facilitator is None:
        return
    created = 0
    for title, purpose, todo, doing, done in CHANTIERS:
        if Chantier.objects.filter(title=title).exists():
            continue
        chantier = services.start_chantier(by=member, title=title, purpose=purpose)
        services.join_chantier(chantier, facilitator)
        if newcomer is not None:
            services.join_chantier(chantier, newcomer)
        stages = dict(Column.objects.filter(chantier=chantier).values_list("stage", "pk"))
        columns = {column.stage: column for column in chantier.columns.all()}
        for titles, stage in ((todo, "todo"), (doing, "doing"), (done, "done")):
            for card_title in titles:
                card = services.add_card(
                    chantier,
                    by=member,
                    title=card_title,
                    assignee=facilitator if stage == "doing" else None,
                )
                if stages[stage] != card.column_id:
                    services.move_card(card, by=facilitator, to_column=columns[stage])
        created += 1
    # A workshop continues the first chantier, so its page and the workshop's link each other.
    first = Chantier.objects.filter(title=CHANTIERS[0][0]).first()
    workshop = Workshop.objects.visible().exclude(chantier_link__isnull=False).first()
    if first is not None and workshop is not None and not first.workshop_links.exists():
        services.link_workshop(first, workshop, by=member)
    stdout.write(f"chantiers: {created} chantiers created")
