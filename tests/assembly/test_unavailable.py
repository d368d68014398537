"""A database that does not answer gives a 503 page in the site's layout, with Retry-After, never a
500; the site recovers by itself (tests/faults/test_database_restart.py does it with a real
PostgreSQL restarted under gunicorn). Any other error gives the 500 page, in the same layout,
rendered without asking the database."""

import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import path

from assembly.models import AssemblyConfiguration
from assembly.unavailable import server_error
from config import urls as site_urls


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def broken_view(request):
    raise ValueError("a plain bug")


urlpatterns = [
    path("database-gone/", database_gone),
    path("broken/", broken_view),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500


@pytest.mark.urls("tests.assembly.test_unavailable")
def test_database_error_in_a_view_gives_a_503_page_in_the_site_layout(client):
    response = client.get("/database-gone/")

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "<h1>De retour dans un instant</h1>" in page
    assert 'class="site-header"' in page and 'class="main-nav"' in page
    assert 'class="site-footer"' in page
    # The name, without asking the database (no django_db mark: a query would fail the test).
    assert '<a class="brand" href="/">Assemblée' in page
    # Menus that would need the database (the account, the language form's session) are left out.
    assert 'class="account-nav"' not in page and "language-form" not in page


@pytest.mark.django_db
@pytest.mark.urls("tests.assembly.test_unavailable")
def test_the_503_page_names_the_assembly_the_cache_still_knows(client):
    config = AssemblyConfiguration.get()
    config.name = "Assemblée des Communs de Roubaix"
    config.save()
    client.get("/")  # fills the cache as every page does

    response = client.get("/database-gone/", HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 503
    assert "Assemblée des Communs de Roubaix" in page
    assert "<h1>Back in a moment</h1>" in page


def test_database_error_outside_a_view_gets_the_same_503():
    # handler500 runs for errors outside the views (a session saved after the view).
    request = RequestFactory().get("/")
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = server_error(request)

    assert response.status_code == 503
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.urls("tests.assembly.test_unavailable")
def test_any_other_error_stays_a_500(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500


@pytest.mark.django_db
@pytest.mark.urls("tests.assembly.test_unavailable")
@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Quelque chose s’est mal passé"), ("en", "Something went wrong")],
)
def test_a_bug_in_a_view_gives_the_500_page_in_the_site_layout_without_a_query(
    client, django_assert_num_queries, language, heading
):
    config = AssemblyConfiguration.get()
    config.name = "Assemblée des Communs de Roubaix"
    config.save()
    client.get("/")  # fills the cache as every page does
    client.raise_request_exception = False

    with django_assert_num_queries(0):
        response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)

    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page and 'class="main-nav"' in page
    assert 'class="site-footer"' in page
    assert '<a class="brand" href="/">Assemblée des Communs de Roubaix' in page
    assert 'class="account-nav"' not in page and "language-form" not in page


@pytest.mark.urls("tests.assembly.test_unavailable")
def test_the_500_page_needs_neither_the_database_nor_a_cached_name(client):
    # No django_db mark: a query would fail the test.
    client.raise_request_exception = False

    response = client.get("/broken/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Quelque chose s’est mal passé</h1>" in page
    assert '<a class="brand" href="/">Assemblée' in page
