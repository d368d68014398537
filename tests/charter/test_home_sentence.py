"""The charter's sentence on home written in Python (charter/templatetags/charter_home.py): the
HTML of the `{% blocktranslate %}` it replaced, byte for byte, in both languages, a hostile title
escaped."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.charter.factories import add_version, default_charter

pytestmark = pytest.mark.django_db

# charter/_home.html's sentence before issue 24.
BLOCK_SOURCE = """{% load i18n %}{% blocktranslate trimmed with title=charter_version.charter.title url=charter_version.charter.get_absolute_url number=charter_version.number date=charter_version.created_at|date:"DATE_FORMAT" %}
        The <a href="{{ url }}">{{ title }}</a> describes how the assembly works. Version {{ number }} has been in force since {{ date }}; it changes only by a consent vote of the members.
      {% endblocktranslate %}"""
TAG_SOURCE = "{% load charter_home %}{% charter_in_force charter_version %}"


def _version(title):
    version = add_version(default_charter(), text="# Charte")
    version.charter.title = title
    return version


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("title", ['<img src=x onerror="alert(1)">&', "La charte d'été"])
def test_the_sentence_is_the_blocktranslate_html(language, title):
    context = {"charter_version": _version(title)}
    with translation.override(language):
        expected = Template(BLOCK_SOURCE).render(Context(context))
        found = Template(TAG_SOURCE).render(Context(context))

    assert found == expected
    assert "<img" not in found


def test_the_message_is_inserted_as_the_blocktranslate_inserted_it(french_says):
    french_says(
        'The <a href="%(url)s">%(title)s</a> describes how the assembly works. Version '
        "%(number)s has been in force since %(date)s; it changes only by a consent vote of the "
        "members.",
        "L'<em>%(title)s</em> (%(url)s) n° %(number)s, du %(date)s & après",
    )
    context = {"charter_version": _version("Charte <b>")}
    with translation.override("fr"):
        expected = Template(BLOCK_SOURCE).render(Context(context))
        found = Template(TAG_SOURCE).render(Context(context))

    assert found == expected
    assert found.startswith("L'<em>Charte &lt;b&gt;</em> (")
