"""assembly/rows.py: a model's URL reversed once, each row's key put in its place, gives what
the model's get_absolute_url gives, in each language; a row's text escaped as a variable."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from assembly.rows import text, url_by_name, url_by_name_and_slug, url_by_pk, url_by_slug
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


@pytest.mark.parametrize("token", ["nZ2mAlLrMs-RwNY2_c8a9yOq", "café & <b>", "a b%"])
def test_the_url_of_a_view_for_a_text_is_reverses_escaped(token):
    url = url_by_name_and_slug("calendar:private")

    assert url(token) == escape(reverse("calendar:private", args=[token]))
