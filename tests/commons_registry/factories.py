"""Factories for the directory's tests."""

from decimal import Decimal
from importlib import import_module

import factory

from commons_registry.models import Category, Commons, OstromAssessment

SEEDED = import_module("commons_registry.migrations.0003_seed_categories").CATEGORIES


def category(slug="jardins-alimentation") -> Category:
    """The categories come from a data migration; transactional tests flush them, so recreate."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        for order, (seeded_slug, name, colour, icon) in enumerate(SEEDED, start=1):
            Category.objects.get_or_create(
                slug=seeded_slug,
                defaults={"name": name, "colour": colour, "icon": icon, "order": order * 10},
            )
        category = Category.objects.get(slug=slug)
    return category


class CommonsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commons
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Jardin partagé n°{n}")
    summary = "Un jardin ouvert à toutes et tous."
    category = factory.LazyFunction(category)
    resource = "Des parcelles et des outils."
    community = "Les voisines et voisins du quartier."
    governance = "Une réunion mensuelle ouverte."
    latitude = Decimal("50.630000")
    longitude = Decimal("3.060000")
    state = Commons.State.PUBLISHED

    @factory.post_generation
    def stewards(self, create, extracted, **kwargs):
        if create and extracted:
            self.stewards.add(*extracted)


class OstromAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OstromAssessment

    commons = factory.SubFactory(CommonsFactory)
    assessed_on = factory.Faker("date_this_year")
    boundaries = OstromAssessment.Level.PRESENT
    congruence = OstromAssessment.Level.PARTIAL
    collective_choice = OstromAssessment.Level.PRESENT
    monitoring = OstromAssessment.Level.ABSENT
    sanctions = OstromAssessment.Level.NOT_APPLICABLE
