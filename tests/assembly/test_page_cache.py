"""The anonymous page cache (assembly/page_cache.py): every cached page shows a write at the next
request, languages and people never mix, and a cached page carries nobody's token or messages."""

import datetime
import gzip
import json
import re

import pytest
import time_machine
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assembly import page_cache
from assembly.models import AssemblyConfiguration, User
from charter.models import Charter
from commons_registry.models import Commons
from decisions.models import Decision
from federation.models import Neighbour, NeighbourCommons
from gatherings.models import Gathering, Session
from tests.charter.factories import add_version, default_charter
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.federation.factories import NeighbourCommonsFactory, NeighbourFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place
from tests.workshops.factories import MeetingFactory, WorkshopFactory
from workshops.models import Meeting, Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("within_one_minute")]


@pytest.fixture(autouse=True)
def configuration():
    # Created by the first page otherwise: a write while that page renders, so it is not kept.
    return AssemblyConfiguration.get()


BEFORE = "Avant la modification"
AFTER = "Après la modification"


def _commons():
    commons = CommonsFactory(name=BEFORE)
    return commons, lambda: Commons.objects.filter(pk=commons.pk).update(name=AFTER)


def _meeting():
    meeting = MeetingFactory(title=BEFORE)
    return meeting, lambda: Meeting.objects.filter(pk=meeting.pk).update(title=AFTER)


def _workshop():
    workshop = WorkshopFactory(title=BEFORE)
    return workshop, lambda: Workshop.objects.filter(pk=workshop.pk).update(title=AFTER)


def _decision():
    decision = discussion(title=BEFORE)
    return decision, lambda: Decision.objects.filter(pk=decision.pk).update(title=AFTER)


def _charter_text():
    add_version(default_charter(), text=f"## Un\n\n{BEFORE}\n")
    # Versions are immutable: a change of the charter is a new version.
    return None, lambda: add_version(default_charter(), text=f"## Un\n\n{AFTER}\n")


def _charter_note():
    add_version(default_charter(), note=BEFORE)
    # The list keeps every version: the new one shows beside the old.
    return None, lambda: add_version(default_charter(), note=AFTER)


def _charter_title():
    charter = default_charter()
    Charter.objects.filter(pk=charter.pk).update(title=BEFORE)
    add_version(charter)
    add_version(charter)
    return charter, lambda: Charter.objects.filter(pk=charter.pk).update(title=AFTER)


def _listed_person():
    person = UserFactory(display_name=BEFORE, listed=True)
    return person, lambda: User.objects.filter(pk=person.pk).update(display_name=AFTER)


def _searched_commons():
    # Found by a word of its summary, and shown by its name.
    commons = CommonsFactory(name=BEFORE, summary="Une grainothèque de quartier.")
    return commons, lambda: Commons.objects.filter(pk=commons.pk).update(name=AFTER)


def _neighbour():
    neighbour = NeighbourFactory(name=BEFORE)
    return neighbour, lambda: Neighbour.objects.filter(pk=neighbour.pk).update(name=AFTER)


def _neighbour_commons():
    copy = NeighbourCommonsFactory(name=BEFORE)
    return copy, lambda: NeighbourCommons.objects.filter(pk=copy.pk).update(name=AFTER)


def _gathering():
    gathering = gathering_for(title=BEFORE)
    return gathering, lambda: Gathering.objects.filter(pk=gathering.pk).update(title=AFTER)


def _gathering_session():
    session = place(gathering_for(), BEFORE)
    return session, lambda: Session.objects.filter(pk=session.pk).update(title=AFTER)


# URL name → (what it shows, and how to change it; the page's address from that object).
PAGES = {
    "home": (_commons, lambda _: reverse("home")),
    "commons:directory": (_commons, lambda _: reverse("commons:directory")),
    "commons:map": (_commons, lambda _: reverse("commons:map")),
    "commons:detail": (_commons, lambda c: c.get_absolute_url()),
    "commons:export-geojson": (_commons, lambda _: reverse("commons:export-geojson")),
    "commons:export-csv": (_commons, lambda _: reverse("commons:export-csv")),
    "commons:export-gogocarto": (_commons, lambda _: reverse("commons:export-gogocarto")),
    "meetings:index": (_meeting, lambda _: reverse("meetings:index")),
    "meetings:detail": (_workshop, lambda w: reverse("meetings:detail", args=[w.meeting_id])),
    "meetings:ics": (_meeting, lambda m: reverse("meetings:ics", args=[m.pk])),
    "workshops:detail": (_workshop, lambda w: reverse("workshops:detail", args=[w.pk])),
    "calendar:public": (_meeting, lambda _: reverse("calendar:public")),
    "decisions:list": (_decision, lambda _: reverse("decisions:list")),
    "decisions:detail": (_decision, lambda d: reverse("decisions:detail", args=[d.pk])),
    "charter:current": (_charter_text, lambda _: reverse("charter:current")),
    "charter:versions": (_charter_note, lambda _: reverse("charter:versions")),
    "charter:diff": (_charter_title, lambda _: reverse("charter:diff", args=[1, 2])),
    "people": (_listed_person, lambda _: reverse("people")),
    "search": (_searched_commons, lambda _: reverse("search") + "?q=grainoth%C3%A8que"),
    "feeds:agenda": (_meeting, lambda _: reverse("feeds:agenda")),
    "feeds:decisions": (_decision, lambda _: reverse("feeds:decisions")),
    "feeds:commons": (_commons, lambda _: reverse("feeds:commons")),
    "network:index": (_neighbour, lambda _: reverse("network:index")),
    "network:export-geojson": (_neighbour_commons, lambda _: reverse("network:export-geojson")),
    "gatherings:list": (_gathering, lambda _: reverse("gatherings:list")),
    "gatherings:detail": (_gathering, lambda g: g.get_absolute_url()),
    "gatherings:programme": (
        _gathering_session,
        lambda s: reverse("gatherings:programme", args=[s.gathering.slug]),
    ),
    "gatherings:programme-ics": (
        _gathering_session,
        lambda s: reverse("gatherings:programme-ics", args=[s.gathering.slug]),
    ),
    "gatherings:changes": (
        _gathering_session,
        lambda s: reverse("gatherings:changes", args=[s.gathering.slug]),
    ),
}


def text(response) -> str:
    return response.content.decode()


def test_every_cached_page_has_a_write_test():
    assert set(PAGES) == set(page_cache.PUBLIC_PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_cached_page_shows_a_write_at_the_next_request(client, name):
    arrange, address = PAGES[name]
    shown, change = arrange()
    url = address(shown)
    first = client.get(url)
    assert first.status_code == 200
    assert BEFORE in text(first)
    with CaptureQueriesContext(connection) as queries:
        assert BEFORE in text(client.get(url))
    assert len(queries) == 0, "the second anonymous request is served from the cache"

    change()

    again = client.get(url)
    assert AFTER in text(again)
    if name != "charter:versions":
        assert BEFORE not in text(again)


def test_publishing_through_the_moderation_page_shows_at_once(client, facilitator):
    proposed = CommonsFactory(name=AFTER, state=Commons.State.PROPOSED)
    assert AFTER not in text(client.get(reverse("commons:directory")))
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)

    facilitator_client.post(
        reverse("commons:moderate", args=[proposed.slug]), {"action": "publish"}
    )

    assert AFTER in text(client.get(reverse("commons:directory")))


def test_raw_sql_write_replaces_the_content_version():
    CommonsFactory()
    before = page_cache.content_version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commons_registry_commons SET name = name")
    assert page_cache.content_version() != before


def test_a_statement_that_changed_no_row_replaces_nothing():
    before = page_cache.content_version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commons_registry_commons SET name = name WHERE id = -1")
        cursor.execute("DELETE FROM decisions_comment WHERE id = -1")
    assert page_cache.content_version() == before


def test_session_writes_leave_cached_pages_alone():
    before = page_cache.content_version()
    session = SessionStore()
    session["seen"] = True
    session.create()
    session.delete()
    assert page_cache.content_version() == before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_bumps_again_after_its_commit_once():
    with transaction.atomic():
        CommonsFactory()
        CommonsFactory()
        pending = [func.__name__ for _sids, func, _robust in connection.run_on_commit]
        during = page_cache.content_version()
    assert pending == ["after_commit"]
    # A reader between the writes and the commit kept the old rows under `during`: gone now.
    assert page_cache.content_version() != during


def test_a_configuration_edit_shows_at_once(client, configuration):
    client.get(reverse("commons:directory"))
    AssemblyConfiguration.objects.filter(pk=configuration.pk).update(name="Assemblée de Roubaix")
    assert "Assemblée de Roubaix" in text(client.get(reverse("commons:directory")))


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "commons_registry_commons" ("name") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "workshops_attendance" VALUES (1)', True),
        ('UPDATE "assembly_user" SET "display_name" = %s', True),
        ('UPDATE "assembly_user" SET "last_login" = %s WHERE "assembly_user"."id" = %s', False),
        ('INSERT INTO "assembly_digestitem" ("kind") VALUES (%s)', False),
        ('INSERT INTO "assembly_deferredtask" ("name") VALUES (%s)', False),
        ('INSERT INTO "assembly_subscriber" ("email") VALUES (%s)', False),
        ('DELETE FROM "decisions_vote" WHERE "id" = 1', True),
        ("WITH moved AS (UPDATE assembly_user SET x = 1 RETURNING id) SELECT 1", True),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('DELETE FROM "django_session" WHERE "expire_date" < %s', False),
        ('INSERT INTO "assembly_delivery" ("topic") VALUES (%s)', False),
        ('SELECT "id" FROM "assembly_user" FOR UPDATE', False),
        ("WITH recent AS (SELECT 1) SELECT * FROM recent", False),
        ('SAVEPOINT "s1"', False),
    ],
)
def test_which_statements_write_shown_content(sql, writes):
    assert page_cache.writes_shown_content(sql) is writes


def test_two_languages_never_mix(client):
    CommonsFactory()
    french = client.get(reverse("commons:directory"), HTTP_ACCEPT_LANGUAGE="fr")
    english = Client().get(reverse("commons:directory"), HTTP_ACCEPT_LANGUAGE="en")
    french_again = Client().get(reverse("commons:directory"), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="fr"' in text(french)
    assert 'lang="en"' in text(english)
    assert "Se connecter" in text(french_again)
    assert "Log in" in text(english)


def test_a_signed_in_person_never_gets_the_anonymous_copy(client, person):
    CommonsFactory()
    anonymous = client.get(reverse("home"))
    assert "Se connecter" in text(anonymous)
    signed_in = Client()
    signed_in.force_login(person)

    page = signed_in.get(reverse("home"))

    assert reverse("me") in text(page)
    assert "Se connecter" not in text(page)
    # And the signed-in page is not kept for the next anonymous visitor either.
    assert reverse("me") not in text(Client().get(reverse("home")))


def test_a_signed_in_page_is_never_served_from_the_cache(person):
    signed_in = Client()
    signed_in.force_login(person)
    signed_in.get(reverse("commons:directory"))
    with CaptureQueriesContext(connection) as queries:
        signed_in.get(reverse("commons:directory"))
    assert len(queries) > 0


def _with_message(client, message: str):
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    response = HttpResponse()
    storage._store([Message(constants.INFO, message)], response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value


def test_messages_are_never_cached(client):
    CommonsFactory()
    visitor = Client()
    _with_message(visitor, "Un message pour une seule personne")

    seen = visitor.get(reverse("commons:directory"))
    other = client.get(reverse("commons:directory"))

    assert "Un message pour une seule personne" in text(seen)
    assert "Un message pour une seule personne" not in text(other)


def test_a_view_that_queues_a_message_is_not_kept(rf):
    def view(request):
        request._messages = CookieStorage(request)
        request._messages.add(constants.INFO, "Bonjour")
        return HttpResponse("page")

    calls = []

    def handler(request):
        # What Django's handler does between the middleware's two phases: the view, unless the
        # first phase answered.
        answer = middleware.process_view(request, view, (), {})
        if answer is not None:
            return answer
        calls.append(1)
        return view(request)

    middleware = page_cache.AnonymousPageCacheMiddleware(handler)
    for _ in range(2):
        request = rf.get("/")
        request.resolver_match = type("Match", (), {"view_name": "home"})()
        middleware(request)

    assert calls == [1, 1], "nothing was kept, so the view ran again"


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(response))[1]


def test_two_anonymous_visitors_get_their_own_valid_token():
    CommonsFactory()
    first_visitor = Client(enforce_csrf_checks=True)
    second_visitor = Client(enforce_csrf_checks=True)

    first = first_visitor.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        second = second_visitor.get(reverse("home"))

    assert len(queries) == 0, "the second visitor's page came from the cache"
    assert page_cache.placeholder() not in text(first) + text(second)
    first_secret = first_visitor.cookies["csrftoken"].value
    second_secret = second_visitor.cookies["csrftoken"].value
    assert first_secret != second_secret
    assert _unmask_cipher_token(_token(first)) == first_secret
    assert _unmask_cipher_token(_token(second)) == second_secret
    assert f'"X-CSRFToken": "{_token(second)}"' in text(second)


def test_the_language_switcher_works_from_a_cached_page():
    CommonsFactory()
    Client().get(reverse("commons:directory"))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("commons:directory"))

    response = visitor.post(
        reverse("set_language"),
        {
            "language": "en",
            "next": reverse("commons:directory"),
            "csrfmiddlewaretoken": _token(page),
        },
    )

    assert response.status_code == 302
    assert visitor.cookies["django_language"].value == "en"
    assert "Log in" in text(visitor.get(reverse("commons:directory")))


def test_clock_dependent_pages_are_rendered_again_each_minute(client):
    start = timezone.now().replace(second=5, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        MeetingFactory(title=BEFORE, starts_at=start + datetime.timedelta(seconds=30))
        assert BEFORE in text(client.get(reverse("meetings:index")))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("meetings:index"))
        assert len(queries) == 0
        traveller.shift(datetime.timedelta(seconds=60))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("meetings:index"))
        assert len(queries) > 0


def test_a_404_is_not_kept(client):
    url = reverse("decisions:detail", args=[999_999])
    assert client.get(url).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 404
    assert len(queries) > 0


def test_the_embeddable_map_stays_framable_from_the_cache(client, settings):
    settings.MAP_EMBED_ORIGINS = ["https://mairie.example.org"]
    client.get(reverse("commons:map"), {"embed": "1"})
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(reverse("commons:map"), {"embed": "1"})
    assert len(queries) == 0
    assert "X-Frame-Options" not in cached
    assert "frame-ancestors https://mairie.example.org" in cached["Content-Security-Policy"]
    assert Client().get(reverse("commons:map"))["X-Frame-Options"] == "DENY"


def _geojson(client, **headers):
    return client.get(reverse("commons:export-geojson"), **headers)


def test_a_gzip_client_gets_the_same_export_compressed(client):
    CommonsFactory.create_batch(5)
    plain = _geojson(client)

    compressed = _geojson(Client(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    compressed_again = _geojson(Client(), HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(compressed.content)) == json.loads(plain.content)
    assert compressed_again.content == compressed.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
    assert "Accept-Encoding" in plain["Vary"]
    assert "Accept-Encoding" in compressed["Vary"]
    # And a client without gzip, after the compressed copy was served, still gets plain JSON.
    again = _geojson(Client())
    assert "Content-Encoding" not in again
    assert json.loads(again.content) == json.loads(plain.content)


def test_the_first_gzip_client_gets_a_compressed_body_too(client):
    CommonsFactory.create_batch(5)
    first = _geojson(client, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(first.content))["type"] == "FeatureCollection"


def test_a_compressed_export_answers_its_conditional_get(client):
    CommonsFactory.create_batch(5)
    compressed = _geojson(client, HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["ETag"].startswith('W/"')

    again = _geojson(Client(), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"])

    assert again.status_code == 304


def test_a_page_with_a_csrf_token_is_never_compressed(client):
    CommonsFactory.create_batch(5)
    client.get(reverse("commons:directory"), HTTP_ACCEPT_ENCODING="gzip")

    page = Client().get(reverse("commons:directory"), HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in page
    assert 'name="csrfmiddlewaretoken"' in text(page)
    assert page_cache.placeholder() not in text(page)


def _lose_the_shared_copies():
    """The shared cache forgets every page but keeps the content version."""
    version = cache.get(page_cache.VERSION_KEY)
    cache.clear()
    cache.set(page_cache.VERSION_KEY, version, None)


@pytest.fixture
def every_page_is_big(monkeypatch):
    monkeypatch.setattr(page_cache.local_pages, "min_bytes", 0)
    yield
    page_cache.local_pages.clear()


def test_a_big_page_is_served_from_the_workers_memory(client, every_page_is_big):
    CommonsFactory(name=BEFORE)
    CommonsFactory.create_batch(4)  # enough to be compressed
    _geojson(client)
    _lose_the_shared_copies()

    with CaptureQueriesContext(connection) as queries:
        compressed = _geojson(Client(), HTTP_ACCEPT_ENCODING="gzip")
        plain = _geojson(Client())

    assert len(queries) == 0, "both copies came from this worker's memory"
    assert BEFORE in gzip.decompress(compressed.content).decode()
    assert BEFORE in text(plain)


def test_a_write_shows_past_the_workers_memory(client, every_page_is_big):
    _shown, change = _commons()
    assert BEFORE in text(_geojson(client))

    change()

    assert AFTER in text(_geojson(client))


def test_nothing_is_kept_in_memory_while_the_shared_cache_is_down(client, every_page_is_big):
    CommonsFactory()
    # Nothing listens on port 1: no content version can be read, so no write could be seen.
    down = {
        "default": {
            "BACKEND": "assembly.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=down):
        _geojson(client)
        with CaptureQueriesContext(connection) as queries:
            assert _geojson(client).status_code == 200
    assert len(queries) > 0
    assert len(page_cache.local_pages) == 0


def test_the_workers_memory_keeps_the_most_recent_pages_within_its_size():
    pages = page_cache.LocalPages(max_bytes=2500, min_bytes=1000)
    kept = [page_cache.Kept(head=b"", body=bytes(1000), gzipped=None) for _ in range(3)]
    small = page_cache.Kept(head=b"", body=bytes(999), gzipped=None)

    pages.add("a", kept[0])
    pages.add("b", kept[1])
    pages.get("a")  # used last: "b" is now the oldest
    pages.add("c", kept[2])
    pages.add("small", small)

    assert pages.get("a") is kept[0]
    assert pages.get("b") is None
    assert pages.get("c") is kept[2]
    assert pages.get("small") is None


def test_twenty_sign_ins_keep_the_anonymous_home_page(client):
    CommonsFactory()
    people = [UserFactory(password="un mot de passe assez long") for _ in range(20)]
    client.get(reverse("home"))

    for person in people:
        browser = Client()
        signed_in = browser.post(
            reverse("account_login"),
            {"login": person.email, "password": "un mot de passe assez long"},
        )
        assert signed_in.status_code == 302
        assert browser.get(reverse("me")).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert Client().get(reverse("home")).status_code == 200
    assert len(queries) == 0, "sign-ins change no public page"


def _kept_pages() -> int:
    # The test settings' LocMemCache, whose keys are Django's made keys (":1:page-cache:…").
    return sum(
        1 for key in cache._cache if "page-cache:" in key and page_cache.VERSION_KEY not in key
    )


def test_query_parameters_a_page_does_not_read_keep_no_copy_of_their_own(client):
    NeighbourCommonsFactory()
    url = reverse("network:export-geojson")
    for n in range(5):
        assert client.get(url, {"x": n}).status_code == 200
    assert _kept_pages() == 0
    client.get(url)  # the canonical copy
    assert _kept_pages() == 1
    with CaptureQueriesContext(connection) as queries:
        for n in range(5, 10):
            assert client.get(url, {"x": n}).status_code == 200
    assert len(queries) == 0, "served the canonical copy"


def test_parameters_a_page_reads_keep_a_copy_each(client):
    CommonsFactory(name=BEFORE, status=Commons.Status.ACTIVE)
    active = client.get(reverse("commons:directory"), {"status": "active"})
    ended = client.get(reverse("commons:directory"), {"status": "ended"})
    assert BEFORE in text(active)
    assert BEFORE not in text(ended)


def test_every_kept_response_says_how_others_may_keep_it(client):
    CommonsFactory.create_batch(3)
    for url in (reverse("commons:directory"), reverse("feeds:commons")):
        for response in (client.get(url), Client().get(url)):
            vary = response["Vary"]
            assert "Cookie" in vary
            assert "Accept-Language" in vary
            assert response.has_header("Cache-Control")
    page = Client().get(reverse("commons:directory"))
    assert "private" in page["Cache-Control"], "a page with a visitor's token"
    feed = Client().get(reverse("feeds:commons"))
    assert "max-age=60" in feed["Cache-Control"]
    assert "private" not in feed["Cache-Control"]
