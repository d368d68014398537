from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from commons_registry import services, tasks
from commons_registry.models import Commons, OstromAssessment
from tests.commons_registry.factories import CommonsFactory, category
from tests.factories import FacilitatorFactory, UserFactory

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def proposal_data(**overrides):
    data = {
        "name": "La Ressourcerie du Canal",
        "summary": "Objets réparés et partagés.",
        "category": category("autre"),
        "status": Commons.Status.ACTIVE,
        "latitude": Decimal("50.63"),
        "longitude": Decimal("3.06"),
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_propose_commons_waits_for_moderation(person):
    commons = services.propose_commons(by=person, data=proposal_data())
    assert commons.state == Commons.State.PROPOSED
    assert commons.submitted_by == person
    assert commons.slug == "la-ressourcerie-du-canal"
    assert list(commons.stewards.all()) == []


@pytest.mark.django_db
def test_propose_commons_duplicate_name_refused_with_existing(person):
    existing = CommonsFactory(name="La Ressourcerie du Canal")
    with pytest.raises(services.CommonsError) as error:
        services.propose_commons(by=person, data=proposal_data(name="la ressourcerie du canal"))
    assert error.value.existing == existing


@pytest.mark.django_db
def test_propose_commons_half_coordinates_refused(person):
    with pytest.raises(Exception, match="latitude"):
        services.propose_commons(by=person, data=proposal_data(longitude=None))
    assert Commons.objects.count() == 0


@pytest.mark.django_db
def test_publish_commons_makes_proposer_steward(person, facilitator):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person)
    services.publish_commons(commons, by=facilitator, now=NOW)
    commons.refresh_from_db()
    assert commons.state == Commons.State.PUBLISHED
    assert commons.last_confirmed_at == NOW
    assert list(commons.stewards.all()) == [person]
    assert commons.history.first().history_user == facilitator


@pytest.mark.django_db
def test_publish_commons_twice_refused(facilitator):
    commons = CommonsFactory(state=Commons.State.PUBLISHED)
    with pytest.raises(services.CommonsError):
        services.publish_commons(commons, by=facilitator)


@pytest.mark.django_db
def test_reject_commons_needs_reason(facilitator):
    commons = CommonsFactory(state=Commons.State.PROPOSED)
    with pytest.raises(services.CommonsError):
        services.reject_commons(commons, by=facilitator, reason="  ")
    services.reject_commons(commons, by=facilitator, reason="Pas un commun.")
    commons.refresh_from_db()
    assert (commons.state, commons.moderation_reason) == ("rejected", "Pas un commun.")


@pytest.mark.django_db
def test_edit_commons_recorded_with_author(person):
    commons = CommonsFactory(summary="Ancien résumé", stewards=[person])
    services.edit_commons(commons, by=person, data={"summary": "Nouveau résumé"})
    record = commons.history.order_by("-history_id").first()
    assert (record.summary, record.history_user) == ("Nouveau résumé", person)


@pytest.mark.django_db
def test_confirm_commons_clears_request(person):
    commons = CommonsFactory(confirmation_requested_at=NOW, last_confirmed_at=None)
    services.confirm_commons(commons, by=person, now=NOW)
    commons.refresh_from_db()
    assert (commons.last_confirmed_at, commons.confirmation_requested_at) == (NOW, None)


@pytest.mark.django_db
def test_add_assessment_records_levels(person):
    commons = CommonsFactory(stewards=[person])
    levels = {field: OstromAssessment.Level.PARTIAL for field, _ in OstromAssessment.PRINCIPLES}
    assessment = services.add_assessment(
        commons,
        by=person,
        levels=levels,
        comments={"boundaries": "Adhésion"},
        today=date(2026, 5, 1),
    )
    assert assessment.boundaries == "partial"
    assert assessment.boundaries_comment == "Adhésion"
    assert commons.assessments.first() == assessment


@pytest.mark.django_db
def test_newest_published_only_published_newest_first():
    older = CommonsFactory(name="Ancien")
    newer = CommonsFactory(name="Récent")
    CommonsFactory(name="Proposé", state=Commons.State.PROPOSED)
    assert list(services.newest_published(limit=5)) == [newer, older]
    assert list(services.newest_published(limit=1)) == [newer]


@pytest.mark.django_db
def test_notify_moderation_sends_once(person, facilitator):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person, name="Grainothèque")
    services.publish_commons(commons, by=facilitator)
    assert tasks.notify_moderation(commons_pk=commons.pk) is True
    assert tasks.notify_moderation(commons_pk=commons.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert "Grainothèque" in mail.outbox[0].subject
    assert commons.get_absolute_url() in mail.outbox[0].body


@pytest.mark.django_db
def test_notify_moderation_rejection_gives_reason(person, facilitator):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person)
    services.reject_commons(commons, by=facilitator, reason="Doublon d'une autre fiche.")
    tasks.notify_moderation(commons_pk=commons.pk)
    assert "Doublon d'une autre fiche." in mail.outbox[0].body


@pytest.mark.django_db
def test_notify_moderation_before_moderation_sends_nothing(person):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person)
    assert tasks.notify_moderation(commons_pk=commons.pk) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_notify_moderation_in_proposer_language(facilitator):
    proposer = UserFactory(language="en")
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=proposer, name="Fablab")
    services.publish_commons(commons, by=facilitator)
    tasks.notify_moderation(commons_pk=commons.pk)
    assert mail.outbox[0].subject == 'Your commons "Fablab" is on the map'


@pytest.mark.django_db
def test_request_confirmations_asks_stewards_once():
    steward, other = UserFactory(), UserFactory()

    with time_machine.travel(NOW, tick=False):
        due = CommonsFactory(stewards=[steward, other])
        Commons.objects.filter(pk=due.pk).update(last_confirmed_at=datetime(2025, 1, 1, tzinfo=UTC))
        CommonsFactory(last_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC), stewards=[steward])
        assert tasks.request_confirmations() == 1
        assert tasks.request_confirmations() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([steward.email, other.email])
    due.refresh_from_db()
    assert due.confirmation_requested_at == NOW


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "« Confirmer que cette fiche est à jour »"),
        ("en", '"Confirm this entry is up to date"'),
    ],
)
def test_confirmation_request_names_the_button_the_entry_page_shows(client, language, label):
    steward = UserFactory(language=language)
    commons = CommonsFactory(stewards=[steward], last_confirmed_at=datetime(2024, 1, 1, tzinfo=UTC))
    tasks.request_confirmations()
    body = mail.outbox[0].body
    assert label in body
    assert commons.get_absolute_url() in body
    client.force_login(steward)
    page = client.get(commons.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert f">{label[1:-1].strip()}</button>" in page.content.decode()


@pytest.mark.django_db
def test_facilitator_factory_is_facilitator():
    assert FacilitatorFactory().is_facilitator is True


@pytest.mark.django_db
def test_edit_commons_to_an_existing_name_refused(person):
    existing = CommonsFactory(name="Fablab")
    commons = CommonsFactory(name="Atelier", stewards=[person])
    with pytest.raises(services.CommonsError) as error:
        services.edit_commons(commons, by=person, data={"name": "FABLAB"})
    assert error.value.existing == existing
