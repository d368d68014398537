"""The personal-data registry: every model that points at a person is exported, deleted or
anonymised by a registered section, so that a new model cannot be forgotten."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assembly import personal_data
from assembly.models import FACILITATORS_GROUP
from assembly.people import delete_account
from tests.factories import FacilitatorFactory, UserFactory

# Models that hold a foreign key to the person and that no section covers, each with its reason.
EXEMPT = {
    # Django admin's audit trail of what staff changed. Its rows describe other people's data
    # (object names, change messages), so they are not exported; they go with the account
    # (on_delete CASCADE), as in any Django project.
    "admin.LogEntry",
}


def models_pointing_at_the_person() -> dict[str, list[str]]:
    """Every installed model (history tables, many-to-many tables and third-party models too)
    with a foreign key or one-to-one to the person model, with the names of those fields."""
    person_model = get_user_model()
    found: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is person_model:
                found.setdefault(model._meta.label, []).append(field.name)
    return found


def covered_labels() -> set[str]:
    return {model._meta.label for section in personal_data.sections() for model in section.covers}


def test_every_model_pointing_at_the_person_is_covered_by_a_section_or_exempt():
    uncovered = {
        label: fields
        for label, fields in models_pointing_at_the_person().items()
        if label not in covered_labels() and label not in EXEMPT
    }

    assert uncovered == {}, (
        "These models hold a foreign key to the person but no personal-data section covers them: "
        "register one (personal_data.register(..., covers=[Model])) in the app's ready(), or add "
        f"the model to EXEMPT with the reason: {uncovered}"
    )


def test_the_search_finds_history_many_to_many_and_third_party_models():
    found = models_pointing_at_the_person()

    assert found["decisions.HistoricalVote"] == ["history_user"]
    assert found["commons_registry.Commons_stewards"] == ["user"]
    assert found["account.EmailAddress"] == ["user"]


def test_exemptions_are_real_models_that_no_section_covers():
    found = models_pointing_at_the_person()

    assert set(found) >= EXEMPT
    assert not EXEMPT & covered_labels()


def test_every_section_has_a_distinct_name_and_covers_only_models_pointing_at_the_person():
    found = models_pointing_at_the_person()
    names = [section.name for section in personal_data.sections()]

    assert len(names) == len(set(names))
    assert covered_labels() <= set(found)


@pytest.mark.django_db
def test_export_includes_my_email_addresses_and_roles():
    person = FacilitatorFactory(email="ada@example.org")
    EmailAddress.objects.create(user=person, email="ada@old.example.org", verified=False)

    sections = json.loads(json.dumps(personal_data.export(person), default=str))["sections"]

    assert sections["email_addresses"] == [
        {"email": "ada@example.org", "primary": True, "verified": True},
        {"email": "ada@old.example.org", "primary": False, "verified": False},
    ]
    assert sections["roles"] == {"groups": [FACILITATORS_GROUP], "staff": False, "permissions": []}


@pytest.mark.django_db
def test_deleting_a_person_deletes_their_addresses_and_memberships_of_groups():
    person, other = FacilitatorFactory(), FacilitatorFactory()

    personal_data.delete_person(person, delete_account)

    assert list(EmailAddress.objects.values_list("user", flat=True)) == [other.pk]
    assert list(Group.objects.get(name=FACILITATORS_GROUP).user_set.all()) == [other]


@pytest.mark.django_db
def test_export_leaves_out_other_people():
    person = UserFactory(display_name="Ada")
    UserFactory(display_name="Someone else", email="else@example.org")

    text = json.dumps(personal_data.export(person), default=str)

    assert "Someone else" not in text
    assert "else@example.org" not in text
