"""assembly/rows.py: a model's URL reversed once, each row's key put in its place, gives what
the model's get_absolute_url gives, in each language; a row's text escaped as a variable."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from assembly.rows import (
    fixed_urls,
    here,
    text,
    url_by_name,
    url_by_name_and_slug,
    url_by_pk,
    url_by_slug,
    url_of,
)
from commons_registry.models import Commons
from decisions.models import Decision


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_url_of_a_key_is_the_models(language):
    with translation.override(language):
        url = url_by_pk(Decision)
        assert [url(pk) for pk in (1, 42, 123456)] == [
            Decision(pk=pk).get_absolute_url() for pk in (1, 42, 123456)
        ]


@pytest.mark.parametrize("slug", ["jardin-2", "Le_Fab-Lab"])
def test_the_url_of_a_slug_is_the_models(slug):
    commons = Commons(slug=slug)

    assert url_by_slug(Commons)(commons) == commons.get_absolute_url()


@pytest.mark.parametrize("slug", ["café", "a b", "x/y"])
def test_a_slug_the_url_cannot_take_fails_as_the_model_does(slug):
    with pytest.raises(NoReverseMatch):
        Commons(slug=slug).get_absolute_url()
    with pytest.raises(NoReverseMatch):
        url_by_slug(Commons)(Commons(slug=slug))


@pytest.mark.parametrize(
    "value",
    [
        '<img src=x onerror="alert(1)">&\'',
        mark_safe("<b>déjà sûr</b>"),
        None,
        12,
        gettext_lazy("Home"),
    ],
)
def test_text_is_escaped_as_a_variable(value):
    expected = Template("{{ value }}").render(Context({"value": value}))

    assert text(value) == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_url_of_a_view_for_a_key_is_reverses(language):
    with translation.override(language):
        url = url_by_name("workshops:sign-up")
        assert [url(pk) for pk in (1, 42, 123456)] == [
            reverse("workshops:sign-up", args=[pk]) for pk in (1, 42, 123456)
        ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_url_of_a_view_without_arguments_is_reverses(language):
    with translation.override(language):
        assert url_of("meetings:index") == reverse("meetings:index")
        assert url_of("account_login") == reverse("account_login")


def test_urls_placed_with_what_they_depend_on_read_once_are_the_same():
    """`where=here()`, read once by a renderer placing several URLs, in each language."""
    for language in ("fr", "en"):
        with translation.override(language):
            where = here()
            assert url_by_name("meetings:ics", where)(7) == reverse("meetings:ics", args=[7])
            assert url_by_pk(Decision, where)(7) == Decision(pk=7).get_absolute_url()
            assert url_of("meetings:index", where) == reverse("meetings:index")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("prefix", ["/", "/sous-dossier/"])
def test_fixed_urls_are_what_the_url_tag_writes(language, prefix):
    """Kept per language and URL prefix (all `{% url %}` depends on): each the tag's text."""
    names = ("decisions:list", "commons:map", "subscribe")
    tag = Template("{% url 'decisions:list' %} {% url 'commons:map' %} {% url 'subscribe' %}")
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            expected = tag.render(Context()).split(" ")
            found = fixed_urls(Context(), *names)
            again = fixed_urls(Context(), *names)
    finally:
        set_script_prefix("/")

    assert list(found) == expected and again == found
    assert found[0].startswith(prefix)


@pytest.mark.parametrize("token", ["nZ2mAlLrMs-RwNY2_c8a9yOq", "café & <b>", "a b%"])
def test_the_url_of_a_view_for_a_text_is_reverses_escaped(token):
    url = url_by_name_and_slug("calendar:private")

    assert url(token) == escape(reverse("calendar:private", args=[token]))
