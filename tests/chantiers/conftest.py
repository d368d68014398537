import pytest
from django.utils import translation

from assembly.models import AssemblyConfiguration
from tests.chantiers.factories import chantier_with
from tests.factories import UserFactory


@pytest.fixture
def cached_configuration(db, _clear_cache):
    """The configuration row cached as after a first page, so query counts measure the page."""
    AssemblyConfiguration.current()


@pytest.fixture
def coordinator(db):
    return UserFactory()


@pytest.fixture
def chantier(coordinator):
    return chantier_with(coordinator)


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
