"""assembly/csrf_tokens.py: each page's CSRF token is masked as Django masks it, with a new
uniform mask each time, and the CSRF check accepts it."""

import collections
import re

import pytest
from django.middleware import csrf
from django.test import Client
from django.urls import reverse

from assembly import csrf_tokens
from tests.factories import UserFactory

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_get_token_masks_with_ours():
    assert csrf._mask_cipher_secret is csrf_tokens.mask_cipher_secret


def test_django_reads_the_secret_back_from_every_token():
    secret = csrf._get_new_csrf_string()
    tokens = {csrf_tokens.mask_cipher_secret(secret) for _ in range(200)}
    assert len(tokens) == 200  # a new mask each time
    for token in tokens:
        assert len(token) == csrf.CSRF_TOKEN_LENGTH
        assert re.fullmatch("[A-Za-z0-9]+", token)
        assert csrf._unmask_cipher_token(token) == secret
        assert csrf._does_token_match(token, secret)


def test_the_cipher_is_the_secret_added_to_the_mask_as_django_adds_it():
    chars = csrf.CSRF_ALLOWED_CHARS
    token = csrf_tokens.mask_cipher_secret(SECRET)
    mask, cipher = token[:32], token[32:]
    expected = "".join(
        chars[(chars.index(s) + chars.index(m)) % len(chars)]
        for s, m in zip(SECRET, mask, strict=True)
    )
    assert cipher == expected


def test_every_character_of_the_mask_is_drawn_evenly():
    drawn = collections.Counter("".join(csrf_tokens._new_mask() for _ in range(2000)))
    assert set(drawn) == set(csrf.CSRF_ALLOWED_CHARS)
    expected = 2000 * 32 / 62
    assert all(0.8 * expected < count < 1.2 * expected for count in drawn.values())


@pytest.mark.django_db
def test_a_form_posted_with_the_pages_token_passes_the_csrf_check():
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    page = browser.get(reverse("me")).content.decode()
    token = re.search(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', page)[1]
    signed_out = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    refused = Client(enforce_csrf_checks=True)
    refused.force_login(person)
    refused.get(reverse("me"))
    assert (
        refused.post(reverse("account_logout"), {"csrfmiddlewaretoken": token[::-1]}).status_code
        == 403
    )
