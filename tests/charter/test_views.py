import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from charter import services
from charter.models import Amendment, Charter, CharterVersion
from charter.views import decision_section
from decisions.models import Decision
from tests.charter.factories import START, TEXT, add_version, adopt, amendment, default_charter
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_configuration")]

MEETINGS = TEXT.replace("chaque mois", "le dernier jeudi de chaque mois")
MEETINGS_WEEKLY = TEXT.replace("chaque mois", "chaque semaine")


def conflicting_amendment(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        first = amendment(base, text=MEETINGS)
        second = amendment(base, text=MEETINGS_WEEKLY, title="Chaque semaine")
    adopt(first.decision, voters=[member])
    adopt(second.decision, voters=[member], start=START + datetime.timedelta(hours=1))
    second.refresh_from_db()
    return second


# --- Reading ------------------------------------------------------------------------------------


def test_charter_page_shows_current_version_with_contents_and_decision(client, member):
    add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        proposed = amendment(base=CharterVersion.objects.get(), text=MEETINGS, title="Le rythme")
    decision = adopt(proposed.decision, voters=[member])

    response = client.get("/charter/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Charte des pratiques</h1>" in html
    assert "Version 2, en vigueur depuis" in html
    assert '<a href="#1-se-reunir">1. Se réunir</a>' in html
    assert '<h2 id="1-se-reunir">1. Se réunir</h2>' in html
    assert "le dernier jeudi de chaque mois" in html
    assert f'<a href="/decisions/{decision.pk}/">Le rythme</a>' in html
    assert html.count("<h1") == 1


def test_charter_page_without_version_says_so(client):
    default_charter()

    response = client.get("/charter/")

    assert response.status_code == 200
    assert "La charte n'a pas encore été publiée ici." in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_charter_page_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        base = add_version()
    for n in range(count):
        amendment(base, text=base.text + f"Ajout {n}.\n", title=f"Amendement {n}")

    with django_assert_num_queries(3):
        response = client.get("/charter/")

    assert response.status_code == 200
    assert len(response.context["under_discussion"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_charter_page_query_count_for_a_facilitator(
    facilitator_client, django_assert_num_queries, count
):
    for _ in range(count):
        add_version()

    with django_assert_num_queries(6):
        response = facilitator_client.get("/charter/")

    assert response.status_code == 200


def test_charter_page_lists_amendments_under_discussion_only(client, member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        adopted = amendment(base, text=MEETINGS, title="Le rythme")
    adopt(adopted.decision, voters=[member])
    amendment(base, text=MEETINGS_WEEKLY, title="Chaque semaine")

    response = client.get("/charter/")

    titles = [a.decision.title for a in response.context["under_discussion"]]
    assert titles == ["Chaque semaine"]
    assert "Amendements en discussion" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3, 5, 50])
def test_versions_page_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        add_version()

    with django_assert_num_queries(3):
        response = client.get("/charter/versions/")

    html = response.content.decode()
    assert html.count('<th scope="row">') == count
    assert ('name="a"' in html) is (count > 1)


@pytest.mark.parametrize("count", [1, 3])
def test_version_page_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        add_version()

    with django_assert_num_queries(3):
        response = client.get("/charter/versions/1/")

    assert response.status_code == 200
    assert "Version 1" in response.content.decode()


def test_old_version_page_says_it_is_no_longer_in_force(client):
    add_version(text="Ancien texte.\n")
    add_version(text="Nouveau texte.\n")

    response = client.get("/charter/versions/1/")

    html = response.content.decode()
    assert "Ancien texte." in html
    assert 'href="/charter/versions/2/"' in html


def test_missing_version_is_not_found(client):
    add_version()

    assert client.get("/charter/versions/9/").status_code == 404
    assert client.get("/charter/diff/1/9/").status_code == 404


@pytest.mark.parametrize("count", [2, 5])
def test_diff_page_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        add_version()

    with django_assert_num_queries(2):
        response = client.get(f"/charter/diff/1/{count}/")

    assert response.status_code == 200


def test_diff_page_shows_words_inserted_and_deleted_escaped(client):
    add_version(text="Nous nous réunissons chaque mois. <b>gras</b>\n")
    add_version(text="Nous nous réunissons le dernier jeudi du mois. <b>gras</b>\n")

    response = client.get("/charter/diff/1/2/")

    html = response.content.decode()
    assert "réunissons <del>chaque</del><ins>le dernier jeudi du</ins> mois." in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html
    assert "<b>gras</b>" not in html


def test_diff_page_side_by_side(client):
    add_version(text="Titre\n\nNous nous réunissons chaque mois.\n")
    add_version(text="Titre\n\nNous nous réunissons chaque semaine.\n")

    response = client.get("/charter/diff/1/2/?view=side")

    html = response.content.decode()
    assert "<td>Nous nous réunissons chaque <del>mois</del>.</td>" in html
    assert "<td>Nous nous réunissons chaque <ins>semaine</ins>.</td>" in html
    assert '<th scope="col">' in html


def test_compare_form_redirects_to_the_diff(client):
    add_version()
    add_version()
    add_version()

    response = client.get("/charter/diff/", {"a": "3", "b": "1"})

    assert response.status_code == 302
    assert response.url == "/charter/diff/1/3/"


# --- Amending -----------------------------------------------------------------------------------


def test_amend_redirects_anonymous_to_login(client):
    add_version()

    response = client.get("/charter/amend/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("count", [1, 3])
def test_amend_form_starts_from_the_current_version(
    person_client, django_assert_num_queries, count
):
    for _ in range(count):
        add_version()
    current = CharterVersion.objects.order_by("-number").first()

    with django_assert_num_queries(4):
        response = person_client.get("/charter/amend/")

    form = response.context["form"]
    assert (form.initial["text"], form.initial["base"]) == (current.text, count)


def test_amend_preview_shows_the_rendered_text_and_diff_without_saving(person_client):
    add_version(text=TEXT)

    response = person_client.post(
        "/charter/amend/",
        {
            "title": "Le rythme",
            "summary": "Fixer le jour.",
            "rationale": "On s'y retrouve.",
            "text": MEETINGS.replace("\n", "\r\n"),
            "base": "1",
            "preview": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nous nous réunissons<ins> le dernier jeudi de</ins> chaque mois" in html
    assert '<h2 id="1-se-reunir">1. Se réunir</h2>' in html
    assert Decision.objects.count() == 0


def test_amend_submit_opens_the_decision(person_client, person):
    add_version(text=TEXT)

    response = person_client.post(
        "/charter/amend/",
        {
            "title": "Le rythme",
            "summary": "Fixer le jour.",
            "rationale": "On s'y retrouve.",
            "text": MEETINGS,
            "base": "1",
            "submit": "1",
        },
    )

    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == f"/decisions/{decision.pk}/"
    assert (decision.kind, decision.author) == ("charter", person)
    assert Amendment.objects.get().proposed_text == MEETINGS


def test_amend_submit_refuses_an_unchanged_text(person_client):
    add_version(text=TEXT)

    response = person_client.post(
        "/charter/amend/",
        {
            "title": "Rien",
            "summary": "Rien.",
            "rationale": "Rien.",
            "text": TEXT,
            "base": "1",
            "submit": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Decision.objects.count() == 0


def test_decision_page_shows_the_amendment_diff(client):
    add_version(text=TEXT)
    proposed = amendment(CharterVersion.objects.get(), text=MEETINGS)

    response = client.get(f"/decisions/{proposed.decision.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nous nous réunissons<ins> le dernier jeudi de</ins> chaque mois" in html


@pytest.mark.parametrize("status", ["pending", "applied"])
def test_decision_section_costs_one_query(member, django_assert_num_queries, status):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        proposed = amendment(base, text=MEETINGS)
    if status == "applied":
        adopt(proposed.decision, voters=[member])
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(1):
        section = decision_section(proposed.decision, request)
        html = render_to_string(section["template"], section["context"])

    assert "chaque mois" in html
    assert ('href="/charter/versions/2/"' in html) is (status == "applied")


def test_decision_section_is_empty_for_a_charter_decision_without_amendment():
    decision = Decision(pk=123456, kind="charter")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert decision_section(decision, request) is None


# --- Conflicts ----------------------------------------------------------------------------------


def test_conflict_page_redirects_anonymous_and_forbids_participants(client, member):
    pending = conflicting_amendment(member)

    anonymous = client.get(f"/charter/conflicts/{pending.pk}/")
    client.force_login(UserFactory())
    participant = client.get(f"/charter/conflicts/{pending.pk}/")
    listing = client.get("/charter/conflicts/")

    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")
    assert (participant.status_code, listing.status_code) == (403, 403)


def test_conflict_page_shows_base_current_and_proposed_texts(
    facilitator_client, member, django_assert_num_queries
):
    pending = conflicting_amendment(member)

    with django_assert_num_queries(5):
        response = facilitator_client.get(f"/charter/conflicts/{pending.pk}/")

    html = response.content.decode()
    assert "Nous nous réunissons chaque mois" in html  # base
    assert "le dernier jeudi de chaque mois" in html  # current
    assert "Nous nous réunissons chaque semaine" in html  # proposed
    assert "<del>mois</del><ins>semaine</ins>" in html


def test_facilitator_resolves_a_conflict_into_a_new_version(facilitator_client, member):
    pending = conflicting_amendment(member)

    response = facilitator_client.post(
        f"/charter/conflicts/{pending.pk}/",
        {
            "text": TEXT.replace(
                "chaque mois", "le dernier jeudi de chaque mois, et chaque semaine"
            ),
            "note": "",
        },
    )

    version = CharterVersion.objects.order_by("-number").first()
    assert response.status_code == 302
    assert response.url == "/charter/versions/3/"
    assert version.decision == pending.decision
    assert "et chaque semaine" in version.text
    pending.refresh_from_db()
    assert pending.status == Amendment.Status.RESOLVED


@pytest.mark.parametrize(
    ("who", "links_to_resolution"), [("participant", False), ("facilitator", True)]
)
def test_decision_page_of_a_conflict_says_adopted_conflict_and_links_facilitators(
    client, member, facilitator, who, links_to_resolution
):
    pending = conflicting_amendment(member)
    client.force_login(facilitator if who == "facilitator" else UserFactory())

    html = client.get(f"/decisions/{pending.decision.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    html = html.decode()

    assert "adopted — conflict" in html
    assert (f'href="/charter/conflicts/{pending.pk}/"' in html) == links_to_resolution
    # Nothing of the proposal is lost: its full text is still on the page.
    assert "chaque semaine" in html


@pytest.mark.parametrize("count", [1, 3])
def test_conflicts_list_query_count_is_constant(
    facilitator_client, django_assert_num_queries, member, count
):
    for _ in range(count):
        conflicting_amendment(member)

    with django_assert_num_queries(4):
        response = facilitator_client.get("/charter/conflicts/")

    assert response.content.decode().count('class="card-title"') == count


def test_amend_preview_works_before_the_other_fields_are_filled(person_client):
    add_version(text=TEXT)

    response = person_client.post(
        "/charter/amend/", {"text": MEETINGS, "base": "1", "preview": "1"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nous nous réunissons<ins> le dernier jeudi de</ins> chaque mois" in html
    assert not response.context["form"].is_bound
    assert 'class="errorlist"' not in html


def test_amend_submit_with_missing_fields_shows_errors(person_client):
    add_version(text=TEXT)

    response = person_client.post("/charter/amend/", {"text": MEETINGS, "base": "1", "submit": "1"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "summary", "rationale"}
    assert Decision.objects.count() == 0


def test_another_charter_document_has_its_own_pages(client):
    add_version(text="Charte principale.\n")
    garden = Charter.objects.create(title="Charte du jardin partagé", slug="jardin")
    add_version(garden, text="## Arrosage\n\nChacun arrose à son tour.\n")
    add_version(garden, text="## Arrosage\n\nChacune et chacun arrose à son tour.\n")

    current = client.get("/charter/documents/jardin/")
    history = client.get("/charter/documents/jardin/versions/")
    changes = client.get("/charter/documents/jardin/diff/1/2/")

    assert "Chacune et chacun arrose" in current.content.decode()
    assert "Charte principale" not in current.content.decode()
    assert 'href="/charter/documents/jardin/versions/1/"' in history.content.decode()
    assert "<del>Chacun</del><ins>Chacune et chacun</ins>" in changes.content.decode()
    assert client.get("/charter/documents/inconnue/").status_code == 404


def test_home_section_shows_the_version_in_force(django_assert_num_queries):
    add_version()
    add_version(text="Texte.\n")

    with django_assert_num_queries(1):
        html = Template("{% load charter_home %}{% charter_home_section version %}").render(
            Context({"version": services.current_version()})
        )

    assert 'href="/charter/"' in html
    assert "Sa version 2 est en vigueur" in html
