"""assembly/translate.py: a {% translate "literal" %} node keeps its text per language and
escaping, and gives what Django's node gives."""

import pytest
from django.template import Context, Template
from django.templatetags.i18n import TranslateNode
from django.test import override_settings
from django.utils import translation

from assembly import fixed_text, translate

TEMPLATE = Template(
    '{% load i18n %}{% translate "Home" %}|{% translate "Done" context "kanban column" %}|'
    '{% translate "a < b" %}|{% translate "Home" noop %}|{% translate word %}|'
    '{% translate "Home" as home %}{{ home }}|{% autoescape off %}{% translate "a < b" %}'
    "{% endautoescape %}"
)


def _django(template, context):
    """The same template rendered by Django's own node."""
    render = TranslateNode.render
    TranslateNode.render = translate._render
    try:
        return template.render(context)
    finally:
        TranslateNode.render = render


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_kept_text_is_djangos_in_each_language(language):
    with translation.override(language):
        first = TEMPLATE.render(Context({"word": "Home"}))
        again = TEMPLATE.render(Context({"word": "Done"}))
        expected = _django(TEMPLATE, Context({"word": "Home"}))
        expected_again = _django(TEMPLATE, Context({"word": "Done"}))

    assert (first, again) == (expected, expected_again)
    assert first.startswith("Accueil|Fait|" if language == "fr" else "Home|Done|")


def test_each_language_has_its_own_text():
    template = Template('{% load i18n %}{% translate "Home" %}')
    with translation.override("fr"):
        french = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("fr"):
        french_again = template.render(Context())

    assert (french, english, french_again) == ("Accueil", "Home", "Accueil")


def test_a_setting_changed_looks_the_text_up_again(monkeypatch):
    template = Template('{% load i18n %}{% translate "Home" %}')
    with translation.override("en"):
        assert template.render(Context()) == "Home"
        # A render of the same kept texts (they are the node's) that looks them up elsewhere.
        looked_up = fixed_text.keeping(lambda node, context: "Looked up again", urls=False)
        monkeypatch.setattr(TranslateNode, "render", looked_up)
        kept = template.render(Context())
        with override_settings(LANGUAGE_CODE="en"):
            again = template.render(Context())

    assert (kept, again) == ("Home", "Looked up again")
