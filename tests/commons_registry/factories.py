"""Factories for the directory's tests."""

from decimal import Decimal

import factory

from commons_registry.models import Category, Commons, OstromAssessment


def category(slug="jardins-alimentation") -> Category:
    """The categories come from a data migration; tests use them as they are."""
    return Category.objects.get(slug=slug)


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
