from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from commons_registry.models import Category, Commons, OstromAssessment
from tests.commons_registry.factories import CommonsFactory, OstromAssessmentFactory

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_categories_seeded_by_migration_in_french():
    names = list(Category.objects.values_list("name", flat=True))
    assert names[0] == "Jardins & alimentation"
    assert "Logiciel libre & numérique" in names
    assert names[-1] == "Autre"
    assert len(names) == 10


@pytest.mark.django_db
def test_commons_slug_made_unique_from_name():
    first = CommonsFactory(name="Le Jardin des Possibles")
    second = CommonsFactory(name="Le jardin des possibles !")
    assert first.slug == "le-jardin-des-possibles"
    assert second.slug == "le-jardin-des-possibles-2"


@pytest.mark.django_db
def test_commons_slug_never_shadows_a_page():
    commons = CommonsFactory(name="Map")
    assert commons.slug == "map-commun"


@pytest.mark.django_db
def test_commons_summary_longer_than_280_refused():
    commons = CommonsFactory.build(summary="x" * 281, category=Category.objects.first())
    with pytest.raises(ValidationError) as error:
        commons.full_clean()
    assert "summary" in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("91", "3", "latitude"), ("50", "-181", "longitude"), ("50.6", None, "latitude")],
)
def test_commons_bad_coordinates_refused(latitude, longitude, field):
    commons = CommonsFactory.build(
        latitude=Decimal(latitude),
        longitude=None if longitude is None else Decimal(longitude),
        category=Category.objects.first(),
    )
    with pytest.raises(ValidationError) as error:
        commons.full_clean()
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_commons_digital_without_coordinates_valid():
    commons = CommonsFactory.build(
        latitude=None, longitude=None, slug="wiki", category=Category.objects.first()
    )
    commons.full_clean()
    assert commons.has_location is False


@pytest.mark.django_db
def test_commons_half_coordinates_refused_by_database():
    with pytest.raises(IntegrityError):
        CommonsFactory(latitude=Decimal("50.6"), longitude=None)


@pytest.mark.django_db
def test_commons_rejection_without_reason_refused_by_database():
    with pytest.raises(IntegrityError):
        CommonsFactory(state=Commons.State.REJECTED, moderation_reason="")


@pytest.mark.django_db
def test_commons_search_matches_any_described_field():
    garden = CommonsFactory(name="Potager", governance="Sociocratie au quotidien")
    CommonsFactory(name="Fablab")
    assert list(Commons.objects.search("sociocratie")) == [garden]
    assert list(Commons.objects.search("POTAGER")) == [garden]


@pytest.mark.django_db
def test_commons_due_for_confirmation_after_a_year():
    old = CommonsFactory(last_confirmed_at=NOW - timedelta(days=366))
    CommonsFactory(last_confirmed_at=NOW - timedelta(days=300))
    CommonsFactory(last_confirmed_at=NOW - timedelta(days=400), confirmation_requested_at=NOW)
    CommonsFactory(last_confirmed_at=NOW - timedelta(days=400), state=Commons.State.PROPOSED)
    assert list(Commons.objects.due_for_confirmation(NOW)) == [old]


@pytest.mark.django_db
def test_commons_asked_again_a_year_after_an_unanswered_request():
    asked = CommonsFactory(last_confirmed_at=NOW - timedelta(days=800),
                           confirmation_requested_at=NOW - timedelta(days=366))  # fmt: skip
    CommonsFactory(last_confirmed_at=NOW - timedelta(days=800),
                   confirmation_requested_at=NOW - timedelta(days=200))  # fmt: skip
    assert list(Commons.objects.due_for_confirmation(NOW)) == [asked]


@pytest.mark.django_db
def test_commons_awaiting_confirmation_30_days_after_request():
    commons = CommonsFactory(confirmation_requested_at=NOW - timedelta(days=30))
    assert commons.awaiting_confirmation(NOW) is True
    assert commons.awaiting_confirmation(NOW - timedelta(days=1)) is False


@pytest.mark.django_db
def test_commons_changes_kept_in_history():
    commons = CommonsFactory(summary="Avant")
    commons.summary = "Après"
    commons.save()
    newest, oldest = commons.history.order_by("-history_id")[:2]
    delta = newest.diff_against(oldest)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("summary", "Avant", "Après")]


@pytest.mark.django_db
def test_assessment_principles_in_order_with_scores():
    assessment = OstromAssessmentFactory()
    rows = assessment.principles()
    assert [row["field"] for row in rows] == [f for f, _ in OstromAssessment.PRINCIPLES]
    assert [row["score"] for row in rows[:5]] == [2, 1, 2, 0, None]
