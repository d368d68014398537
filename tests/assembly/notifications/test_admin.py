"""The delivery log in the admin: listed under the assembly app, retried by an action."""

import pytest

from assembly.models import Delivery
from tests.factories import UserFactory


@pytest.mark.django_db
def test_admin_lists_deliveries_and_retries_failed_ones(client):
    failed = Delivery.objects.create(person=UserFactory(), topic="t", kind="k", state="failed")
    sent = Delivery.objects.create(person=UserFactory(), topic="t", kind="k", state="sent")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/assembly/delivery/").status_code == 200

    client.post(
        "/admin/assembly/delivery/",
        {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
    )

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.state, sent.state) == ("pending", "sent")
