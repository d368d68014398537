"""Search across everything written (assembly/search.py and each app's search source), run on the
database the suite uses: SQLite's accent-folding fallback by default, PostgreSQL's full-text
search with DATABASE_URL."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assembly import search
from commons_registry.models import Commons
from decisions.models import Comment
from tests.charter.factories import add_version, default_charter
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place
from tests.workshops.factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

KINDS = [
    "commons",
    "meetings",
    "workshops",
    "decisions",
    "comments",
    "charter",
    "gatherings",
    "gathering_sessions",
]


def write_about_helene(n=1):
    """`n` items of every kind that mention Hélène, with accents and capitals."""
    for i in range(n):
        CommonsFactory(name=f"Le verger de Hélène {i}")
        meeting = MeetingFactory(title=f"Assemblée {i}", plenary_notes="Hélène présente le budget.")
        WorkshopFactory(meeting=meeting, title=f"Atelier {i}", notes="Notes prises par Hélène.")
        decision = discussion(title=f"Décision {i}", proposal="Hélène propose un vélo cargo.")
        Comment.objects.create(
            decision=decision, text="D'accord avec Hélène.", created_at=timezone.now()
        )
        add_version(text=f"# Charte\n\nHélène a relu la version {i}.")
        gathering = gathering_for(
            slug=f"rencontre-{i}", title=f"Rencontre {i}", description="Hélène accueille."
        )
        place(gathering, f"Session {i}", description="Hélène anime.")


def found(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return {
        group.source.kind: [result.title for result in group.results]
        for group in response.context["groups"]
    }


def test_search_finds_helene_from_helene_in_every_kind(client):
    write_about_helene()

    results = found(client, "helene")

    assert sorted(results) == sorted(KINDS)
    assert results["commons"] == ["Le verger de Hélène 0"]
    assert results["workshops"] == ["Atelier 0"]
    assert results["comments"] == ["Commentaire sur « Décision 0 »"]


def test_search_ignores_case_and_accents_of_the_query(client):
    CommonsFactory(name="Le verger de Hélène")

    assert found(client, "HÉLÈNE") == {"commons": ["Le verger de Hélène"]}
    assert found(client, "Helene") == {"commons": ["Le verger de Hélène"]}


def test_search_needs_every_word(client):
    CommonsFactory(name="Le verger de Hélène")
    CommonsFactory(name="Le verger de Paul")

    assert found(client, "verger helene") == {"commons": ["Le verger de Hélène"]}


def test_search_ranks_a_match_in_the_title_first(client):
    CommonsFactory(name="Un potager", summary="Tenu par Hélène.")
    CommonsFactory(name="Le verger de Hélène")

    assert found(client, "helene")["commons"] == ["Le verger de Hélène", "Un potager"]


def test_search_snippet_marks_the_match_and_escapes_the_text(client):
    CommonsFactory(name="Un potager", summary="<script>x</script> Tenu par Hélène.")

    response = client.get(reverse("search"), {"q": "helene"})

    html = response.content.decode()
    assert "<mark>Hélène</mark>" in html
    # SQLite's snippet shows the tag escaped, PostgreSQL's headline leaves tags out.
    assert "<script>x</script>" not in html


def test_search_without_a_query_shows_the_form_only(client):
    CommonsFactory(name="Le verger de Hélène")

    response = client.get(reverse("search"))

    assert response.status_code == 200
    assert response.context["groups"] == []


def test_search_says_when_nothing_is_found(client):
    response = client.get(reverse("search"), {"q": "introuvable"})

    assert "Rien trouvé pour « introuvable »." in response.content.decode()


def test_layout_has_a_labelled_search_box(client):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert f'action="{reverse("search")}"' in html
    assert '<label for="site-search-q"' in html
    assert 'id="site-search-q" name="q"' in html


# Who sees what: hidden workshops and comments, unpublished commons.


@pytest.mark.parametrize(
    ("role", "sees"), [("anonymous", False), ("member", False), ("facilitator", True)]
)
def test_hidden_workshop_is_found_only_by_facilitators(client, role, sees, facilitator):
    WorkshopFactory(title="Atelier de Hélène", hidden=True)
    if role == "member":
        client.force_login(UserFactory())
    elif role == "facilitator":
        client.force_login(facilitator)

    assert ("workshops" in found(client, "helene")) == sees


@pytest.mark.parametrize(
    ("role", "sees"), [("anonymous", False), ("member", False), ("facilitator", True)]
)
def test_hidden_comment_is_found_only_by_facilitators(client, role, sees, facilitator):
    decision = discussion(title="Un vélo")
    Comment.objects.create(
        decision=decision, text="Hélène insulte.", hidden=True, created_at=timezone.now()
    )
    if role == "member":
        client.force_login(UserFactory())
    elif role == "facilitator":
        client.force_login(facilitator)

    assert ("comments" in found(client, "helene")) == sees


@pytest.mark.parametrize(
    ("role", "sees"),
    [("anonymous", False), ("member", False), ("proposer", True), ("facilitator", True)],
)
def test_unpublished_commons_is_found_by_its_proposer_and_facilitators(
    client, role, sees, facilitator
):
    proposer = UserFactory()
    CommonsFactory(name="Le verger de Hélène", state=Commons.State.PROPOSED, submitted_by=proposer)
    if role == "member":
        client.force_login(UserFactory())
    elif role == "proposer":
        client.force_login(proposer)
    elif role == "facilitator":
        client.force_login(facilitator)

    assert ("commons" in found(client, "helene")) == sees


def test_search_finds_the_current_charter_version_only(client):
    charter = default_charter()
    add_version(charter, text="Hélène a écrit la première version.")
    add_version(charter, text="Une version plus récente, sans elle.")

    assert "charter" not in found(client, "helene")
    assert found(client, "recente") == {"charter": [str(charter.versions.order_by("-number")[0])]}


# Pages of one kind.


def test_search_overview_links_to_all_results_of_a_kind(client):
    for i in range(7):
        CommonsFactory(name=f"Le verger de Hélène {i}")

    response = client.get(reverse("search"), {"q": "helene"})

    assert len(response.context["groups"][0].results) == 5
    assert "kind=commons" in response.content.decode()


def test_search_pages_through_one_kind(client):
    for i in range(23):
        CommonsFactory(name=f"Le verger de Hélène {i}")
    WorkshopFactory(title="Atelier de Hélène")

    first = found(client, "helene", kind="commons")
    second = found(client, "helene", kind="commons", page=2)

    assert list(first) == ["commons"]
    assert len(first["commons"]) == 20
    assert len(second["commons"]) == 3


# The number of queries does not grow with the results.


@pytest.mark.parametrize("per_kind", [1, 3])
def test_search_queries_are_constant(client, django_assert_num_queries, per_kind):
    write_about_helene(per_kind)

    # One query for each of the 8 kinds, then the layout's configuration.
    with django_assert_num_queries(9):
        response = client.get(reverse("search"), {"q": "helene"})

    # Seven kinds, and the charter's current version.
    assert sum(len(group.results) for group in response.context["groups"]) == 7 * per_kind + 1


@pytest.mark.parametrize("per_kind", [1, 3])
def test_search_queries_are_constant_for_a_facilitator(
    client, facilitator, django_assert_num_queries, per_kind
):
    write_about_helene(per_kind)
    client.force_login(facilitator)

    # The session, the person with whether they facilitate, one query per kind (gatherings and
    # their sessions included), the layout.
    with django_assert_num_queries(11):
        response = client.get(reverse("search"), {"q": "helene"})

    # Seven kinds, and the charter's current version.
    assert sum(len(group.results) for group in response.context["groups"]) == 7 * per_kind + 1


INDEXES = {
    "commons": "commons_search",
    "meetings": "meeting_search",
    "workshops": "workshop_search",
    "decisions": "decision_search",
    "comments": "comment_search",
    "charter": "charter_version_search",
    "gatherings": "gathering_search",
    "gathering_sessions": "gathering_session_search",
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kinds_search_can_use_its_gin_index(kind, facilitator):
    """The match the search writes is exactly the expression the GIN index holds: were it
    another (a different configuration, `unaccent` outside the stored column), PostgreSQL could
    only scan the table. Scans are turned off so that the planner takes the index if it can,
    whatever the size of the test's tables."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite searches through its fallback, without an index")
    rows = search.matches(search.source(kind), facilitator, "helene")
    sql, params = rows[:6].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())

    assert f"Bitmap Index Scan on {INDEXES[kind]}" in plan, plan


def test_search_runs_on_the_database_it_says():

    assert search._is_postgresql() == (connection.vendor == "postgresql")


@pytest.mark.parametrize("per_kind", [1, 3])
def test_search_of_one_kind_queries_are_constant(client, django_assert_num_queries, per_kind):
    write_about_helene(per_kind)

    # The count, the page, the layout's configuration.
    with django_assert_num_queries(3):
        response = client.get(reverse("search"), {"q": "helene", "kind": "workshops"})

    assert response.context["groups"][0].count == per_kind
