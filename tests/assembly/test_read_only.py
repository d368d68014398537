"""A read-only season: pages answer with a banner, every write is refused with a 503 page in the
layout, the periodic tasks pause, and turning it on or off is the environment's business."""

import datetime

import pytest
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from assembly import read_only
from assembly.models import AssemblyConfiguration
from config import urls as site_urls
from decisions.models import Decision
from tests.assembly.test_settings import run_django

SINCE = datetime.datetime(2027, 1, 10, 18, 0, tzinfo=datetime.UTC)
SEASON = override_settings(
    READ_ONLY=True, READ_ONLY_SINCE=SINCE, READ_ONLY_MESSAGE="The assembly is moving house."
)


def writes_on_get(request):
    # A link that writes when followed (the kind of GET a read-only season must refuse too).
    AssemblyConfiguration.objects.update(name="Changed by a GET")
    return HttpResponse("written")


urlpatterns = [path("writes-on-get/", writes_on_get), *site_urls.urlpatterns]


@pytest.fixture(autouse=True)
def _configured(db):
    # A site running before its season began has its configuration row (made on the first read).
    AssemblyConfiguration.get()


@pytest.mark.django_db
def test_no_banner_outside_a_season(client):
    page = client.get("/").content.decode()

    assert "read-only-banner" not in page


@pytest.mark.django_db
def test_a_season_shows_its_banner_on_a_page_rendered_before_without_one(client):
    # The layout's node keeps the banner's blank text outside a season (templatetags/read_only.py).
    before = client.get("/decisions/").content.decode()
    with SEASON:
        during = client.get("/decisions/").content.decode()
    after = client.get("/decisions/").content.decode()

    assert "read-only-banner" not in before and "read-only-banner" not in after
    assert 'class="read-only-banner" role="note"' in during
    assert "The assembly is moving house." in during


@pytest.mark.django_db
@SEASON
def test_every_page_shows_since_when_and_why(client):
    response = client.get("/decisions/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="read-only-banner" role="note"' in page
    assert "Ce site est en lecture seule depuis le 10 janvier 2027." in page
    assert "The assembly is moving house." in page


@pytest.mark.django_db
@override_settings(READ_ONLY=True, READ_ONLY_SINCE=SINCE, READ_ONLY_MESSAGE="")
def test_the_banner_has_a_default_reason_in_each_language(client):
    french = client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "rien ne peut être modifié" in french
    assert "This site is read-only since Jan. 10, 2027." in english
    assert "nothing can be changed, signed or voted for now" in english


@pytest.mark.django_db
@SEASON
def test_a_form_is_refused_with_a_503_page_in_the_layout_and_nothing_saved(person_client):
    response = person_client.post(
        "/decisions/new/", {"title": "Buy a bike", "kind": "other", "context": "Why."}
    )

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(24 * 60 * 60)
    assert "<h1>Lecture seule pour l’instant</h1>" in page
    assert 'class="site-header"' in page and 'class="read-only-banner"' in page
    assert Decision.objects.count() == 0


@pytest.mark.django_db
@SEASON
def test_signing_in_is_refused(client, person):
    response = client.post("/accounts/login/", {"login": person.email, "password": "password"})

    assert response.status_code == 503
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@SEASON
def test_an_unknown_address_posted_to_is_refused_too(client):
    # Federation inboxes and any address added later: every non-safe method, whatever the URL.
    response = client.post("/inbox", data="{}", content_type="application/activity+json")

    assert response.status_code == 503
    assert response["Retry-After"] == str(24 * 60 * 60)


@pytest.mark.django_db
@SEASON
def test_changing_the_language_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


@pytest.mark.django_db
@SEASON
def test_signing_out_still_works(person_client):
    response = person_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in person_client.session


# Without the test's own transaction, as in production: the refused write leaves no transaction
# broken for the page that says so.
@pytest.mark.django_db(transaction=True)
@SEASON
@pytest.mark.urls("tests.assembly.test_read_only")
def test_a_get_that_would_write_is_refused_and_writes_nothing(client):
    response = client.get("/writes-on-get/")

    assert response.status_code == 503
    assert AssemblyConfiguration.objects.get().name != "Changed by a GET"


@pytest.mark.django_db
@pytest.mark.urls("tests.assembly.test_read_only")
def test_the_same_get_writes_outside_a_season(client):
    response = client.get("/writes-on-get/")

    assert response.status_code == 200
    assert AssemblyConfiguration.objects.get().name == "Changed by a GET"


@pytest.mark.django_db(transaction=True)
@SEASON
def test_a_worker_in_a_season_cannot_write():
    read_only.guard_worker()
    fresh = connections.create_connection("default")
    try:
        fresh.ensure_connection()
        with pytest.raises(read_only.ReadOnlyError), fresh.cursor() as cursor:
            cursor.execute("UPDATE assembly_assemblyconfiguration SET name = 'x'")
    finally:
        fresh.close()
        connection_created.disconnect(dispatch_uid="read-only-worker")


def test_the_periodic_tasks_pause_in_a_season():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(len(s.CELERY_BEAT_SCHEDULE), s.READ_ONLY_SINCE.isoformat())"
    )

    season = run_django(code, DEBUG="1", READ_ONLY="1", READ_ONLY_SINCE="2027-01-10T18:00")
    normal = run_django(code.replace(", s.READ_ONLY_SINCE.isoformat()", ""), DEBUG="1")

    assert season.returncode == 0, season.stderr
    # A time without a zone is the assembly's (TIME_ZONE, Europe/Paris by default).
    assert season.stdout.split() == ["0", "2027-01-10T18:00:00+01:00"]
    assert int(normal.stdout) > 5


def test_a_season_without_its_start_refuses_to_start():
    result = run_django("import django; django.setup()", DEBUG="1", READ_ONLY="1")

    assert result.returncode != 0
    assert "READ_ONLY=1 needs READ_ONLY_SINCE" in result.stderr


def test_a_start_that_is_not_a_date_refuses_to_start():
    result = run_django(
        "import django; django.setup()", DEBUG="1", READ_ONLY="1", READ_ONLY_SINCE="last tuesday"
    )

    assert result.returncode != 0
    assert "READ_ONLY_SINCE='last tuesday'" in result.stderr
