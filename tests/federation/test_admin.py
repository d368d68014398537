"""The admin follows a neighbour by its address, or explains why not and saves nothing."""

import pytest

from federation.models import Follower, Neighbour

pytestmark = pytest.mark.django_db


def test_admin_follows_a_neighbour_by_its_address(admin_client, allow_loopback, neighbour_server):
    response = admin_client.post(
        "/admin/federation/neighbour/add/", {"base_url": neighbour_server.base_url + "/"}
    )

    assert response.status_code == 302
    neighbour = Neighbour.objects.get()
    assert neighbour.name == "Assemblée des Communs de Valenbrune"
    assert neighbour.base_url == neighbour_server.base_url
    assert neighbour.commons.count() == 3


@pytest.mark.parametrize("reachable", [True, False])
def test_admin_explains_a_bad_address_and_saves_nothing(
    admin_client, allow_loopback, neighbour_server, reachable
):
    if reachable:
        neighbour_server.serve("/.well-known/assemblee.json", "<html>pas un document</html>")
    else:
        neighbour_server.stop()

    response = admin_client.post(
        "/admin/federation/neighbour/add/", {"base_url": neighbour_server.base_url}
    )

    assert response.status_code == 200
    assert "Impossible de suivre cette assemblée" in response.content.decode()
    assert Neighbour.objects.count() == 0


def test_admin_refuses_a_private_address_without_the_operators_permission(
    admin_client, neighbour_server
):
    response = admin_client.post(
        "/admin/federation/neighbour/add/", {"base_url": neighbour_server.base_url}
    )

    assert "adresse privée ou réservée" in response.content.decode()
    assert neighbour_server.requests == []
    assert Neighbour.objects.count() == 0


def test_admin_shows_a_neighbours_state(admin_client, allow_loopback, neighbour_server):
    admin_client.post("/admin/federation/neighbour/add/", {"base_url": neighbour_server.base_url})
    neighbour = Neighbour.objects.get()

    change = admin_client.get(f"/admin/federation/neighbour/{neighbour.pk}/change/")
    listing = admin_client.get("/admin/federation/neighbourcommons/")

    assert change.status_code == 200 and neighbour_server.base_url in change.content.decode()
    assert "Jardin des Tisserands" in listing.content.decode()


def test_admin_lists_fediverse_followers_and_deliveries(admin_client):

    Follower.objects.create(
        actor_url="https://social.example/users/alice",
        inbox_url="https://social.example/users/alice/inbox",
    )

    followers = admin_client.get("/admin/federation/follower/")
    deliveries = admin_client.get("/admin/federation/activitydelivery/")

    assert "https://social.example/users/alice" in followers.content.decode()
    assert deliveries.status_code == 200
