import pytest
from django.db import IntegrityError

from charter.models import CharterVersion, ImmutableVersionError
from tests.charter.factories import add_version, default_charter

pytestmark = pytest.mark.django_db


def test_version_save_on_existing_row_raises():
    version = add_version(text="Texte original.\n")
    version.text = "Texte réécrit en douce."

    with pytest.raises(ImmutableVersionError):
        version.save()

    assert CharterVersion.objects.get(pk=version.pk).text == "Texte original.\n"


def test_version_reloaded_from_database_cannot_be_saved_either():
    version = add_version()
    reloaded = CharterVersion.objects.get(pk=version.pk)

    with pytest.raises(ImmutableVersionError):
        reloaded.save(update_fields=["note"])


def test_version_delete_is_refused():
    version = add_version()

    with pytest.raises(ImmutableVersionError):
        version.delete()

    assert CharterVersion.objects.filter(pk=version.pk).exists()


def test_version_queryset_update_and_delete_are_refused():
    add_version(text="Texte original.\n")

    with pytest.raises(ImmutableVersionError):
        CharterVersion.objects.all().update(text="Autre chose")
    with pytest.raises(ImmutableVersionError):
        CharterVersion.objects.all().delete()

    assert list(CharterVersion.objects.values_list("text", flat=True)) == ["Texte original.\n"]


def test_version_number_is_unique_per_charter():
    version = add_version()

    with pytest.raises(IntegrityError):
        CharterVersion.objects.create(
            charter=version.charter,
            number=version.number,
            text="Doublon",
            created_at=version.created_at,
        )


def test_default_charter_is_the_charte_des_pratiques():
    charter = default_charter()

    assert (charter.title, charter.slug) == ("Charte des pratiques", "charte-des-pratiques")
