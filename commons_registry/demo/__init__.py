"""Demo commons of Lillebonne, a Lille-like town in northern France. Safe to run twice."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from assembly.models import User

from .models import Category, Commons, OstromAssessment

CENTRE = (50.63, 3.06)
LARGE_COUNT = 1000
LARGE_PREFIX = "commun-demo-"

# name, category slug, summary, (lat, lon) or None, status, founded, licence, website
COMMONS = [
    ("Jardin partagé des Bois-Blancs", "jardins-alimentation",
     "Un jardin en pied d'immeuble où les habitants cultivent ensemble légumes, fleurs et amitiés.",
     (50.6382, 3.0355), "active", 2011, "", "https://jardin-boisblancs.example.org"),
    ("Grainothèque de Fives", "jardins-alimentation",
     "Des graines paysannes libres de droits, à prendre et à rendre à la médiathèque.",
     (50.6289, 3.0912), "active", 2016, "", ""),
    ("AMAP du Vieux-Lillebonne", "jardins-alimentation",
     "Un maraîcher de la Pévèle et quarante familles qui partagent récoltes et risques.",
     (50.6404, 3.0631), "active", 2008, "", "https://amap-vieux.example.org"),
    ("Épicerie coopérative La Bonne Graine", "jardins-alimentation",
     "Une épicerie gérée par ses membres : trois heures de bénévolat par mois, des prix justes.",
     (50.6251, 3.0702), "active", 2019, "", "https://labonnegraine.example.org"),
    ("Compost collectif de Wazemmes", "jardins-alimentation",
     "Des bacs de compostage de quartier, entretenus par un collectif de voisins référents.",
     (50.6240, 3.0511), "dormant", 2014, "", ""),
    ("Foncière solidaire Terre de Lien Nord", "habitat-foncier",
     "Une foncière citoyenne qui achète des terres agricoles pour y installer des paysans bio.",
     (50.6330, 3.0580), "active", 2010, "", "https://terre-lien-nord.example.org"),
    ("Habitat participatif Les Hirondelles", "habitat-foncier",
     "Douze logements conçus et gérés ensemble, avec une salle commune et une buanderie partagée.",
     (50.6157, 3.0809), "active", 2017, "", ""),
    ("Organisme de foncier solidaire du Faubourg", "habitat-foncier",
     "Un bail réel solidaire qui sort le sol de la spéculation pour des logements abordables.",
     (50.6199, 3.0449), "active", 2021, "", ""),
    ("Enercoop Lillebonne Centrale villageoise", "energie",
     "Des panneaux solaires citoyens sur les toits des écoles, financés par 300 habitants.",
     (50.6452, 3.0744), "active", 2018, "", "https://solaire-citoyen.example.org"),
    ("Atelier vélo L'Heureux Cyclage", "mobilite",
     "Un atelier où l'on apprend à réparer son vélo avec des outils et des pièces partagés.",
     (50.6310, 3.0480), "active", 2009, "", "https://heureux-cyclage.example.org"),
    ("Vélos-cargos en partage", "mobilite",
     "Trois vélos-cargos réservables par les habitants du quartier, entretenus par des bénévoles.",
     (50.6221, 3.0627), "active", 2020, "", ""),
    ("Wiki de Lillebonne", "logiciel-libre-numerique",
     "L'encyclopédie libre de la ville : histoire des rues, lieux, associations, écrite par tous.",
     None, "active", 2012, "CC BY-SA 4.0", "https://wiki.lillebonne.example.org"),
    ("Chatons du Nord", "logiciel-libre-numerique",
     "Un hébergeur associatif qui offre courriel, agenda et visio libres, sans pistage.",
     None, "active", 2017, "AGPL-3.0", "https://chatons-nord.example.org"),
    ("Cartographie OpenStreetMap locale", "logiciel-libre-numerique",
     "Des cartoparties mensuelles pour compléter la carte libre des rues et des rampes d'accès.",
     None, "active", 2013, "ODbL", "https://osm-lillebonne.example.org"),
    ("Fablab La Fabrique", "logiciel-libre-numerique",
     "Imprimantes 3D, découpe laser et savoir-faire partagés, ouverts le mercredi et le samedi.",
     (50.6347, 3.0822), "active", 2015, "", "https://lafabrique.example.org"),
    ("Bibliothèque d'objets", "savoirs-culture",
     "Perceuse, appareil à raclette, tente : on emprunte au lieu d'acheter, pour une cotisation.",
     (50.6281, 3.0588), "active", 2019, "", ""),
    ("Université populaire des communs", "savoirs-culture",
     "Des cours du soir gratuits, donnés par les habitants, sur tout ce qu'ils savent.",
     (50.6366, 3.0690), "active", 2016, "CC BY 4.0", ""),
    ("Archives ouvertes du quartier", "savoirs-culture",
     "Photos, récits et documents du quartier numérisés et placés sous licence libre.",
     None, "dormant", 2014, "CC BY-SA 4.0", ""),
    ("Tiers-lieu La Gare Saint-Sauveur", "tiers-lieux",
     "Une ancienne halle ferroviaire devenue café, atelier et salle pour les collectifs.",
     (50.6302, 3.0752), "active", 2013, "", "https://gare-saint-sauveur.example.org"),
    ("La Maison des Communs", "tiers-lieux",
     "Le lieu de l'Assemblée : coworking solidaire, cuisine partagée et salle de réunion.",
     (50.6334, 3.0641), "active", 2018, "", ""),
    ("Café associatif Le Polder", "tiers-lieux",
     "Un café à prix libre où l'on organise répare-tout, soirées jeux et permanences juridiques.",
     (50.6195, 3.0588), "ended", 2010, "", ""),
    ("Monnaie locale La Lilloise", "finance-monnaies",
     "Une monnaie locale complémentaire acceptée par 150 commerçants, gérée par ses usagers.",
     None, "active", 2015, "", "https://monnaie-lilloise.example.org"),
    ("Cigales du Nord", "finance-monnaies",
     "Des clubs d'épargnants qui investissent ensemble dans des projets locaux et solidaires.",
     (50.6372, 3.0560), "active", 2002, "", ""),
    ("Maison de santé pluriprofessionnelle du Moulin", "sante-soin",
     "Médecins, infirmières et habitants co-décident de l'organisation des soins du quartier.",
     (50.6178, 3.0733), "active", 2016, "", ""),
    ("Réseau d'entraide des aidants", "sante-soin",
     "Des aidants familiaux qui se relaient, partagent conseils et temps de répit.",
     None, "active", 2020, "", ""),
    ("Repair café de Moulins", "autre",
     "Chaque premier samedi, des bénévoles aident à réparer grille-pain, vêtements et ordinateurs.",
     (50.6166, 3.0681), "active", 2014, "", ""),
]  # fmt: skip

STEWARDED_BY_MEMBER = ["la-maison-des-communs", "wiki-de-lillebonne"]
ASSESSED = ["jardin-partage-des-bois-blancs", "la-maison-des-communs", "monnaie-locale-la-lilloise",
            "chatons-du-nord"]  # fmt: skip


def _describe(name: str, category: Category) -> dict:
    return {
        "resource": f"**{name}** met en commun une ressource de la catégorie « {category.name} », "
        "ouverte à qui veut y prendre part.",
        "community": "Une vingtaine de contributeurs réguliers, des usagers du quartier et des "
        "sympathisants qui passent de temps en temps.",
        "governance": "Une assemblée mensuelle ouverte décide par consentement ; une charte "
        "précise les droits et devoirs de chacun. Les comptes sont publics.",
    }


def _assess(commons: Commons, steward, rng: random.Random) -> None:
    if commons.assessments.exists():
        return
    assessment = OstromAssessment(
        commons=commons,
        assessed_by=steward,
        assessed_on=date(2026, 3, 1) - timedelta(days=rng.randint(0, 300)),
    )
    levels = [OstromAssessment.Level.PRESENT, OstromAssessment.Level.PARTIAL,
              OstromAssessment.Level.ABSENT, OstromAssessment.Level.NOT_APPLICABLE]  # fmt: skip
    for field, _label in OstromAssessment.PRINCIPLES:
        setattr(assessment, field, rng.choices(levels, weights=[5, 4, 2, 1])[0])
        setattr(assessment, f"{field}_comment", "")
    assessment.boundaries_comment = "Adhésion annuelle à prix libre ; qui contribue est membre."
    assessment.save()


def seed(scale: str, stdout) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    now = timezone.now()
    categories = {category.slug: category for category in Category.objects.all()}
    member = User.objects.filter(email="member@example.org").first()
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    created = 0
    for name, slug_of_category, summary, place, status, founded, licence, website in COMMONS:
        category = categories[slug_of_category]
        slug = slugify(name)
        commons, was_created = Commons.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name, "summary": summary, "category": category, "status": status,
                "latitude": Decimal(str(place[0])) if place else None,
                "longitude": Decimal(str(place[1])) if place else None,
                "address": "Lillebonne" if place else "",
                "founded_year": founded, "licence": licence, "website": website,
                "state": Commons.State.PUBLISHED, "submitted_by": facilitator,
                "last_confirmed_at": now - timedelta(days=rng.randint(10, 300)),
                **_describe(name, category),
            },
        )  # fmt: skip
        created += was_created
        if was_created and member and slug in STEWARDED_BY_MEMBER:
            commons.stewards.add(member)
        if slug in ASSESSED:
            _assess(commons, member if slug in STEWARDED_BY_MEMBER else facilitator, rng)
    if member and not Commons.objects.filter(slug="compost-des-jardins-suspendus").exists():
        # One proposal waiting in the facilitators' moderation queue.
        Commons.objects.create(
            name="Compost des jardins suspendus", slug="compost-des-jardins-suspendus",
            summary="Un compost sur les toits.", category=categories["autre"],
            latitude=Decimal("50.6290"), longitude=Decimal("3.0610"),
            state=Commons.State.PROPOSED, submitted_by=member,
        )  # fmt: skip
        created += 1
    if scale == "large":
        created += _seed_large(categories, now, rng)
    stdout.write(f"commons_registry: {created} commons created.\n")


def _seed_large(categories: dict, now, rng: random.Random) -> int:
    """1,000 extra published commons around the town, bulk-created (no history rows)."""
    existing = set(
        Commons.objects.filter(slug__startswith=LARGE_PREFIX).values_list("slug", flat=True)
    )
    category_list = list(categories.values())
    batch = []
    for number in range(1, LARGE_COUNT + 1):
        slug = f"{LARGE_PREFIX}{number:04d}"
        if slug in existing:
            continue
        category = category_list[number % len(category_list)]
        located = number % 5 != 0
        batch.append(Commons(
            name=f"Commun de démonstration n°{number}", slug=slug,
            summary=f"Un commun de démonstration de la catégorie « {category.name} ».",
            category=category, status=Commons.Status.ACTIVE, state=Commons.State.PUBLISHED,
            latitude=Decimal(f"{CENTRE[0] + rng.uniform(-0.06, 0.06):.6f}") if located else None,
            longitude=Decimal(f"{CENTRE[1] + rng.uniform(-0.09, 0.09):.6f}") if located else None,
            resource="Une ressource partagée.", community="Des habitants.",
            governance="Une assemblée ouverte.", last_confirmed_at=now, created_at=now,
        ))  # fmt: skip
    Commons.objects.bulk_create(batch, batch_size=500)
    return len(batch)
