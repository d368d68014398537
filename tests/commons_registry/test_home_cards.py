"""Home's newest commons written in Python (commons_registry/templatetags/commons_home.py): the
HTML of the template loop they replaced, byte for byte, hostile texts escaped."""

import pytest
from django.template import Context, Template

from commons_registry.models import Category, Commons
from tests.byte_for_byte import rendered

# commons_registry/_home.html's loop before issue 24.
LOOP = Template(
    """{% for commons in newest_commons %}
        <li class="card">
          <h3 class="card-title"><a href="{{ commons.get_absolute_url }}">{{ commons.name }}</a></h3>
          <p class="muted">{{ commons.category.name }}</p>
          <p>{{ commons.summary }}</p>
        </li>
      {% endfor %}"""
)
TAG = Template("{% load commons_home %}{% commons_home_cards newest_commons %}")


def _newest():
    garden = Category(name="Jardins <& co>")
    return [
        Commons(slug=slug, name=name, summary=summary, category=garden)
        for slug, name, summary in [
            ("jardin-2", '<script>alert("x")</script>', "L'été & l'hiver"),
            ("Le_Fab-Lab", "Fab'lab", "<b>outils</b>"),
            # Not a slug Django's converter takes as it is: the model's own method says what.
            ("café", "Café", "Un tiers-lieu"),
        ]
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_cards_are_the_loops_html(language):
    context = {"newest_commons": _newest()[:2]}
    expected, found = rendered(LOOP, TAG, context, language)

    assert found == expected
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in found
    assert "<script>" not in found and "<b>" not in found


def test_a_slug_the_url_would_not_take_as_it_is_asks_the_model(monkeypatch):
    odd = _newest()[2]
    monkeypatch.setattr(Commons, "get_absolute_url", lambda self: f"/commons/?<{self.slug}>")

    assert 'href="/commons/?&lt;café&gt;"' in TAG.render(Context({"newest_commons": [odd]}))


# commons_registry/_home.html, the section around the cards, before it was written in Python.
SECTION = Template(
    """{% load i18n commons_home %}
<section aria-labelledby="home-commons-heading">
  <h2 id="home-commons-heading">{% translate "Newest commons" %}</h2>
  {% if newest_commons %}
    <ul class="card-list">
      {% commons_home_cards newest_commons %}
    </ul>
  {% else %}
    <p class="empty">{% translate "No commons is on the map yet." %}</p>
  {% endif %}
  <p><a href="{% url 'commons:map' %}">{% translate "See the map of the commons" %}</a> · <a href="{% url 'commons:directory' %}">{% translate "Browse the directory" %}</a></p>
</section>
"""
)
SECTION_TAG = Template("{% load commons_home %}{% commons_home_section newest_commons %}")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("newest", [lambda: _newest()[:2], list])
def test_the_section_is_the_templates_html(language, newest):
    context = {"newest_commons": newest()}
    expected, found = rendered(SECTION, SECTION_TAG, context, language)

    assert found == expected
    assert "/commons/map/" in found
