"""/settings/: what the wizard sets, plus categories, and every change listed."""

import pytest
from django.urls import reverse

from assembly.models import AssemblyConfiguration, SettingChange
from assembly.settings_log import record_change
from commons_registry.models import Category
from tests.factories import UserFactory
from workshops.models import Venue

from .conftest import CHECKLIST_QUERIES

pytestmark = pytest.mark.django_db


def test_settings_list_each_change_with_who_before_and_after(admin_client, administrator):
    admin_client.post(
        reverse("settings:rules"),
        {
            "membership_min_sessions": 3,
            "membership_window_days": 365,
            "discussion_days": 10,
            "vote_days": 7,
            "vote_quorum_percent": 20,
        },
    )

    page = admin_client.get(reverse("settings:index")).content.decode()
    change = SettingChange.objects.get()
    assert change.before == {
        "membership_min_sessions": 2,
        "discussion_days": 7,
        "vote_quorum_percent": 0,
    }
    assert change.after == {
        "membership_min_sessions": 3,
        "discussion_days": 10,
        "vote_quorum_percent": 20,
    }
    assert "Ada Admin" in page
    assert "vote_quorum_percent" in page
    assert AssemblyConfiguration.current().membership_min_sessions == 3


def test_rules_refuse_a_quorum_above_100(admin_client):
    response = admin_client.post(
        reverse("settings:rules"),
        {
            "membership_min_sessions": 2,
            "membership_window_days": 365,
            "discussion_days": 7,
            "vote_days": 7,
            "vote_quorum_percent": 101,
        },
    )

    assert response.status_code == 200
    assert AssemblyConfiguration.get().vote_quorum_percent == 0
    assert not SettingChange.objects.exists()


def test_categories_are_added_and_edited_with_a_record(admin_client):
    admin_client.post(
        reverse("settings:category-new"),
        {"name": "Alimentation", "slug": "alimentation", "colour": "#aa3300", "order": 1},
    )
    category = Category.objects.get(slug="alimentation")
    admin_client.post(
        reverse("settings:category", kwargs={"pk": category.pk}),
        {"name": "Alimentation", "slug": "alimentation", "colour": "#336699", "order": 1},
    )

    listed = admin_client.get(reverse("settings:categories")).content.decode()
    changes = list(SettingChange.objects.order_by("id"))
    assert [change.before for change in changes] == [{}, {"colour": "#aa3300"}]
    assert changes[1].after == {"colour": "#336699"}
    assert "Alimentation" in listed


def test_a_category_with_a_bad_colour_is_refused(admin_client):
    response = admin_client.post(
        reverse("settings:category-new"),
        {"name": "X", "slug": "x", "colour": "red; background:url(x)", "order": 0},
    )

    assert response.status_code == 200
    assert not Category.objects.filter(slug="x").exists()


def test_an_unknown_category_is_404(admin_client):
    assert admin_client.get(reverse("settings:category", kwargs={"pk": 999})).status_code == 404


def test_languages_chosen_are_those_offered_at_the_foot_of_each_page(admin_client):
    config = AssemblyConfiguration.get()
    config.languages = "fr"
    config.save()

    page = admin_client.get("/").content.decode()

    assert 'value="fr"' in page
    assert 'value="en"' not in page


def test_settings_link_is_in_the_header_for_administrators_only(client, admin_client):
    admin_page = admin_client.get("/").content.decode()
    client.logout()
    client.force_login(UserFactory())
    person_page = client.get("/").content.decode()

    assert f'href="{reverse("settings:index")}"' in admin_page
    assert f'href="{reverse("settings:index")}"' not in person_page


@pytest.mark.parametrize("count", [1, 3])
def test_settings_page_queries_do_not_grow(
    admin_client, administrator, django_assert_num_queries, count
):
    for index in range(count):
        record_change(by=administrator, subject=f"Change {index}", before={}, after={"a": index})
        Category.objects.create(name=f"C{index}", slug=f"test-c{index}")
    admin_client.get(reverse("settings:index"))

    with django_assert_num_queries(8 + CHECKLIST_QUERIES):
        response = admin_client.get(reverse("settings:index"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "setup:index",
        "setup:identity",
        "setup:rhythm",
        "setup:rules",
        "setup:email",
        "setup:done",
        "settings:identity",
        "settings:rules",
        "settings:rhythm",
        "settings:email",
        "settings:categories",
        "settings:category-new",
    ],
)
def test_each_page_answers_in_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, url
):
    expected = {
        # the session, the person; the configuration row once per content version
        "setup:index": 2,
        "setup:identity": 3,
        # the rule, and whether each of its 3 months already has its assembly
        "setup:rhythm": 8,
        "setup:rules": 3,
        "setup:email": 3,
        "setup:done": 2 + CHECKLIST_QUERIES,
        "settings:identity": 3,
        "settings:rules": 3,
        "settings:rhythm": 8,
        "settings:email": 3,
        "settings:categories": 4,
        "settings:category-new": 3,
    }[url]
    admin_client.get(reverse(url))

    with django_assert_num_queries(expected):
        assert admin_client.get(reverse(url)).status_code == 200


def test_the_map_opens_on_the_town_set_in_the_settings(client, admin_client):
    before = client.get(reverse("commons:map")).context["map_config"]["centre"]
    admin_client.post(
        reverse("settings:identity"),
        {
            "name": "Assemblée des Communs de Roubaix",
            "city": "Roubaix",
            "languages": ["fr", "en"],
            "map_latitude": "50.6942",
            "map_longitude": "3.1746",
        },
    )

    after = client.get(reverse("commons:map")).content.decode()

    assert before is None
    assert '"centre": [50.6942, 3.1746]' in after


def test_venue_changes_are_recorded_in_the_settings_log(admin_client, administrator):
    admin_client.post(reverse("meetings:new-venue"), {"name": "La Maison des Communs"})
    venue = Venue.objects.get(name="La Maison des Communs")
    admin_client.post(
        reverse("meetings:edit-venue", kwargs={"pk": venue.pk}),
        {"name": "La Maison des Communs", "address": "1 rue des Communs"},
    )

    changes = list(SettingChange.objects.order_by("id"))
    assert [change.subject for change in changes] == [
        "Lieu : La Maison des Communs",
        "Lieu : La Maison des Communs",
    ]
    assert changes[1].before == {"address": ""}
    assert changes[1].after == {"address": "1 rue des Communs"}
    assert changes[1].changed_by == administrator
