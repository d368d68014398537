"""Home's open decisions written in Python (decisions/templatetags/decisions_home.py): the HTML of
the template loop they replaced, byte for byte, in both languages, hostile titles escaped."""

import datetime

import pytest
from django.template import Context, Template

from decisions.models import Decision
from tests.byte_for_byte import rendered

# decisions/_home.html's loop before issue 24.
LOOP_SOURCE = """{% load i18n decisions %}{% for decision in open_decisions %}
        <li class="card">
          <h3 class="card-title"><a href="{{ decision.get_absolute_url }}">{{ decision.title }}</a></h3>
          <p>{% phase_badge decision %} <span class="muted">{{ decision.get_kind_display|capfirst }}</span></p>
          <p class="muted">{% if decision.phase == "voting" %}{% blocktranslate trimmed with closes=decision.vote_closes_at|date:"DATETIME_FORMAT" %}Vote open until {{ closes }}{% endblocktranslate %}{% elif decision.phase == "discussion" %}{% blocktranslate trimmed with ends=decision.discussion_ends_at|date:"DATETIME_FORMAT" %}Discussion open until {{ ends }}{% endblocktranslate %}{% else %}{% translate "Waiting for its proposal" %}{% endif %}</p>
        </li>
      {% endfor %}"""
TAG_SOURCE = "{% load decisions_home %}{% decision_home_cards open_decisions %}"
LOOP, TAG = Template(LOOP_SOURCE), Template(TAG_SOURCE)

AT = datetime.datetime(2026, 11, 19, 23, 30, tzinfo=datetime.UTC)


def _decisions():
    return [
        Decision(
            pk=pk,
            title=title,
            kind=kind,
            phase=phase,
            vote_closes_at=AT + datetime.timedelta(days=pk),
            discussion_ends_at=AT - datetime.timedelta(hours=pk),
        )
        for pk, title, kind, phase in [
            (7, '<script>alert("&")</script>', Decision.Kind.OTHER, "voting"),
            (12, "L'été des jardins", Decision.Kind.FINANCE, "discussion"),
            (3, "Pas encore", Decision.Kind.OTHER, "awaiting"),
            (41, "Encore un vote", Decision.Kind.OTHER, "voting"),
        ]
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_cards_are_the_loops_html(language):
    context = {"open_decisions": _decisions()}
    expected, found = rendered(LOOP, TAG, context, language)

    assert found == expected
    assert "&lt;script&gt;alert(&quot;&amp;&quot;)&lt;/script&gt;" in found
    assert "<script>" not in found


def test_no_decision_no_card():
    assert TAG.render(Context({"open_decisions": []})) == ""


def test_messages_are_inserted_as_the_loop_inserted_them(french_says):
    french_says("Waiting for its proposal", "En attente d'une <em>proposition</em> & co")
    french_says("Vote open until %(closes)s", "Vote <em>ouvert</em> jusqu'au %(closes)s")
    # Templates of their own: each {% translate %} node keeps its text (assembly/translate.py).
    loop, tag = Template(LOOP_SOURCE), Template(TAG_SOURCE)
    context = {"open_decisions": _decisions()}
    expected, found = rendered(loop, tag, context, "fr")

    assert found == expected
    assert "En attente d'une <em>proposition</em> & co" in found


# decisions/_home.html, the section around the cards, before it was written in Python.
SECTION = Template(
    """{% load i18n decisions_home %}{# Home page section: takes `open_decisions` (decisions.services.open_decisions()). #}
<section class="home-decisions" aria-labelledby="home-decisions-title">
  <h2 id="home-decisions-title">{% translate "Open decisions" %}</h2>
  {% if open_decisions %}
    <ul class="card-list">
      {% decision_home_cards open_decisions %}
    </ul>
  {% else %}
    <p class="empty">{% translate "No decision is being discussed or voted on right now." %}</p>
  {% endif %}
  <p><a href="{% url 'decisions:list' %}">{% translate "All decisions" %}</a></p>
</section>
"""
)
SECTION_TAG = Template("{% load decisions_home %}{% decisions_home_section open_decisions %}")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("decisions", [_decisions, list])
def test_the_section_is_the_templates_html(language, decisions):
    context = {"open_decisions": decisions()}
    expected, found = rendered(SECTION, SECTION_TAG, context, language)

    assert found == expected
    assert 'href="/decisions/"' in found


def test_the_sections_messages_are_inserted_as_the_template_inserted_them(french_says):
    french_says("All decisions", "Toutes les <em>décisions</em> & co")
    french_says("No decision is being discussed or voted on right now.", "Rien <b>ici</b>")
    section, tag = Template(SECTION.source), Template(SECTION_TAG.source)
    for decisions in ([], _decisions()):
        expected, found = rendered(section, tag, {"open_decisions": decisions}, "fr")

        assert found == expected
        assert "Toutes les <em>décisions</em> & co" in found
