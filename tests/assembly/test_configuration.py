"""The assembly's configuration row from the shared cache: read once, forgotten on every save."""

import pytest
from django.core.cache import cache

from assembly.models import CONFIGURATION_CACHE_KEY, AssemblyConfiguration
from workshops import membership

pytestmark = pytest.mark.django_db


def test_current_configuration_is_read_once_then_cached(django_assert_num_queries):
    AssemblyConfiguration.objects.create(name="Assemblée des Communs de Lille")
    with django_assert_num_queries(1):
        AssemblyConfiguration.current()

    with django_assert_num_queries(0):
        config = AssemblyConfiguration.current()

    assert config.name == "Assemblée des Communs de Lille"


def test_saving_the_configuration_shows_at_once(client):
    config = AssemblyConfiguration.get()
    client.get("/robots.txt")
    assert AssemblyConfiguration.current().name == config.name

    config.name = "Assemblée des Communs de Roubaix"
    config.save()

    assert AssemblyConfiguration.current().name == "Assemblée des Communs de Roubaix"
    assert "Assemblée des Communs de Roubaix" in client.get("/").content.decode()


def test_a_stale_read_stored_before_the_commit_is_forgotten_after_it(
    django_capture_on_commit_callbacks,
):
    config = AssemblyConfiguration.get()
    stale = AssemblyConfiguration.current()

    with django_capture_on_commit_callbacks(execute=True):
        config.membership_min_sessions = 3
        config.save()
        # A request that read the row before the commit stores it meanwhile.
        cache.set(CONFIGURATION_CACHE_KEY, stale)

    assert membership.current_rule().min_sessions == 3
