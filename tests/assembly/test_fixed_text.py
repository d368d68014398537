"""assembly/fixed_text.py: a kept part's text that depends only on the code is joined once per
language, and gives exactly what the template engine gives, in both languages; what a person
or the data wrote is still rendered, and escaped, at each render."""

import pytest
from django.template import Context, Template, engines
from django.template.base import Node, VariableNode
from django.template.loader_tags import BlockNode
from django.test import override_settings
from django.utils import translation

from assembly import fixed_text, fragments
from assembly.fixed_text import FixedText

PART = (
    '<a href="{% url \'home\' %}">{% translate "Menu" %}</a>'
    "{% if name %}<b>{{ name }}</b>{% endif %}"
    '<link href="{% static \'css/assemblee.css\' %}">{% translate "Log out" %}'
    "{% for item in items %}<i>{% translate 'Search' %}{{ item }}</i>{% endfor %}"
    "{% language 'en' %}{% translate 'Change' %}{% endlanguage %}"
)
SOURCE = "{% load i18n static %}" + PART
HOSTILE = '<script>alert("x")</script>&'


@fragments.part("test-fixed-text")
def _key(context):
    return (context["name"], tuple(context["items"]))


def _render(source, **context):
    return engines["django"].from_string(source).render(context)


def _kept(**context):
    fragments.forget_all()
    source = '{% load i18n static %}{% layoutfragment "test-fixed-text" %}' + PART
    return _render(source + "{% endlayoutfragment %}", **context)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_part_gives_what_the_template_engine_gives(language):
    context = {"name": HOSTILE, "items": [HOSTILE, "deux"]}
    with translation.override(language):
        expected = _render(SOURCE, **context)
        assert _kept(**context) == expected
        assert _kept(**context) == expected  # once joined
    assert "&lt;script&gt;" in expected and "<script>" not in expected


def test_each_language_has_its_own_text():
    with translation.override("fr"):
        french = _kept(name="", items=[])
    with translation.override("en"):
        english = _kept(name="", items=[])
    assert "Se déconnecter" in french and "Log out" in english
    # {% language %} inside a part keeps its own language.
    assert french.endswith("Change") and english.endswith("Change")


def test_runs_of_fixed_nodes_become_one_node_and_the_rest_stays():
    template = engines["django"].from_string(
        '{% load i18n %}{% layoutfragment "test-fixed-text" %}'
        '<p>{% translate "Menu" %}</p>{{ name }}{% csrf_token %}<p>{% url "home" %}</p>'
        "{% endlayoutfragment %}"
    )
    part = template.template.nodelist[1]
    kinds = [type(node).__name__ for node in part.nodelist]
    assert kinds == ["FixedText", "VariableNode", "CsrfTokenNode", "FixedText"]


def test_a_changed_setting_joins_the_text_again():
    first = _kept(name="", items=[])
    with override_settings(STATIC_URL="/elsewhere/"):
        moved = _kept(name="", items=[])
    assert "/elsewhere/" in moved and "/elsewhere/" not in first


def test_fixed_nodes_are_only_those_that_read_nothing():
    nodes = (
        engines["django"]
        .from_string(
            "{% load i18n %}{% translate name %}{% translate 'Menu' as menu %}"
            "{% url 'decisions:detail' 1 %}{% translate 'Menu'|upper %}{% translate 'Menu' %}"
        )
        .template.nodelist[1:]
    )
    assert [fixed_text.is_fixed(node) for node in nodes] == [False, False, False, False, True]
    assert not isinstance(nodes[-1], FixedText)  # outside a part, nothing is joined


def test_a_part_finds_the_nodes_inside_it_as_django_walks_them():
    template = engines["django"].from_string(
        '{% layoutfragment "test-fixed-text" %}{{ name }}{% block inside %}{{ name }}'
        "{% endblock %}{% endlayoutfragment %}"
    )
    part = template.template.nodelist[0]
    for kind in (BlockNode, VariableNode):
        walked = Node.get_nodes_by_type(part, kind)
        assert part.get_nodes_by_type(kind) == walked
        assert part.get_nodes_by_type(kind) == walked  # once found
    assert len(part.get_nodes_by_type(VariableNode)) == 2


def test_a_part_of_fixed_text_alone_is_joined_and_not_kept():
    template = engines["django"].from_string(
        '{% load i18n %}{% layoutfragment "test-fixed-text" %}<p>{% translate "Menu" %}</p>'
        "{% endlayoutfragment %}"
    )
    assert template.template.nodelist[1].fixed
    fragments.forget_all()
    with translation.override("en"):
        assert template.render({"name": "", "items": []}) == "<p>Menu</p>"
    assert fragments.count() == 0


def test_a_lone_fixed_node_keeps_its_text_per_language_a_few_at_most(monkeypatch):
    rendered = []

    def render(node, context):
        rendered.append(node)
        return translation.get_language()

    kept = fixed_text.keeping(render, urls=False)
    fixed, variable = Template(
        '{% load i18n %}{% translate "Home" %}{% translate word %}'
    ).nodelist[1:]
    texts = []
    for language in ["fr", "en", "fr", "en"]:
        with translation.override(language):
            texts += [kept(fixed, Context()), kept(variable, Context({"word": "Home"}))]

    assert texts == ["fr", "fr", "en", "en", "fr", "fr", "en", "en"]
    assert rendered.count(fixed) == 2
    assert rendered.count(variable) == 4

    monkeypatch.setattr(fixed_text, "MAX_NODE_TEXTS", 1)
    another = Template('{% load i18n %}{% translate "Home" %}').nodelist[-1]
    for language in ["fr", "en", "fr"]:
        with translation.override(language):
            kept(another, Context())
    assert rendered.count(another) == 3


def test_a_lone_node_inside_another_language_is_written_in_it():
    template = Template(
        '{% load i18n %}{% translate "Home" %}|{% language "en" %}{% translate "Home" %}'
        "{% endlanguage %}|{% translate 'Home' %}"
    )
    with translation.override("fr"):
        assert template.render(Context()) == "Accueil|Home|Accueil"


@fragments.part("test-part-scope")
def _scope_key(context):
    return ()


@pytest.mark.parametrize("tag", ["layoutfragment", "fragment"])
def test_a_part_sees_its_with_values_and_keeps_its_variables_to_itself(tag):
    fragments.forget_all()
    source = (
        "{% load i18n %}{% " + tag + ' "test-part-scope" with=extra %}'
        "{% translate 'Menu' as menu %}{{ menu }}/{{ shown }}"
        "{% end" + tag + " %}|{{ menu }}|{{ shown }}"
    )
    context = {"extra": {"shown": "from with="}}

    with translation.override("en"):
        first = _render(source, **context)
        again = _render(source, **context)

    assert first == again == "Menu/from with=||"
