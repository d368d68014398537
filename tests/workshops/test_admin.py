import pytest

from tests.factories import UserFactory
from tests.workshops.factories import WorkshopFactory
from workshops.models import Rhythm


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["rhythm", "venue", "meeting", "workshop"])
def test_admin_lists_workshops_models(client, model):
    WorkshopFactory()
    Rhythm.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/workshops/{model}/").status_code == 200


@pytest.mark.django_db
def test_admin_rhythm_rejects_bad_start_times(client):
    Rhythm.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/workshops/rhythm/1/change/",
        {
            "weekday": 3,
            "week_of_month": -1,
            "start_times": "noon",
            "duration_minutes": 180,
            "months_ahead": 3,
            "meeting_title": "A",
            "initiation_title": "I",
            "initiation_description": "D",
            "reminder_offsets_days": "7,1",
        },
    )
    assert response.status_code == 200
    assert Rhythm.get().start_times == "12:00,18:00"
