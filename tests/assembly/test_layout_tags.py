"""assembly/templatetags/layout.py: the language switcher's options, as the template gave them;
the layout's i18n context processor, as Django's gives it."""

import pytest
from django.template import TemplateSyntaxError, engines
from django.template import context_processors as django_processors
from django.utils import translation

from assembly import context_processors
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


@pytest.mark.parametrize("language", ["fr", "en", "ar", "he-il"])
def test_the_i18n_processor_gives_what_djangos_gives(language, rf):
    with translation.override(language):
        assert context_processors.i18n(rf.get("/")) == django_processors.i18n(rf.get("/"))


ARIA = engines["django"].from_string(
    '{% load layout %}<a{% aria_current here.namespace "commons" %}>'
    '<a{% aria_current here.url_name "people" "people-members" %}>'
)
IF = engines["django"].from_string(
    '<a{% if here.namespace == "commons" %} aria-current="page"{% endif %}>'
    '<a{% if here.url_name == "people" or here.url_name == "people-members" %} aria-current="page"'
    "{% endif %}>"
)


@pytest.mark.parametrize(
    "here",
    [
        {"namespace": "commons", "url_name": "directory"},
        {"namespace": "", "url_name": "people-members"},
        {"namespace": "decisions", "url_name": "people"},
        {"namespace": "common", "url_name": "peoples"},
        None,
    ],
)
def test_aria_current_marks_what_the_ifs_marked(here):
    context = {} if here is None else {"here": here}

    assert ARIA.render(context) == IF.render(context)


def test_aria_current_takes_quoted_names():
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load layout %}{% aria_current here.namespace commons %}")
