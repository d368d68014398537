"""Many processes, one truth: two gunicorn processes on one PostgreSQL and one Redis. A write through
one (or from any other process) shows through the other at the next request, on an anonymous page
served from the shared cache and on a signed-in page."""

import http.cookies
import os
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from assembly import page_cache
from bench.server import Server, server_environment
from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory
from tests.conftest import skip_or_fail
from tests.factories import FacilitatorFactory

from .conftest import REDIS_URL, redis_answers

ROOT = Path(__file__).resolve().parents[2]
# As the servers see it, key prefix included (config/settings.py, CACHE_KEY_PREFIX).
REDIS_CACHE = {
    "default": {
        "BACKEND": "assembly.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": settings.CACHE_KEY_PREFIX,
    }
}


class Browser:
    """One visitor: cookies kept between requests, like a browser (no JavaScript needed)."""

    def __init__(self, session_key: str | None = None):
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key} if session_key else {}

    def _open(self, request: urllib.request.Request) -> str:
        request.add_header("Accept-Language", "fr")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.read().decode()

    def get(self, port: int, path: str) -> str:
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}"))

    def post(self, port: int, path: str, data: dict, *, token_from: str) -> str:
        page = self.get(port, token_from)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body))


@pytest.fixture
def two_web_processes(tmp_path, django_db_blocker):
    if connection.vendor != "postgresql":
        skip_or_fail("the two-process test needs PostgreSQL (DATABASE_URL)")
    if not redis_answers(REDIS_URL):
        skip_or_fail(f"Redis does not answer at {REDIS_URL}")
    with django_db_blocker.unblock():
        database = connection.settings_dict
    database_url = (
        f"postgres://{database['USER'] or 'root'}"
        f"{':' + database['PASSWORD'] if database['PASSWORD'] else ''}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = server_environment(
        dict(os.environ),
        database_url=database_url,
        redis_url=REDIS_URL,
        static_root=str(tmp_path / "static"),
    )
    # The test process signs people in: both servers must read its sessions.
    env["SECRET_KEY"] = settings.SECRET_KEY
    env["DEBUG"] = "1"  # static files from the finders: no collectstatic for this test
    with (
        Server(env, workers=1, log=ROOT / "var" / "two-web-a.log") as first,
        Server(env, workers=1, log=ROOT / "var" / "two-web-b.log") as second,
    ):
        yield first.port, second.port


@pytest.mark.django_db(transaction=True)
def test_a_write_through_one_process_shows_through_the_other(two_web_processes):
    first, second = two_web_processes
    # This process shares the servers' cache, so that its own writes count there too.
    with override_settings(CACHES=REDIS_CACHE):
        page_cache.bump_content_version()  # nothing kept from an earlier run of this test
        CommonsFactory(name="Le jardin des Tanneurs")
        proposed = CommonsFactory(name="La ressourcerie", state=Commons.State.PROPOSED)
        facilitator = FacilitatorFactory()
        signing_in = Client()
        signing_in.force_login(facilitator)
        signed_in = Browser(signing_in.cookies[settings.SESSION_COOKIE_NAME].value)
        anonymous = Browser()

        for port in (first, second, second):  # the second read of B comes from the cache
            directory = anonymous.get(port, "/commons/")
            assert "Le jardin des Tanneurs" in directory
            assert "La ressourcerie" not in directory
        assert "La ressourcerie" in signed_in.get(second, "/commons/moderation/")

        # A facilitator publishes through the first process…
        signed_in.post(
            first,
            f"/commons/{proposed.slug}/moderate/",
            {"action": "publish"},
            token_from="/commons/moderation/",
        )

        # … and the second shows it at once, to anonymous visitors and to people signed in.
        assert "La ressourcerie" in anonymous.get(second, "/commons/")
        assert "La ressourcerie" in signed_in.get(second, f"/commons/{proposed.slug}/")

        # A write from a third process (here the test's, through the ORM) counts the same.
        Commons.objects.filter(pk=proposed.pk).update(name="La ressourcerie solidaire")
        assert "La ressourcerie solidaire" in anonymous.get(second, "/commons/")
        assert "La ressourcerie solidaire" in anonymous.get(first, "/commons/")
        assert "La ressourcerie solidaire" in signed_in.get(second, f"/commons/{proposed.slug}/")
