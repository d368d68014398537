"""The real worker's hourly refresh of neighbours: 304s, SSRF refusals, a malformed feed, a removed
item and a neighbour going down, each neighbour on its own."""

import json

import pytest
from django.utils import timezone

from federation import services
from federation.models import Neighbour
from federation.tasks import refresh_neighbours
from tests.federation.conftest import start_neighbour
from tests.federation.factories import NeighbourFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def servers():
    started = [start_neighbour(), start_neighbour()]
    yield started
    for server in started:
        server.stop()


def rows(neighbour):
    return sorted(neighbour.commons.values_list("pk", "source_id", "name", "url"))


def refreshed_since(moment, *neighbours):
    def condition():
        fresh = Neighbour.objects.filter(pk__in=[n.pk for n in neighbours])
        return all(
            (n.last_success_at and n.last_success_at > moment) or n.failing_since for n in fresh
        )

    return condition


def test_worker_refreshes_each_neighbour_on_its_own(celery_worker, servers, settings):
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = True
    first_server, second_server = servers
    first = services.follow(first_server.base_url)
    second = services.follow(second_server.base_url)
    first_rows = rows(first)
    # SSRF, directly and through a redirect from a public-looking neighbour.
    metadata = NeighbourFactory(name="Métadonnées", base_url="http://169.254.169.254")
    first_server.redirects["/sneaky/.well-known/assemblee.json"] = (
        "http://169.254.169.254/latest/meta-data/"
    )
    sneaky = NeighbourFactory(name="Rusée", base_url=first_server.base_url + "/sneaky")
    second_server.serve("/broken/.well-known/assemblee.json", "{not json")
    broken = NeighbourFactory(name="Cassée", base_url=second_server.base_url + "/broken")
    collection = json.loads(second_server.files["/commons/export.geojson"][0])
    removed = collection["features"].pop(0)
    second_server.serve("/commons/export.geojson", json.dumps(collection))
    first_server.answers.clear()
    started = timezone.now()

    refresh_neighbours.delay()
    wait_for(refreshed_since(started, first, second, metadata, sneaky, broken))

    # A 304 changes nothing.
    first.refresh_from_db()
    assert first.failing_since is None and first.last_success_at > started
    assert rows(first) == first_rows
    assert sorted(status for path, status in first_server.answers if "sneaky" not in path) == [
        304, 304, 304,
    ]  # fmt: skip
    # The removed item is gone, the others stay.
    assert removed["id"] not in set(second.commons.values_list("source_id", flat=True))
    assert second.commons.count() == 2
    # The refusals happened before any connection to the metadata address.
    for neighbour in (metadata, sneaky):
        neighbour.refresh_from_db()
        assert neighbour.failing_since is not None
        assert "169.254.169.254" in neighbour.last_error
    assert first_server.answers.count(("/sneaky/.well-known/assemblee.json", 302)) == 1
    broken.refresh_from_db()
    assert broken.failing_since is not None and broken.last_error

    # The first neighbour goes down: it keeps its last good copy, the second goes on.
    first_server.down = True
    Neighbour.objects.update(next_attempt_at=None)
    again = timezone.now()

    refresh_neighbours.delay()
    wait_for(lambda: Neighbour.objects.get(pk=first.pk).failing_since is not None)
    wait_for(lambda: Neighbour.objects.get(pk=second.pk).last_success_at > again)

    first.refresh_from_db()
    assert "503" in first.last_error and first.next_attempt_at > again
    assert rows(first) == first_rows
