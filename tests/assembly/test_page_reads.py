"""Versions per table (assembly/page_cache/reads.py and versioning.py): a write replaces only the
versions of the tables it changed, and every page that declares what it reads does read only
that — its SQL, derived here on the demo assembly, names no other table — and shows a write to
each of those tables at the next request."""

import io
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from assembly import fragments, page_cache, signed_in
from assembly.page_cache import reads, versioning
from charter.models import CharterVersion
from commons_registry.models import Commons
from decisions.models import Decision
from tests.commons_registry.factories import CommonsFactory, category
from tests.workshops.factories import AttendanceFactory
from workshops.models import Meeting

pytestmark = pytest.mark.django_db

READ = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)
MEMBERSHIP = "assembly_user:membership"
# Literal values in a query as captured (a time, an id), so that two runs of one query compare.
VALUES = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


@pytest.mark.parametrize(
    ("sql", "versions"),
    [
        ('INSERT INTO "workshops_attendance" ("person_id") VALUES (%s)', {"workshops_attendance"}),
        ('DELETE FROM "charter_charterversion" WHERE "id" = 1', {"charter_charterversion"}),
        # What the membership recompute and a declaration write: the membership group alone.
        (
            'UPDATE "assembly_user" SET "eligible_until" = computed.new_until FROM (SELECT 1) '
            'AS computed WHERE "assembly_user"."id" = computed."pk"',
            {MEMBERSHIP},
        ),
        (
            'UPDATE "assembly_user" SET "membership_declared_at" = NULL WHERE "id" IN (1, 2)',
            {MEMBERSHIP},
        ),
        (
            'UPDATE "assembly_user" SET "membership_declared_at" = %s, "eligible_until" = %s',
            {MEMBERSHIP},
        ),
        # Any other column, or a value the parser cannot be sure of: the table and its groups.
        (
            'UPDATE "assembly_user" SET "display_name" = %s WHERE "id" = 1',
            {"assembly_user", MEMBERSHIP},
        ),
        (
            'UPDATE "assembly_user" SET "eligible_until" = %s, "display_name" = %s',
            {"assembly_user", MEMBERSHIP},
        ),
        (
            'UPDATE "assembly_user" SET "eligible_until" = (SELECT MAX(d) FROM x WHERE y = 1)',
            {"assembly_user", MEMBERSHIP},
        ),
        ('INSERT INTO "assembly_user" ("email") VALUES (%s)', {"assembly_user", MEMBERSHIP}),
        # What names no single table renews everything (the epoch).
        ('TRUNCATE "commons_registry_commons"', {""}),
        ("WITH moved AS (DELETE FROM decisions_vote RETURNING id) SELECT 1", {""}),
    ],
)
def test_a_statement_replaces_the_versions_of_what_it_writes(sql, versions):
    assert versioning.written_versions(sql) == versions


@pytest.mark.django_db(transaction=True)
def test_a_write_replaces_only_its_tables_versions():
    CommonsFactory()
    commons_pages = ("commons_registry_commons",)
    attendance_pages = ("workshops_attendance",)
    before = page_cache.content_version(commons_pages), page_cache.content_version(attendance_pages)
    everything = page_cache.content_version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commons_registry_commons SET name = %s", ["Autre nom"])
    assert page_cache.content_version(commons_pages) != before[0]
    assert page_cache.content_version(attendance_pages) == before[1]
    assert page_cache.content_version() != everything, "a page that declares nothing renews"


def test_a_restore_or_an_outage_renews_every_declared_page():
    before = page_cache.content_version(("commons_registry_commons",))
    page_cache.bump_content_version()
    assert page_cache.content_version(("commons_registry_commons",)) != before


def test_inside_a_transaction_that_wrote_its_connection_keeps_nothing_shared():
    before = page_cache.content_version(("charter_charterversion",))
    AttendanceFactory()
    # The test's transaction never commits: this connection reads versions of its own.
    assert page_cache.content_version(("charter_charterversion",)) != before


def test_a_page_that_declares_nothing_depends_on_everything():
    assert reads.page_tables("people") is None
    assert reads.page_tables("charter:current") is not None


# --- Every declared page, on the demo assembly -------------------------------------------------


@pytest.fixture
def demo(transactional_db):
    # Committed, as every write of a running site is: a transaction that never commits would
    # give its connection versions of its own at each write, and renew everything.
    category()  # from a data migration, which a transactional test before this one flushed
    call_command("seed_demo", force=True, stdout=io.StringIO())
    # A decision's page lists the commons it is about: one row there too, to write to.
    decision = Decision.objects.order_by("pk").first()
    decision.related_commons.add(Commons.objects.published().order_by("pk").first())


def _demo_urls() -> list[str]:
    commons = (
        Commons.objects.published()
        .annotate(links=Count("workshops") + Count("decisions"))
        .order_by("-links", "pk")
        .first()
    )
    meeting = Meeting.objects.past().annotate(n=Count("workshops")).order_by("-n", "-pk").first()
    last = CharterVersion.objects.order_by("-number").first().number
    # A decision of each phase and of each kind (each kind adds its own section).
    decisions = {
        *(Decision.objects.filter(phase=phase).order_by("pk").first() for phase in Decision.Phase),
        *(Decision.objects.filter(kind=kind).order_by("pk").first() for kind in Decision.Kind),
    }
    return [
        reverse("home"),
        reverse("commons:directory"),
        reverse("commons:map"),
        commons.get_absolute_url(),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("decisions:list"),
        *sorted(reverse("decisions:detail", args=[d.pk]) for d in decisions if d is not None),
        reverse("charter:current"),
        reverse("charter:versions"),
        reverse("charter:version", args=[1]),
        reverse("charter:diff", args=[1, last]),
        reverse("me"),
    ]


def _clients() -> list[Client]:
    visitor, member, facilitator = Client(), Client(), Client()
    member.login(email="member@example.org", password="demo-assemblee")
    facilitator.login(email="facilitator@example.org", password="demo-assemblee")
    return [visitor, member, facilitator]


def _persons_query() -> str:
    """The signed-in person's query (assembly/signed_in.py), its values left out."""
    with CaptureQueriesContext(connection) as queries:
        signed_in._person(pk=0)
    (query,) = queries
    return VALUES.sub("?", query["sql"])


def _queries(client, url) -> set[str]:
    """The queries of one request, their values left out; none when nothing of the request is
    kept (a signed-in page without kept parts): what it reads is read again at the next one.
    Nor the signed-in person's, for the same reason: read at every request, with their groups
    (whether they facilitate), it is never kept (test_a_new_facilitator_sees_their_controls_at_once
    checks that a change to the groups shows)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302), url
    if not getattr(response.wsgi_request, "content_version", None):
        return set()
    return {VALUES.sub("?", query["sql"]) for query in queries} - {_persons_query()}


def _tables_read(client, url) -> set[str]:
    return {table for query in _queries(client, url) for table in READ.findall(query)}


def _forget_everything():
    cache.clear()
    fragments.forget_all()


def _declared(url) -> frozenset[str]:
    tables = reads.page_tables(resolve(url).view_name)
    assert tables is not None, f"{url} declares what it reads"
    return tables


def _read_as_declared(url, clients) -> set[str]:
    """Every table the page reads, nothing kept, for each kind of person."""
    found = set()
    for client in clients:
        _forget_everything()
        found |= _tables_read(client, url)
    return found - versioning.IGNORED_TABLES


@pytest.mark.django_db(transaction=True)
def test_every_declared_page_reads_only_what_it_declares(demo):
    clients = _clients()
    problems = []
    for url in _demo_urls():
        declared = {name.partition(":")[0] for name in _declared(url)}
        if undeclared := _read_as_declared(url, clients) - declared:
            problems.append(f"{url} reads {sorted(undeclared)} without declaring them")
    assert not problems, "\n".join(problems)


def _touch(table: str) -> None:
    """A write to one row of `table` that changes nothing a person sees."""
    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quoted} SET {pk} = {pk} WHERE {pk} = (SELECT MIN({pk}) FROM {quoted})"
        )
        assert cursor.rowcount == 1, f"the demo assembly has a row in {table}"


def _touch_membership() -> None:
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "assembly_user" SET "eligible_until" = "eligible_until"')
    assert versioning.written_versions('UPDATE "assembly_user" SET "eligible_until" = %s') == {
        MEMBERSHIP
    }


@pytest.mark.django_db(transaction=True)
def test_a_write_to_each_table_a_declared_page_reads_shows_at_once(demo):
    clients = _clients()
    for url in _demo_urls():
        for client in clients:
            _forget_everything()
            cold = _queries(client, url)
            tables = {t for query in cold for t in READ.findall(query)} - versioning.IGNORED_TABLES
            # Nothing kept for this person (no tables): nothing can be stale.
            for table in sorted(tables):
                client.get(url)
                _touch(table)
                # Every query that read the table, in the page or in any of its parts, runs again.
                again = _queries(client, url)
                stale = {query for query in cold if table in READ.findall(query)} - again
                assert not stale, f"{url} kept after a write to {table}: {sorted(stale)[:2]}"
            if tables and MEMBERSHIP in _declared(url):
                client.get(url)
                _touch_membership()
                # Rendered again as if nothing were kept (but the configuration row).
                again = _tables_read(client, url)
                assert again >= tables - reads.ALWAYS_READ, f"{url} kept after a membership change"
