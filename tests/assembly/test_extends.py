"""assembly/extends.py: {% extends %} finds its root's blocks once per compiled template, and
renders what Django's own ExtendsNode renders."""

import pytest
from django.template import Context, Engine
from django.template.base import NodeList

TEMPLATES = {
    "root.html": "<{% block title %}Root{% endblock %}|{% if x %}{% block body %}root body"
    "{% endblock %}{% endif %}|{% block foot %}foot{% endblock %}>",
    "middle.html": "{% extends 'root.html' %}{% block body %}middle, {{ block.super }}"
    "{% endblock %}",
    "page.html": "{% extends 'middle.html' %}{% block title %}Page{% endblock %}"
    "{% block body %}page, {{ block.super }}{% endblock %}",
    "direct.html": "{% extends 'root.html' %}{% block foot %}{{ block.super }} too{% endblock %}",
}


def _engine():
    return Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", TEMPLATES)],
            )
        ]
    )


@pytest.mark.parametrize(
    ("name", "x", "html"),
    [
        ("page.html", True, "<Page|page, middle, root body|foot>"),
        ("page.html", False, "<Page||foot>"),
        ("direct.html", True, "<Root|root body|foot too>"),
        ("middle.html", True, "<Root|middle, root body|foot>"),
    ],
)
def test_an_extending_page_renders_as_with_django(name, x, html):
    template = _engine().get_template(name)

    assert [template.render(Context({"x": x})) for _ in range(3)] == [html] * 3


def test_the_root_blocks_are_found_once(monkeypatch):
    found = []
    walk = NodeList.get_nodes_by_type
    monkeypatch.setattr(
        NodeList, "get_nodes_by_type", lambda nodes, kind: found.append(kind) or walk(nodes, kind)
    )
    template = _engine().get_template("direct.html")

    template.render(Context({"x": True}))
    first = len(found)
    template.render(Context({"x": True}))
    template.render(Context({"x": False}))

    assert first > 0 and len(found) == first
