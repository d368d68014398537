from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from commons_registry import services
from commons_registry.models import Category, Commons, OstromAssessment
from commons_registry.services import newest_published
from config.celery import app
from decisions.models import Decision
from tests.commons_registry.factories import CommonsFactory, OstromAssessmentFactory, category
from tests.factories import UserFactory
from workshops.models import Meeting, Workshop

# --- Directory ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_directory_lists_only_published(client):
    CommonsFactory(name="Jardin publié")
    CommonsFactory(name="Jardin proposé", state=Commons.State.PROPOSED)
    response = client.get("/commons/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Jardin publié" in content
    assert "Jardin proposé" not in content


@pytest.mark.django_db
def test_directory_filters_by_category_status_text_and_location(client):
    CommonsFactory(name="Potager", category=category("jardins-alimentation"))
    CommonsFactory(
        name="Wiki local",
        category=category("logiciel-libre-numerique"),
        latitude=None,
        longitude=None,
        governance="Consensus et sociocratie",
    )
    CommonsFactory(name="Ancienne AMAP", status=Commons.Status.ENDED)

    def names(query):
        response = client.get("/commons/", query)
        return [c.name for c in response.context["page_obj"].object_list]

    assert names({"category": "logiciel-libre-numerique"}) == ["Wiki local"]
    assert names({"status": "ended"}) == ["Ancienne AMAP"]
    assert names({"q": "sociocratie"}) == ["Wiki local"]
    assert names({"location": "no"}) == ["Wiki local"]
    assert names({"location": "yes"}) == ["Ancienne AMAP", "Potager"]


@pytest.mark.django_db
def test_directory_counts_per_category(client):
    CommonsFactory.create_batch(2, category=category("energie"))
    CommonsFactory(category=category("mobilite"))
    CommonsFactory(category=category("mobilite"), state=Commons.State.PROPOSED)
    response = client.get("/commons/", {"category": "energie"})
    totals = {c.slug: c.total for c in response.context["categories"]}
    assert totals["energie"] == 2
    assert totals["mobilite"] == 1
    assert totals["autre"] == 0
    assert "Énergie (2)" in response.content.decode()


@pytest.mark.django_db
def test_directory_paginates(client):
    CommonsFactory.create_batch(30)
    first = client.get("/commons/")
    second = client.get("/commons/", {"page": 2})
    assert len(first.context["page_obj"].object_list) == 24
    assert len(second.context["page_obj"].object_list) == 6


@pytest.mark.django_db
def test_directory_empty_state(client):
    response = client.get("/commons/")
    assert (
        "Aucun commun" in response.content.decode()
        or response.context["page_obj"].paginator.count == 0
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_directory_query_count_constant(client, django_assert_num_queries, count, configured):
    CommonsFactory.create_batch(count, latitude=None, longitude=None)
    with django_assert_num_queries(5):
        response = client.get("/commons/", {"status": "active", "q": "jardin"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_directory_query_count_constant_signed_in(
    person_client, django_assert_num_queries, count, configured
):
    CommonsFactory.create_batch(count)
    with django_assert_num_queries(8):
        response = person_client.get("/commons/", {"category": "jardins-alimentation"})
    assert response.status_code == 200


# --- Map ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_map_passes_configuration_without_inline_script(client, settings):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = client.get("/commons/map/", {"category": "energie"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="commons-map-config" type="application/json"' in content
    assert "tiles.example.org" in content
    assert "/commons/export.geojson?category=energie" in content
    assert "style=" not in content
    assert "vendor/leaflet/leaflet.js" in content


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "other"), [("/commons/", "/commons/map/"),
                                             ("/commons/map/", "/commons/")])  # fmt: skip
def test_list_map_toggle_keeps_the_filters(client, path, other):
    CommonsFactory(name="Potager")
    query = {"category": "energie", "status": "active", "q": "vélo", "location": "yes", "page": "1"}
    content = client.get(path, query).content.decode()
    # The same filters, without the page number, on the other view's link.
    assert (
        f'href="{other}?category=energie&amp;status=active&amp;q=v%C3%A9lo&amp;location=yes"'
        in (content)
    )
    assert f'href="{path}?category=energie' in content


@pytest.mark.django_db
def test_map_lists_entries_for_visitors_without_javascript(client):
    CommonsFactory(name="Repair café")
    assert "Repair café" in client.get("/commons/map/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_map_query_count_constant(client, django_assert_num_queries, count, configured):
    CommonsFactory.create_batch(count)
    with django_assert_num_queries(5):
        response = client.get("/commons/map/")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_map_data_query_count_constant(client, django_assert_num_queries, count, configured):
    CommonsFactory.create_batch(count)
    with django_assert_num_queries(1):
        response = client.get("/commons/export.geojson")
    assert len(response.json()["features"]) == count


@pytest.mark.django_db
def test_map_not_framable_by_default(client):
    response = client.get("/commons/map/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_map_embed_without_origins_stays_denied(client, settings):
    settings.MAP_EMBED_ORIGINS = []
    response = client.get("/commons/map/", {"embed": "1"})
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_map_embed_framable_by_configured_origins_only(client, settings):
    settings.MAP_EMBED_ORIGINS = ["https://mairie.example.org", "https://tiers.example.net"]
    response = client.get("/commons/map/", {"embed": "1"})
    content = response.content.decode()
    assert "X-Frame-Options" not in response
    assert (
        "frame-ancestors https://mairie.example.org https://tiers.example.net"
        in response["Content-Security-Policy"]
    )
    assert 'class="site-header"' not in content
    assert "commons-map-config" in content
    other = client.get("/commons/map/")
    assert other["X-Frame-Options"] == "DENY"


# --- Entry ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entry_shows_sections_contact_place_and_history_link(client):
    commons = CommonsFactory(
        name="Fournil partagé",
        resource="Un **four** à pain",
        website="https://fournil.example.org",
        licence="CC BY-SA",
        founded_year=2019,
    )
    content = client.get(commons.get_absolute_url()).content.decode()
    assert "<strong>four</strong>" in content
    assert "https://fournil.example.org" in content
    assert "CC BY-SA" in content
    assert "openstreetmap.org/?mlat=50.630000&amp;mlon=3.060000" in content
    assert reverse("commons:history", args=[commons.slug]) in content
    assert "Aucun atelier sur ce commun pour l’instant." in content
    assert "style=" not in content


@pytest.mark.django_db
def test_entry_digital_commons_has_no_map(client):
    commons = CommonsFactory(latitude=None, longitude=None)
    content = client.get(commons.get_absolute_url()).content.decode()
    assert "commons-location-map" not in content


@pytest.mark.django_db
def test_entry_shows_latest_assessment_as_svg_with_table(client):
    commons = CommonsFactory()
    OstromAssessmentFactory(
        commons=commons, assessed_on="2025-01-01", boundaries=OstromAssessment.Level.ABSENT
    )
    OstromAssessmentFactory(
        commons=commons,
        assessed_on="2026-01-01",
        boundaries=OstromAssessment.Level.PRESENT,
        boundaries_comment="Charte",
    )
    response = client.get(commons.get_absolute_url())
    content = response.content.decode()
    assert response.context["assessment"].assessed_on.year == 2026
    assert "<svg" in content and "<title" in content and "<desc" in content
    assert '<th scope="row">' in content
    assert "Charte" in content


@pytest.mark.django_db
def test_entry_proposed_hidden_from_public(client):
    commons = CommonsFactory(state=Commons.State.PROPOSED)
    assert client.get(commons.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_entry_proposed_visible_to_proposer(person_client, person):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person)
    assert person_client.get(commons.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_entry_shows_to_be_confirmed_after_30_days(client):

    commons = CommonsFactory(confirmation_requested_at=timezone.now() - timedelta(days=31))
    response = client.get(commons.get_absolute_url())
    assert response.context["to_be_confirmed"] is True
    assert "À confirmer" in response.content.decode()


@pytest.mark.django_db
def test_directory_marks_entries_unconfirmed_30_days_after_the_request(client):

    asked = datetime(2026, 3, 1, 9, tzinfo=UTC)
    CommonsFactory(name="Jardin silencieux", confirmation_requested_at=asked)
    with time_machine.travel(datetime(2026, 3, 30, 9, tzinfo=UTC), tick=False):
        assert "À confirmer" not in client.get("/commons/").content.decode()
    with time_machine.travel(datetime(2026, 3, 31, 9, tzinfo=UTC), tick=False):
        assert "À confirmer" in client.get("/commons/").content.decode()


def _link_workshops_and_decisions(commons, count):

    now = timezone.now()
    meeting = Meeting.objects.create(
        title="Assemblée", starts_at=now, ends_at=now + timedelta(hours=2)
    )
    for n in range(count):
        workshop = Workshop.objects.create(meeting=meeting, title=f"Atelier {n}")
        workshop.related_commons.add(commons)
        decision = Decision.objects.create(
            title=f"Décision {n}",
            discussion_days=7,
            vote_days=7,
            created_at=now,
            discussion_ends_at=now + timedelta(days=7),
        )
        decision.related_commons.add(commons)
    hidden = Workshop.objects.create(meeting=meeting, title="Atelier caché", hidden=True)
    hidden.related_commons.add(commons)


@pytest.mark.django_db
def test_entry_lists_visible_workshops_and_decisions(client):
    commons = CommonsFactory()
    _link_workshops_and_decisions(commons, 2)
    content = client.get(commons.get_absolute_url()).content.decode()
    assert "Atelier 1" in content
    assert "Décision 0" in content
    assert "Atelier caché" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_entry_query_count_constant(client, django_assert_num_queries, count, configured):
    commons = CommonsFactory()
    OstromAssessmentFactory(commons=commons)
    _link_workshops_and_decisions(commons, count)
    with django_assert_num_queries(5):
        response = client.get(commons.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_entry_query_count_constant_for_steward(
    client, django_assert_num_queries, count, configured
):
    stewards = UserFactory.create_batch(3)
    commons = CommonsFactory(stewards=stewards)
    _link_workshops_and_decisions(commons, count)
    client.force_login(stewards[0])
    with django_assert_num_queries(8):
        response = client.get(commons.get_absolute_url())
    assert response.context["can_edit"] is True


@pytest.mark.django_db
def test_history_shows_who_changed_which_field(client, person):

    commons = CommonsFactory(summary="Ancien résumé", stewards=[person])
    services.edit_commons(
        commons, by=person, data={"summary": "Nouveau résumé", "category": category("energie")}
    )
    response = client.get(reverse("commons:history", args=[commons.slug]))
    content = response.content.decode()
    assert person.display_name in content
    assert "Ancien résumé" in content and "Nouveau résumé" in content
    assert "Jardins &amp; alimentation" in content and "Énergie" in content


@pytest.mark.django_db
def test_history_of_proposal_hidden_from_public(client):
    commons = CommonsFactory(state=Commons.State.PROPOSED)
    assert client.get(reverse("commons:history", args=[commons.slug])).status_code == 404


# Latitude is given as a decimal with six places; the export keeps it as a float.
ANY_LATITUDE = Decimal("50.6")


@pytest.mark.django_db
@pytest.mark.parametrize("edits", [1, 5])
def test_history_query_count_constant(client, django_assert_num_queries, edits, configured):

    steward = UserFactory()
    commons = CommonsFactory(stewards=[steward])
    for n in range(edits):
        services.edit_commons(commons, by=steward, data={"summary": f"Résumé {n}"})
    with django_assert_num_queries(4):
        response = client.get(reverse("commons:history", args=[commons.slug]))
    assert len(response.context["changes"]) == edits + 1


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["commons:edit", "commons:assess"])
def test_steward_forms_query_count(client, django_assert_num_queries, url_name, configured):
    steward = UserFactory()
    commons = CommonsFactory(stewards=[steward])
    client.force_login(steward)
    expected = {"commons:edit": 6, "commons:assess": 5}[url_name]
    with django_assert_num_queries(expected):
        response = client.get(reverse(url_name, args=[commons.slug]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_propose_page_query_count(person_client, django_assert_num_queries, configured):
    with django_assert_num_queries(4):
        response = person_client.get("/commons/propose/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_home_partial_shows_newest_commons():

    CommonsFactory(name="Ressourcerie")
    section = Template("{% load commons_home %}{% commons_home_section newest_commons %}")
    html = section.render(Context({"newest_commons": newest_published()}))
    assert "Ressourcerie" in html
    assert "/commons/map/" in html
    empty = section.render(Context({"newest_commons": []}))
    assert "Aucun commun n’est encore sur la carte." in empty


def test_confirmation_task_scheduled_daily(settings):

    entry = settings.CELERY_BEAT_SCHEDULE["commons-request-confirmations"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_picker_suggestions_are_published_matches_at_most_twenty(
    client, django_assert_num_queries, count
):
    category = Category.objects.create(name="Jardins", slug="jardins-picker")
    for n in range(count):
        Commons.objects.create(
            name=f"Jardin {n:02d}", slug=f"jardin-picker-{n}", summary="s", category=category,
            state=Commons.State.PUBLISHED,
        )  # fmt: skip
    Commons.objects.create(
        name="Jardin caché", slug="jardin-cache", summary="s", category=category,
        state=Commons.State.PROPOSED,
    )  # fmt: skip

    with django_assert_num_queries(1):
        response = client.get(reverse("commons:choices"), {"q": "JARDIN"})

    labels = [row["label"] for row in response.json()["results"]]
    assert labels == [f"Jardin {n:02d}" for n in range(min(count, 20))]


@pytest.mark.django_db
def test_picker_suggestions_without_a_query_are_empty(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("commons:choices"))

    assert response.json() == {"results": []}
