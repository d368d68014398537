"""Signing in for the workshops journeys without depending on the login form's wording."""

from django.conf import settings
from django.test import Client


def sign_in(page, user, base_url):
    """Give the browser a session for this person, as the login form would.

    tests/e2e/conftest.py's log_in() looks for the label "E-mail", but allauth's French catalogue
    says "Courriel"; until the project catalogue settles that word, these journeys start signed in.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )
