"""Sessions fail closed (issue "Trust the caches"): signing out ends the session even while the
shared cache does not answer, so a copied session cookie never opens a page again."""

import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sessions_live_in_the_database_only():
    # cached_db reads the cache first: a session whose deletion the cache dropped would live on.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


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
