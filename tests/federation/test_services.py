"""Following a neighbour and refreshing it, against a real HTTP server on 127.0.0.1."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from federation import services
from federation.models import Neighbour, NeighbourCommons, NeighbourMeeting
from tests.federation.conftest import NOW

pytestmark = pytest.mark.django_db


def commons_names(neighbour):
    return sorted(neighbour.commons.values_list("name", flat=True))


def test_follow_stores_the_neighbour_its_commons_and_meetings(allow_loopback, neighbour_server):
    neighbour = services.follow(neighbour_server.base_url + "/", now=NOW)

    neighbour.refresh_from_db()
    assert neighbour.base_url == neighbour_server.base_url
    assert neighbour.name == "Assemblée des Communs de Valenbrune"
    assert (neighbour.city, neighbour.latitude, neighbour.longitude) == ("Valenbrune", 50.36, 3.52)
    assert neighbour.software == "Assemblée 0.1.0"
    assert commons_names(neighbour) == [
        "Jardin des Tisserands", "Repair café de Valenbrune", "Wiki des communs de Valenbrune",
    ]  # fmt: skip
    jardin = neighbour.commons.get(source_id="jardin-des-tisserands")
    assert (jardin.latitude, jardin.longitude) == (50.3571, 3.5241)
    assert jardin.url == f"{neighbour_server.base_url}/commons/jardin-des-tisserands/"
    assert list(neighbour.meetings.values_list("title", "location")) == [
        ("Assemblée des communs de janvier", "Maison des associations, Valenbrune"),
        ("Assemblée des communs de février", "Tiers-lieu La Filature"),
    ]
    assert neighbour.last_success_at == NOW and neighbour.failing_since is None


@pytest.mark.parametrize(
    "problem",
    ["unreachable", "not found", "not json", "not assemblee", "javascript feed", "ftp"],
)
def test_follow_refuses_a_bad_address_and_saves_nothing(allow_loopback, neighbour_server, problem):
    url = neighbour_server.base_url
    document = json.loads(neighbour_server.files["/.well-known/assemblee.json"][0])
    if problem == "unreachable":
        neighbour_server.stop()
    elif problem == "not found":
        del neighbour_server.files["/.well-known/assemblee.json"]
    elif problem == "not json":
        neighbour_server.serve("/.well-known/assemblee.json", "<html>hello</html>")
    elif problem == "not assemblee":
        neighbour_server.serve("/.well-known/assemblee.json", json.dumps({"name": "x"}))
    elif problem == "javascript feed":
        document["feeds"]["commons"] = "javascript:alert(1)"
        neighbour_server.serve("/.well-known/assemblee.json", json.dumps(document))
    else:
        url = "ftp://127.0.0.1/"

    with pytest.raises(services.FollowError) as error:
        services.follow(url, now=NOW)

    assert str(error.value)
    assert Neighbour.objects.count() == 0
    assert NeighbourCommons.objects.count() == 0


def test_follow_refuses_an_assembly_already_followed(allow_loopback, neighbour_server):
    services.follow(neighbour_server.base_url, now=NOW)

    with pytest.raises(services.FollowError, match="déjà suivie"):
        services.follow(neighbour_server.base_url + "/", now=NOW)
    assert Neighbour.objects.count() == 1


def test_refresh_updates_in_place_and_removes_what_the_source_removed(
    allow_loopback, neighbour_server
):
    neighbour = services.follow(neighbour_server.base_url, now=NOW)
    jardin_pk = neighbour.commons.get(source_id="jardin-des-tisserands").pk
    collection = json.loads(neighbour_server.files["/commons/export.geojson"][0])
    collection["features"] = collection["features"][:2]
    collection["features"][0]["properties"]["name"] = "Jardin des Tisserandes"
    neighbour_server.serve("/commons/export.geojson", json.dumps(collection))

    report = services.refresh_neighbour(neighbour, now=NOW)

    assert report.error == "" and report.commons == 2
    assert commons_names(neighbour) == ["Jardin des Tisserandes", "Repair café de Valenbrune"]
    assert neighbour.commons.get(source_id="jardin-des-tisserands").pk == jardin_pk


def test_refresh_sends_validators_and_a_304_changes_nothing(allow_loopback, neighbour_server):
    services.follow(neighbour_server.base_url, now=NOW)
    before = list(NeighbourCommons.objects.values_list("pk", "name", "url"))
    neighbour_server.requests.clear()
    later = NOW + datetime.timedelta(hours=1)

    report = services.refresh_neighbour(Neighbour.objects.get(), now=later)

    assert report.changed is False and report.error == ""
    assert all("If-None-Match" in headers for _path, headers in neighbour_server.requests)
    assert len(neighbour_server.requests) == 3
    assert list(NeighbourCommons.objects.values_list("pk", "name", "url")) == before
    assert Neighbour.objects.get().last_success_at == later


def test_a_failing_neighbour_keeps_its_copy_says_since_when_and_backs_off(
    allow_loopback, neighbour_server
):
    neighbour = services.follow(neighbour_server.base_url, now=NOW)
    neighbour_server.down = True

    for hours in (1, 2, 4):
        services.refresh_neighbour(neighbour, now=NOW + datetime.timedelta(hours=hours))

    neighbour.refresh_from_db()
    assert neighbour.failing_since == NOW + datetime.timedelta(hours=1)
    assert neighbour.failures == 3
    assert "503" in neighbour.last_error
    assert neighbour.next_attempt_at == NOW + datetime.timedelta(hours=4 + 4)
    assert list(Neighbour.objects.due(NOW + datetime.timedelta(hours=7))) == []
    assert len(commons_names(neighbour)) == 3 and neighbour.meetings.count() == 2

    neighbour_server.down = False
    services.refresh_neighbour(neighbour, now=NOW + datetime.timedelta(hours=8))
    neighbour.refresh_from_db()
    assert (neighbour.failing_since, neighbour.failures, neighbour.last_error) == (None, 0, "")


@pytest.mark.parametrize(
    "body", ["{not json", json.dumps({"type": "Feature"}), json.dumps([1, 2, 3])]
)
def test_a_malformed_feed_keeps_the_last_good_copy(allow_loopback, neighbour_server, body):
    neighbour = services.follow(neighbour_server.base_url, now=NOW)
    neighbour_server.serve("/commons/export.geojson", body)

    report = services.refresh_neighbour(neighbour, now=NOW)

    assert report.error
    neighbour.refresh_from_db()
    assert neighbour.failing_since == NOW
    assert len(commons_names(neighbour)) == 3


def test_one_neighbours_bad_data_never_stops_the_others(
    allow_loopback, neighbour_server, second_neighbour_server
):
    first = services.follow(neighbour_server.base_url, now=NOW)
    second = services.follow(second_neighbour_server.base_url, now=NOW)
    neighbour_server.serve("/calendar.ics", "BEGIN:VCALENDAR\r\nnonsense")
    collection = json.loads(second_neighbour_server.files["/commons/export.geojson"][0])
    collection["features"] = collection["features"][:1]
    second_neighbour_server.serve("/commons/export.geojson", json.dumps(collection))

    counts = services.refresh_due_neighbours(now=NOW)

    assert counts == {"refreshed": 1, "failed": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.failing_since == NOW
    assert second.failing_since is None and second.commons.count() == 1


def test_a_thousand_bad_items_are_rejected_one_by_one_with_a_count(
    allow_loopback, neighbour_server
):
    neighbour = services.follow(neighbour_server.base_url, now=NOW)
    collection = json.loads(neighbour_server.files["/commons/export.geojson"][0])
    bad = {"type": "Feature", "id": "x", "geometry": {"type": "Point", "coordinates": [500, 95]},
           "properties": {"name": "Hors du monde", "url": "https://example.org/"}}  # fmt: skip
    collection["features"] += [{**bad, "id": f"bad-{n}"} for n in range(1000)]
    neighbour_server.serve("/commons/export.geojson", json.dumps(collection))

    report = services.refresh_neighbour(neighbour, now=NOW)

    assert (report.error, report.commons, report.rejected) == ("", 3, 1000)
    neighbour.refresh_from_db()
    assert neighbour.rejected_items == 1000 and neighbour.failing_since is None


def test_follow_command_follows_and_reports(allow_loopback, neighbour_server):
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False):
        call_command("follow", neighbour_server.base_url, stdout=out)

    assert "Following Assemblée des Communs de Valenbrune" in out.getvalue()
    assert "3 commons, 2 meetings" in out.getvalue()
    assert NeighbourMeeting.objects.count() == 2


def test_follow_command_says_why_it_refuses(neighbour_server):
    # Without the operator's permission, 127.0.0.1 is a private address.
    with pytest.raises(CommandError, match="adresse privée ou réservée"):
        call_command("follow", neighbour_server.base_url, stdout=io.StringIO())
    assert neighbour_server.requests == []
    assert Neighbour.objects.count() == 0
