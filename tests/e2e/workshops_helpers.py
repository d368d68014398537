"""Signing in for the workshops journeys without depending on the login form's wording."""

from django.conf import settings
from django.test import Client


def sign_in(page, user, base_url):
    """Give the browser a session for this person, as the login form would.

    Other journeys walk the login form itself (tests/e2e/conftest.py's log_in()); these start
    signed in, so that they spend their time on the pages they are about.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )
