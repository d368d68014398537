"""The import pages: upload, mapping, preview, apply, errors CSV, undo, as an administrator."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assembly.imports import MAX_FILE_BYTES
from assembly.imports.models import ImportBatch, ImportFile
from commons_registry.models import Commons
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "name,summary,category\nJardin du Canal,Un jardin.,autre\nWiki,Un wiki.,autre\n"
WITH_ERROR = (
    "name,summary,latitude,longitude\nJardin,Un jardin.,50.6,3.0\n=HYPERLINK(1),Mauvais.,95,3.0\n"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the pages' words are matched in English
    return client


def upload(client, text, kind="commons", name="communs.csv"):
    content = text if isinstance(text, bytes) else text.encode()
    response = client.post(
        reverse("imports:new", kwargs={"kind": kind}),
        {"files": SimpleUploadedFile(name, content, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def test_upload_preview_then_apply_writes_and_records_the_batch(admin_client, administrator):
    batch = upload(admin_client, GOOD)
    assert (batch.status, Commons.objects.count()) == ("pending", 0)
    page = admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).content.decode()
    assert "2 to create, 0 to update, 0 unchanged, 0 skipped, 0 errors" in page
    assert "No e-mail is sent." in page
    response = admin_client.post(
        reverse("imports:apply", kwargs={"pk": batch.pk}),
        {"expected": "created=2 updated=0 unchanged=0 skipped=0 errors=0"},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.created_by) == ("applied", 2, administrator)
    assert Commons.objects.count() == 2
    assert ImportFile.objects.count() == 0  # the file is not kept once applied
    assert mail.outbox == []
    listing = admin_client.get(reverse("imports:index")).content.decode()
    assert "communs.csv" in listing


def test_a_file_with_errors_offers_the_valid_rows_and_their_errors_as_csv(admin_client):
    batch = upload(admin_client, WITH_ERROR)
    page = admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).content.decode()
    assert "Apply the 1 valid row" in page
    errors = admin_client.get(reverse("imports:errors", kwargs={"pk": batch.pk}))
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["line", "file", "reason"]
    assert rows[1][0] == "3"
    assert "'=HYPERLINK(1)" in rows[1]  # a spreadsheet shows it, never runs it
    admin_client.post(
        reverse("imports:apply", kwargs={"pk": batch.pk}),
        {"expected": "created=1 updated=0 unchanged=0 skipped=0 errors=1", "skip_errors": "1"},
    )
    assert list(Commons.objects.values_list("name", flat=True)) == ["Jardin"]


def test_apply_without_skip_errors_writes_nothing(admin_client):
    batch = upload(admin_client, WITH_ERROR)
    admin_client.post(
        reverse("imports:apply", kwargs={"pk": batch.pk}),
        {"expected": "created=1 updated=0 unchanged=0 skipped=0 errors=1"},
    )
    batch.refresh_from_db()
    assert (batch.status, Commons.objects.count()) == ("pending", 0)


def test_apply_refuses_when_the_entries_changed_since_the_preview(admin_client):
    batch = upload(admin_client, GOOD)
    response = admin_client.post(
        reverse("imports:apply", kwargs={"pk": batch.pk}),
        {"expected": "created=1 updated=0 unchanged=0 skipped=0 errors=0"},
        follow=True,
    )
    assert "changed since the preview" in response.content.decode()
    assert Commons.objects.count() == 0


def test_a_column_with_another_name_is_mapped_on_the_page(admin_client):
    batch = upload(admin_client, "Appellation,Résumé\nLa Bricothèque,Des outils.\n")
    page = admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).content.decode()
    assert "No column gives “name”" in page
    assert "La Bricothèque" in page  # the sample values beside the column
    admin_client.post(
        reverse("imports:mapping", kwargs={"pk": batch.pk}),
        {"column_0": "name", "column_1": "summary"},
    )
    page = admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).content.decode()
    assert "1 to create" in page


def test_a_file_over_20_mb_is_refused_at_upload(admin_client):
    response = admin_client.post(
        reverse("imports:new", kwargs={"kind": "commons"}),
        {"files": SimpleUploadedFile("big.csv", b"x" * (MAX_FILE_BYTES + 1))},
    )
    assert response.status_code == 200
    assert "up to 20 MB" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_an_unreadable_file_is_explained_on_the_page(admin_client):
    batch = upload(admin_client, b"\x00\x01\x02binary", name="x.csv")
    page = admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk}))
    assert page.status_code == 200
    assert "is not a text file" in page.content.decode()


def test_undo_from_the_page(admin_client):
    batch = upload(admin_client, GOOD)
    admin_client.post(
        reverse("imports:apply", kwargs={"pk": batch.pk}),
        {"expected": "created=2 updated=0 unchanged=0 skipped=0 errors=0"},
    )
    admin_client.post(reverse("imports:undo", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert (batch.status, Commons.objects.count()) == ("undone", 0)


def test_cancel_forgets_the_file(admin_client):
    batch = upload(admin_client, GOOD)
    admin_client.post(reverse("imports:abandon", kwargs={"pk": batch.pk}))
    assert ImportBatch.objects.count() == 0


def test_the_charter_takes_several_files(admin_client):
    response = admin_client.post(
        reverse("imports:new", kwargs={"kind": "charter"}),
        {
            "files": [
                SimpleUploadedFile("2019-03-21-charte.md", b"## Une\n"),
                SimpleUploadedFile("2020-03-21-charte.md", b"## Deux\n"),
            ]
        },
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).content.decode()
    assert "2 to create" in page


def test_a_staff_member_is_an_administrator_and_a_facilitator_is_not(client, facilitator):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(facilitator)
    assert client.get(reverse("imports:index")).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("imports:index")).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_of_imports_reads_a_constant_number_of_queries(
    admin_client, administrator, count, django_assert_num_queries
):
    for number in range(count):
        batch = upload(admin_client, GOOD.replace("Wiki", f"Wiki {number}"))
        admin_client.post(
            reverse("imports:apply", kwargs={"pk": batch.pk}),
            {"expected": "created=1 updated=0 unchanged=1 skipped=0 errors=0"}
            if number
            else {"expected": "created=2 updated=0 unchanged=0 skipped=0 errors=0"},
        )
    assert ImportBatch.objects.filter(status="applied").count() == count
    with django_assert_num_queries(7):
        admin_client.get(reverse("imports:index"))


@pytest.mark.parametrize("rows", [5, 50])
def test_the_preview_reads_a_constant_number_of_queries(
    admin_client, rows, django_assert_num_queries
):
    text = "name,summary\n" + "".join(f"Jardin {n},Un jardin.\n" for n in range(rows))
    batch = upload(admin_client, text)
    with django_assert_num_queries(12):
        admin_client.get(reverse("imports:batch", kwargs={"pk": batch.pk}))
