"""The charter's sentence on home written in Python (charter/templatetags/charter_home.py): the
HTML of the `{% blocktranslate %}` it replaced, byte for byte, in both languages, a hostile title
escaped."""

import pytest

from tests.byte_for_byte import rendered
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
    expected, found = rendered(BLOCK_SOURCE, TAG_SOURCE, context, language)

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
    expected, found = rendered(BLOCK_SOURCE, TAG_SOURCE, context, "fr")

    assert found == expected
    assert found.startswith("L'<em>Charte &lt;b&gt;</em> (")


# charter/_home.html, the section around the sentence, before it was written in Python.
SECTION_SOURCE = """{% load i18n charter_home %}{# Home page section: takes `charter_version` (charter.services.current_version()). #}
<section class="home-charter" aria-labelledby="home-charter-title">
  <h2 id="home-charter-title">{% translate "How we work" %}</h2>
  {% if charter_version %}
    <p>
      {% charter_in_force charter_version %}
    </p>
  {% else %}
    <p class="empty">{% translate "The charter has not been published here yet." %}</p>
  {% endif %}
</section>
"""
SECTION_TAG_SOURCE = "{% load charter_home %}{% charter_home_section charter_version %}"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("published", [True, False])
def test_the_section_is_the_templates_html(language, published):
    context = {"charter_version": _version("La charte d'été") if published else None}
    expected, found = rendered(SECTION_SOURCE, SECTION_TAG_SOURCE, context, language)

    assert found == expected
    assert 'class="home-charter"' in found


def test_the_sections_messages_are_inserted_as_their_tags_inserted_them(french_says):
    french_says("How we work", "<em>Comment</em> & pourquoi")
    french_says("The charter has not been published here yet.", "<b>Pas</b> encore.")
    expected, found = rendered(SECTION_SOURCE, SECTION_TAG_SOURCE, {"charter_version": None}, "fr")

    assert found == expected
    assert "<em>Comment</em> & pourquoi" in found and "<b>Pas</b> encore." in found
