"""Follow every internal link of the demo assembly, as each kind of person: no page errors, no link
leads to a missing page, and every page of the site has exactly one h1."""

import io
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

HREF = re.compile(r'href="([^"#]*)')
# Not pages: logging out, switching language, files, and the admin's destructive confirmations.
SKIP = re.compile(r"^/(static|media|i18n)/|logout|/delete/|/history/\d+/|\.(ics|csv|json|geojson)$")
PER_SHAPE = 3  # pages of the same shape (…/commons/<slug>/) add nothing after a few
LIMIT = 400


def shape(path):
    path = re.sub(r"\d+", "N", path.split("?")[0])
    return re.sub(r"^/commons/(?!map/|propose/|moderation/)[^/]+/", "/commons/S/", path)


def crawl(client, start="/"):
    seen, queue, shapes, problems = set(), [start], Counter(), []
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen or shapes[shape(path)] >= PER_SHAPE:
            continue
        seen.add(path)
        shapes[shape(path)] += 1
        response = client.get(path)
        if response.status_code >= 400:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        if not path.startswith("/admin/") and page.count("<h1") != 1:
            problems.append(f"{path}: {page.count('<h1')} h1")
        for href in HREF.findall(page):
            url = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            if url.netloc and url.netloc != "testserver":
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if not SKIP.search(url.path) and target not in seen:
                queue.append(target)
    return seen, problems


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.mark.parametrize("email", [None, "newcomer", "member", "facilitator", "admin"])
def test_every_internal_link_leads_to_a_working_page(client, demo, email):
    if email:
        client.login(email=f"{email}@example.org", password="demo-assemblee")

    seen, problems = crawl(client)

    assert len(seen) > 40
    assert problems == []
