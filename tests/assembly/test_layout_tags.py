"""assembly/templatetags/layout.py: the language switcher's options, as the template gave them."""

from django.template import engines

from assembly.models import AssemblyConfiguration

TEMPLATE = engines["django"].from_string(
    "{% load layout %}{% language_options assembly LANGUAGE_CODE %}"
)


def _options(assembly, current):
    return TEMPLATE.render({"assembly": assembly, "LANGUAGE_CODE": current})


def test_every_offered_language_and_the_current_one_selected():
    both = AssemblyConfiguration(languages="fr,en")
    assert _options(both, "fr") == (
        '\n            <option value="fr" selected lang="fr">Français</option>\n          '
        '\n            <option value="en" lang="en">English</option>\n          '
    )
    assert '<option value="en" selected lang="en">English</option>' in _options(both, "en")


def test_the_current_language_is_listed_even_when_not_offered():
    french_only = AssemblyConfiguration(languages="fr")
    assert _options(french_only, "fr").count("<option") == 1
    english = _options(french_only, "en")
    assert english.count("<option") == 2 and 'value="en" selected' in english


def test_the_503_page_stand_in_offers_the_current_language_only():
    assert _options({"name": "Assemblée"}, "en") == (
        '\n            <option value="en" selected lang="en">English</option>\n          '
    )
