"""What the directory holds about a person: in their export, and what deleting them leaves."""

import json
from decimal import Decimal

import pytest

from assembly import personal_data
from assembly.people import delete_account
from commons_registry import services
from commons_registry.models import Commons, OstromAssessment
from tests.commons_registry.factories import CommonsFactory, category
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def exported(person) -> dict:
    return json.loads(json.dumps(personal_data.export(person), default=str))["sections"]


def propose(person, name="La Ressourcerie du Canal") -> Commons:
    return services.propose_commons(
        by=person,
        data={
            "name": name,
            "summary": "Objets réparés et partagés.",
            "category": category("autre"),
            "status": Commons.Status.ACTIVE,
            "latitude": Decimal("50.63"),
            "longitude": Decimal("3.06"),
        },
    )


def test_export_lists_the_commons_i_proposed_whatever_became_of_them():
    person, facilitator = UserFactory(), FacilitatorFactory()
    published = propose(person, "La Ressourcerie du Canal")
    services.publish_commons(published, by=facilitator)
    propose(person, "Le Jardin des Bois-Blancs")
    propose(UserFactory(), "Someone else's garden")

    proposed = exported(person)["proposed_commons"]

    assert [(c["name"], c["state"]) for c in proposed] == [
        ("La Ressourcerie du Canal", "published"),
        ("Le Jardin des Bois-Blancs", "proposed"),
    ]
    assert proposed[0]["summary"] == "Objets réparés et partagés."


def test_export_lists_my_changes_to_entries():
    steward = UserFactory()
    commons = CommonsFactory(name="La Ressourcerie du Canal", stewards=[steward])
    services.edit_commons(commons, by=steward, data={"summary": "Tout se répare."})
    services.edit_commons(commons, by=UserFactory(), data={"summary": "Pas moi."})

    changes = exported(steward)["commons_changes"]

    assert [(c["commons"], c["summary"]) for c in changes] == [
        ("La Ressourcerie du Canal", "Tout se répare.")
    ]


def test_export_lists_my_ostrom_assessments():
    steward = UserFactory()
    commons = CommonsFactory(name="La Ressourcerie du Canal", stewards=[steward])
    services.add_assessment(
        commons, by=steward, levels={"boundaries": "present"}, comments={"boundaries": "Clair."}
    )

    assessments = exported(steward)["ostrom_assessments"]

    assert len(assessments) == 1
    assert assessments[0]["commons"] == "La Ressourcerie du Canal"
    assert assessments[0]["principles"]["boundaries"] == {"level": "present", "comment": "Clair."}


def test_deleting_a_proposer_keeps_the_entries_and_their_history_without_a_name():
    person, facilitator = UserFactory(), FacilitatorFactory()
    commons = propose(person)
    services.publish_commons(commons, by=facilitator)
    services.edit_commons(commons, by=person, data={"summary": "Tout se répare."})
    person_id = person.pk

    personal_data.delete_person(person, delete_account)

    commons.refresh_from_db()
    assert (commons.name, commons.submitted_by) == ("La Ressourcerie du Canal", None)
    assert commons.history.count() == 3
    # No history row keeps their id, not even the columns without a database constraint.
    assert not commons.history.filter(submitted_by_id=person_id).exists()
    assert list(commons.history.values_list("history_user_id", flat=True)) == [
        None,
        facilitator.pk,
        None,
    ]


def test_deleting_a_steward_keeps_their_assessment_anonymously():
    steward = UserFactory()
    commons = CommonsFactory(stewards=[steward])
    services.add_assessment(commons, by=steward, levels={}, comments={})

    personal_data.delete_person(steward, delete_account)

    assert list(OstromAssessment.objects.values_list("assessed_by", flat=True)) == [None]
    assert commons.stewards.count() == 0
