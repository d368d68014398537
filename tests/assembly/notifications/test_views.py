"""The page of e-mails needing attention (/deliveries/): facilitators only, constant queries."""

import pytest
from django.urls import reverse

from assembly.models import AssemblyConfiguration, Delivery
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def warm_configuration(db):
    """The configuration row is cached across requests; load it so that query counts are steady."""
    AssemblyConfiguration.current()


def uncertain(n: int) -> Delivery:
    return Delivery.objects.create(
        person=UserFactory(), topic=f"meeting:{n}", kind="reminder-1d", state="uncertain"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("participant", 403), ("facilitator", 200)]
)
def test_deliveries_page_permissions(client, facilitator, who, status):
    if who == "participant":
        client.force_login(UserFactory())
    elif who == "facilitator":
        client.force_login(facilitator)
    assert client.get(reverse("deliveries:index")).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("participant", 403), ("facilitator", 302)]
)
def test_retry_permissions(client, facilitator, who, status):
    row = Delivery.objects.create(person=UserFactory(), topic="t", kind="k", state="failed")
    if who == "participant":
        client.force_login(UserFactory())
    elif who == "facilitator":
        client.force_login(facilitator)
    response = client.post(reverse("deliveries:retry", args=[row.pk]))
    row.refresh_from_db()
    assert response.status_code == status
    assert row.state == ("pending" if who == "facilitator" else "failed")


def test_deliveries_page_address():
    assert reverse("deliveries:index") == "/deliveries/"
    assert reverse("deliveries:retry", args=[4]) == "/deliveries/4/retry/"


@pytest.mark.django_db
def test_old_address_redirects_permanently(client):
    response = client.get("/meetings/deliveries/")
    assert (response.status_code, response["Location"]) == (301, "/deliveries/")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_deliveries_page_query_count_and_retry(
    facilitator_client, django_assert_num_queries, count
):
    rows = [uncertain(n) for n in range(count)]
    Delivery.objects.create(
        person=UserFactory(), topic="meeting:9", kind="reminder-1d", state=Delivery.State.SENT
    )
    with django_assert_num_queries(4):
        response = facilitator_client.get(reverse("deliveries:index"))
    assert response.content.decode().count("<tr>") == count + 1
    response = facilitator_client.post(reverse("deliveries:retry", args=[rows[0].pk]))
    assert response["Location"] == reverse("deliveries:index")
    rows[0].refresh_from_db()
    assert rows[0].state == Delivery.State.PENDING


@pytest.mark.django_db
def test_agenda_links_facilitators_to_the_page(client, facilitator):
    client.get("/meetings/")
    assert 'href="/deliveries/"' not in client.get("/meetings/").content.decode()
    client.force_login(facilitator)
    assert 'href="/deliveries/"' in client.get("/meetings/").content.decode()
