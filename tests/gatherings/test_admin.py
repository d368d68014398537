"""The admin's pages of gatherings open, for repairs."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.gatherings.factories import gathering, place

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_opens_gatherings_sessions_sites_walks_and_polls(client):
    g = gathering()
    session = place(g, "Plénière")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for model in ("gathering", "session", "site", "parcours", "poll"):
        assert client.get(reverse(f"admin:gatherings_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:gatherings_gathering_change", args=[g.pk])).status_code == 200
    assert (
        client.get(reverse("admin:gatherings_session_change", args=[session.pk])).status_code == 200
    )
