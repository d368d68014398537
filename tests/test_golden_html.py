"""The pages whose first view after a write `make bench` times (issue 24: the board, /me/, a
decision's page, /decisions/ and home), rendered on the small demo data at a fixed moment and
compared byte for byte with tests/golden/: making those pages cheaper must not change what they
say. Only what is random by nature is normalised (the CSRF tokens); the one random value stored
in the demo data that these pages print, each person's private calendar token, is set to a fixed
one.

Each page is rendered with nothing kept (no fragment, no anonymous page copy: the first view
after a write), then once more from what the first view kept, which must give the same bytes.

After a change of design that is meant to show, regenerate the files and read their diff:

    GOLDEN_UPDATE=1 pytest -p no:randomly tests/test_golden_html.py
    git diff tests/golden/
"""

import difflib
import io
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat
from django.test import Client

from assembly import fragments
from assembly.models import User
from decisions.models import Decision
from workshops.models import Meeting

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
# A Thursday afternoon: the demo's dates (meetings, votes, "3 days ago") are relative to it.
NOW = "2026-11-19 15:30:00+01:00"
# Where Django writes a CSRF token: the forms' hidden field and the layout's htmx header.
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}"')

PAGES = {
    "home": lambda: "/",
    "me": lambda: "/me/",
    "decisions": lambda: "/decisions/",
    "board-next": lambda: Meeting.objects.upcoming().order_by("starts_at", "pk").first(),
    "board-busiest": lambda: (
        Meeting.objects.past()
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(workshop_total=Count("workshops"))
        .order_by("-workshop_total", "-starts_at", "pk")
        .first()
    ),
    "decision-discussion": lambda: _decision(Decision.Phase.DISCUSSION),
    "decision-vote": lambda: _decision(Decision.Phase.VOTING),
    "decision-closed": lambda: _decision(Decision.Phase.CLOSED),
}
EVERY_PAGE = tuple(PAGES)
PUBLIC_PAGES = tuple(name for name in PAGES if name != "me")
# (who, language, pages): the member sees every page in both languages, a facilitator the pages
# whose forms and buttons a role changes, an anonymous visitor the public ones.
VIEWS = [
    (None, "fr", PUBLIC_PAGES),
    ("member@example.org", "fr", EVERY_PAGE),
    ("member@example.org", "en", EVERY_PAGE),
    (
        "facilitator@example.org",
        "fr",
        ("home", "me", "board-next", "board-busiest", "decision-vote"),
    ),
]


def _decision(phase):
    return Decision.objects.filter(phase=phase).order_by("pk").first()


def _path(page: str) -> str:
    target = PAGES[page]()
    assert target is not None, f"the demo data has nothing for {page}"
    return target if isinstance(target, str) else target.get_absolute_url()


def _reset_sequences():
    """Primary keys from 1 (or from after the migrations' rows): they are in the pages' links,
    and earlier tests moved PostgreSQL's sequences on (a rollback leaves them where they were)."""
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.managed]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _get(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return CSRF.sub(r"\1CSRF-TOKEN" + '"', response.content.decode())


def _render_all() -> dict[str, str]:
    rendered = {}
    for email, language, pages in VIEWS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if email is not None:
            client.force_login(User.objects.get(email=email))
        who = email.split("@")[0] if email else "anonymous"
        for page in pages:
            path = _path(page)
            # The first view after a write: nothing kept, neither parts nor whole pages.
            cache.clear()
            fragments.forget_all()
            first = _get(client, path)
            again = _get(client, path)
            name = f"{who}-{language}-{page}.html"
            assert again == first, f"{name}: the page from kept parts differs from the first view"
            rendered[name] = first
    return rendered


@pytest.mark.django_db
def test_first_view_pages_match_their_golden_html():
    _reset_sequences()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", force=True, stdout=io.StringIO())
        User.objects.update(calendar_token=Concat(Value("golden-"), Cast("pk", CharField())))
        rendered = _render_all()

    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.html"):
            if old.name not in rendered:
                old.unlink()
        for name, html in rendered.items():
            (GOLDEN / name).write_text(html, encoding="utf-8")
    expected = {path.name: path.read_text(encoding="utf-8") for path in GOLDEN.glob("*.html")}
    assert sorted(expected) == sorted(rendered), "regenerate with GOLDEN_UPDATE=1 (see above)"
    differing = [name for name in rendered if rendered[name] != expected[name]]
    if differing:
        first = differing[0]
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected[first].splitlines(keepends=True),
                    rendered[first].splitlines(keepends=True),
                    f"golden/{first}",
                    "rendered",
                )
            )[:80]
        )
        pytest.fail(f"{len(differing)} page(s) differ: {', '.join(differing)}\n{diff}")
