"""A follower's records: exported for an administrator who answers its owner, and forgotten."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assembly import personal_data
from federation import inbox, publishing
from federation import personal_data as federation_data
from federation.models import Activity, ActivityDelivery, Follower, InboxItem, RemoteKey
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ALICE = "https://social.example/users/alice"


@pytest.fixture
def alice(settings):
    settings.SITE_URL = "http://testserver"
    publishing.configure(True, "assemblee")
    RemoteKey.objects.create(key_id=f"{ALICE}#main-key", owner=ALICE, public_key_pem="k")
    InboxItem.objects.create(actor_url=ALICE, target="/fediverse/inbox", body=b"{}")
    follow = {
        "id": f"{ALICE}#f",
        "type": "Follow",
        "actor": ALICE,
        "object": "http://testserver/fediverse/actor",
    }
    inbox.act(follow, {"id": ALICE, "inbox": f"{ALICE}/inbox"}, timezone.now())
    return Follower.objects.get()


def test_personal_data_registry_covers_followers():
    [records] = [r for r in personal_data.records() if r.model is Follower]

    assert records.name == "fediverse-followers"
    assert records.export is federation_data.follower_records
    assert records.forget is federation_data.forget_follower


def test_follower_export_holds_what_we_keep(client, alice):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    records = json.loads(client.get(reverse("network:follower-export", args=[alice.pk])).content)

    assert records["actor"] == ALICE
    assert records["inbox"] == f"{ALICE}/inbox"
    assert records["keys"] == [f"{ALICE}#main-key"]
    assert len(records["activities_received"]) == 1
    assert records["answers_sent"][0]["type"] == "Accept"


def test_forgetting_follower_removes_its_records(client, alice):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    client.post(reverse("network:forget-follower", args=[alice.pk]))

    assert Follower.objects.count() == 0
    assert RemoteKey.objects.count() == 0
    assert InboxItem.objects.count() == 0
    assert Activity.objects.count() == 0
    assert ActivityDelivery.objects.count() == 0
