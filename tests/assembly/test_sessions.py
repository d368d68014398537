"""Sessions fail closed (issue "Trust the caches"): signing out ends the session even while the
shared cache does not answer, so a copied session cookie never opens a page again."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from assembly.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sessions_live_in_the_database_only():
    # cached_db reads the cache first: a session whose deletion the cache dropped would live on.
    assert settings.SESSION_ENGINE == "assembly.sessions"
    assert issubclass(SessionStore, DatabaseSessionStore)
    assert not issubclass(SessionStore, CachedDatabaseSessionStore)


def test_a_copied_cookie_is_refused_after_signing_out_while_redis_hangs(own_redis):
    with override_settings(CACHES=own_redis.caches()):
        person = UserFactory()
        browser = Client()
        browser.force_login(person)
        assert browser.get(reverse("me")).status_code == 200
        copied = browser.cookies[settings.SESSION_COOKIE_NAME].value

        own_redis.freeze()
        try:
            started = time.monotonic()
            signed_out = browser.post(reverse("account_logout"))
            took = time.monotonic() - started
        finally:
            own_redis.thaw()
        assert signed_out.status_code == 302

        thief = Client()
        thief.cookies[settings.SESSION_COOKIE_NAME] = copied
        page = thief.get(reverse("me"))

    assert page.status_code == 302
    assert reverse("account_login") in page["Location"]
    assert took < 5, f"signing out waited {took:.1f}s for a hung Redis"


def test_the_store_reads_a_live_session_and_refuses_an_expired_one():
    store = SessionStore()
    store["seen"] = "the board"
    store.create()
    key = store.session_key

    assert SessionStore(key).load() == {"seen": "the board"}

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
