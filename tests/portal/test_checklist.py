"""The moving-in checklist on home and /settings/, for administrators, until done or dismissed."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from assembly.models import AssemblyConfiguration, FacilitatorInvitation, Subscriber
from portal import checklist
from tests.charter.factories import add_version
from tests.commons_registry.factories import CommonsFactory
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import AttendanceFactory

from .conftest import CHECKLIST_QUERIES, _import_engine_installed

pytestmark = pytest.mark.django_db

MAKE = {
    "commons": lambda: CommonsFactory(),
    "attendance": lambda: AttendanceFactory(),
    "people": lambda: UserFactory(),
    "subscribers": lambda: Subscriber.objects.create(email="info@example.org", language="fr"),
    "charter": lambda: add_version(),
}


def bring_in(kind: str) -> None:
    """What an import of this kind leaves: its rows, and its applied batch where the import
    engine is installed (the checklist then asks for the batch)."""
    MAKE[kind]()
    if _import_engine_installed():
        batch = apps.get_model("assembly", "ImportBatch")
        batch.objects.create(
            kind=kind, status="applied", applied_at=timezone.now(), file_name=f"{kind}.csv"
        )


def _done(config=None) -> dict[str, bool]:
    return {item.key: item.done for item in checklist.items(config or AssemblyConfiguration.get())}


def test_a_new_assembly_has_everything_to_do(administrator):
    assert _done() == {
        "setup": False,
        "facilitators": False,
        "commons": False,
        "history": False,
        "people": False,
        "subscribers": False,
        "charter": False,
    }


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("commons", "commons"),
        ("attendance", "history"),
        ("people", "people"),
        ("subscribers", "subscribers"),
        ("charter", "charter"),
    ],
)
def test_each_import_ticks_its_item(administrator, kind, key):
    bring_in(kind)

    done = _done()

    assert done[key] is True
    assert (done["setup"], done["facilitators"]) == (False, False)


def test_an_invitation_or_a_facilitator_ticks_the_facilitators(administrator):
    FacilitatorInvitation.objects.create(email="lea@example.org")
    invited = _done()["facilitators"]
    FacilitatorInvitation.objects.all().delete()
    FacilitatorFactory()

    assert invited is True
    assert _done()["facilitators"] is True


def test_home_shows_the_checklist_to_administrators_only(client, admin_client, facilitator):
    admin_page = admin_client.get("/").content.decode()
    admin_client.logout()
    client.force_login(facilitator)
    facilitator_page = client.get("/").content.decode()
    client.logout()
    anonymous_page = client.get("/").content.decode()

    assert 'id="moving-in-title"' in admin_page
    assert 'href="/setup/"' in admin_page
    assert 'id="moving-in-title"' not in facilitator_page
    assert 'id="moving-in-title"' not in anonymous_page


def test_dismissed_checklist_is_gone_from_home_and_settings(admin_client):
    response = admin_client.post(reverse("settings:dismiss-checklist"), {"next": "/"})

    assert response["Location"] == "/"
    assert AssemblyConfiguration.get().checklist_dismissed_at is not None
    assert 'id="moving-in-title"' not in admin_client.get("/").content.decode()
    assert (
        'id="moving-in-title"' not in admin_client.get(reverse("settings:index")).content.decode()
    )


def test_dismiss_goes_nowhere_but_home_or_settings(admin_client):
    response = admin_client.post(
        reverse("settings:dismiss-checklist"), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("settings:index")


def test_checklist_done_is_no_longer_shown(admin_client, administrator):
    for kind in MAKE:
        bring_in(kind)
    FacilitatorFactory()
    config = AssemblyConfiguration.get()
    config.set_up_at = timezone.now()
    config.save()

    assert checklist.checklist_for(administrator) is None
    assert 'id="moving-in-title"' not in admin_client.get("/").content.decode()


def test_the_setup_step_ticks_the_first_item(admin_client):
    admin_client.post(reverse("setup:done"))

    page = admin_client.get("/").content.decode()

    assert _done()["setup"] is True
    assert 'data-item="setup"' in page


@pytest.mark.parametrize("count", [1, 3])
def test_home_for_an_administrator_queries_do_not_grow(
    admin_client, django_assert_num_queries, count
):
    for index in range(count):
        FacilitatorInvitation.objects.create(email=f"invited{index}@example.org")
    admin_client.get("/")

    # The person and the home's sections, then the checklist (its questions are asked whatever
    # the number of invitations). The charter's current version is kept from the first request:
    # home reads the versions it is kept under after the checklist, whose first read creates the
    # configuration row here (a write, which renews the test transaction's pending versions).
    with django_assert_num_queries(8 + CHECKLIST_QUERIES):
        admin_client.get("/")


def test_seed_demo_marks_the_demo_set_up(settings):
    from django.core.management import call_command  # noqa: PLC0415 - only here

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - test output

    config = AssemblyConfiguration.get()
    done = _done(config)
    assert config.set_up_at is not None
    assert config.map_latitude is not None
    assert (done["setup"], done["facilitators"]) == (True, True)
