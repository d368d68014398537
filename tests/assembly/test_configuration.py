"""The assembly's configuration row, kept per content version: read once, and again after any
write however made (save(), QuerySet.update(), loaddata)."""

import json

import pytest
from django.core.management import call_command

from assembly.models import AssemblyConfiguration
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


def test_a_stale_read_kept_before_the_commit_is_not_used_after_it(
    django_capture_on_commit_callbacks,
):
    config = AssemblyConfiguration.get()
    AssemblyConfiguration.current()

    with django_capture_on_commit_callbacks(execute=True):
        config.membership_min_sessions = 3
        config.save()

    assert membership.current_rule().min_sessions == 3


def test_a_bulk_update_shows_at_once():
    AssemblyConfiguration.get()
    AssemblyConfiguration.current()

    AssemblyConfiguration.objects.filter(pk=1).update(membership_min_sessions=4)

    assert membership.current_rule().min_sessions == 4


def test_loaddata_shows_at_once(tmp_path):
    AssemblyConfiguration.get()
    AssemblyConfiguration.current()
    fixture = tmp_path / "configuration.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "assembly.assemblyconfiguration",
                    "pk": 1,
                    "fields": {"name": "Assemblée des Communs de Tourcoing"},
                }
            ]
        )
    )

    call_command("loaddata", str(fixture), verbosity=0)

    assert AssemblyConfiguration.current().name == "Assemblée des Communs de Tourcoing"
