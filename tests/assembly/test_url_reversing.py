"""assembly/url_reversing.py: each process keeps the URLs it reversed, and gives the same ones."""

import pytest
from django.template import Context, Template
from django.template.defaulttags import URLNode
from django.test import override_settings
from django.urls import Resolver404, get_resolver, resolve, reverse, set_script_prefix
from django.urls.resolvers import URLResolver
from django.utils import translation

from assembly import fixed_text, url_reversing


def test_kept_urls_are_the_ones_django_reverses():
    url_reversing._kept.clear()

    first = reverse("decisions:detail", kwargs={"pk": 12})
    again = reverse("decisions:detail", kwargs={"pk": 12})
    other = reverse("decisions:detail", args=[13])

    assert (first, again, other) == ("/decisions/12/", "/decisions/12/", "/decisions/13/")
    assert len(url_reversing._kept) == 2


def test_arguments_other_than_text_and_numbers_are_never_kept():
    url_reversing._kept.clear()

    class Slug:
        def __str__(self):
            return "jardin"

    assert reverse("commons:detail", args=[Slug()]) == "/commons/jardin/"
    assert url_reversing._kept == {}


def test_the_resolver_reverses_through_the_kept_answers():
    assert URLResolver._reverse_with_prefix is url_reversing._reverse_with_prefix


def _reverse_again(monkeypatch):
    """A render of the same kept texts (they are the nodes') that reverses them elsewhere."""
    reversed_again = fixed_text.keeping(lambda node, context: "reversed again", urls=True)
    monkeypatch.setattr(URLNode, "render", reversed_again)


URL_TAGS = Template(
    "{% url 'subscribe' %}|{% url 'decisions:detail' pk %}|{% url 'subscribe' as there %}"
    "{{ there }}|{% url name %}"
)


def test_a_url_tag_of_a_literal_keeps_its_text_and_gives_djangos(monkeypatch):
    context = {"pk": 4, "name": "home"}
    first = URL_TAGS.render(Context(context))
    _reverse_again(monkeypatch)
    kept = URL_TAGS.render(Context({"pk": 5, "name": "home"}))

    assert first == "/subscribe/|/decisions/4/|/subscribe/|/"
    # Only the literal without arguments nor `as` is kept; the others are asked again (`as`
    # sets nothing here: the stand-in renders the text instead).
    assert kept == "/subscribe/|reversed again|reversed again|reversed again"


def test_a_url_tag_is_reversed_again_under_another_prefix_or_settings(monkeypatch):
    template = Template("{% url 'subscribe' %}")
    assert template.render(Context()) == "/subscribe/"
    set_script_prefix("/assemblee/")
    try:
        under_prefix = template.render(Context())
    finally:
        set_script_prefix("/")
    _reverse_again(monkeypatch)
    with override_settings(ROOT_URLCONF="config.urls"):
        after_settings = template.render(Context())

    assert (under_prefix, after_settings) == ("/assemblee/subscribe/", "reversed again")


def _as_django_resolves(path):
    return url_reversing._resolve(get_resolver(), path)


def test_kept_matches_are_the_ones_django_resolves():
    url_reversing._resolved.clear()

    first = resolve("/decisions/12/")
    again = resolve("/decisions/12/")

    assert URLResolver.resolve is url_reversing._resolve_kept
    assert first is not again
    for match in (first, again):
        assert match.__dict__ == _as_django_resolves("/decisions/12/").__dict__
        assert (match.view_name, match.kwargs, match.route) == (
            "decisions:detail",
            {"pk": 12},
            "decisions/<int:pk>/",
        )
    assert [key[1] for key in url_reversing._resolved].count("/decisions/12/") == 1


def test_a_view_changing_its_match_changes_no_other_request():
    url_reversing._resolved.clear()

    first = resolve("/decisions/12/")
    first.kwargs["pk"] = 99
    first.url_name = "changed"

    again = resolve("/decisions/12/")
    assert (again.kwargs, again.url_name) == ({"pk": 12}, "detail")


def test_a_path_that_matches_nothing_is_never_kept():
    url_reversing._resolved.clear()

    with pytest.raises(Resolver404):
        resolve("/no-such-page/here/")

    assert not any(key[1] == "/no-such-page/here/" for key in url_reversing._resolved)


def test_matches_are_kept_per_language():
    url_reversing._resolved.clear()

    with translation.override("fr"):
        resolve("/decisions/")
    with translation.override("en"):
        resolve("/decisions/")

    assert {key[2] for key in url_reversing._resolved if key[1] == "/decisions/"} == {"fr", "en"}
