import pytest

from charter.models import CharterVersion
from tests.charter.factories import add_version, default_charter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_imports_a_charter_as_version_one(admin_client):
    charter = default_charter()

    response = admin_client.post(
        "/admin/charter/charterversion/add/",
        {
            "charter": charter.pk,
            "text": "## Se réunir\r\n\r\nChaque mois.",
            "note": "",
        },
    )

    version = CharterVersion.objects.get()
    assert response.status_code == 302
    assert (version.charter, version.number, version.text, version.decision) == (
        charter,
        1,
        "## Se réunir\n\nChaque mois.\n",
        None,
    )


def test_admin_refuses_an_import_when_the_charter_has_versions(admin_client):
    version = add_version()

    response = admin_client.post(
        "/admin/charter/charterversion/add/",
        {
            "charter": version.charter.pk,
            "text": "Un autre texte.",
            "note": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["charter"]
    assert CharterVersion.objects.count() == 1


def test_admin_shows_a_version_read_only_and_refuses_changes(admin_client):
    version = add_version(text="Texte original.\n")
    url = f"/admin/charter/charterversion/{version.pk}/change/"

    page = admin_client.get(url)
    posted = admin_client.post(url, {"charter": version.charter.pk, "text": "Réécrit."})
    deleted = admin_client.post(
        f"/admin/charter/charterversion/{version.pk}/delete/", {"post": "yes"}
    )

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="text"' not in page.content.decode()
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert CharterVersion.objects.get(pk=version.pk).text == "Texte original.\n"


def test_admin_version_list_and_amendments_load(admin_client):
    add_version()

    assert admin_client.get("/admin/charter/charterversion/").status_code == 200
    assert admin_client.get("/admin/charter/amendment/").status_code == 200
    assert admin_client.get("/admin/charter/charter/").status_code == 200
