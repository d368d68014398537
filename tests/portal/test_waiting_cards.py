"""What waits for a person written in Python (portal/templatetags/waiting_cards.py): the HTML of
the template loops they replaced, byte for byte, in both languages, hostile titles escaped."""

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from decisions.models import Decision
from portal.waiting import Waiting
from tests.byte_for_byte import rendered
from workshops.models import Meeting, Workshop

# assembly/_waiting.html's loops before issue 24.
LOOPS = Template(
    """{% load i18n decisions %}{% for decision in waiting.votes %}
      <li class="card waiting-vote">
        <a href="{{ decision.get_absolute_url }}#vote">{% blocktranslate trimmed with title=decision.title %}Vote on “{{ title }}”{% endblocktranslate %}</a>
        <span class="muted">{% blocktranslate trimmed with closes=decision.vote_closes_at|date:"DATETIME_FORMAT" %}The vote closes on {{ closes }}.{% endblocktranslate %}</span>
      </li>
    {% endfor %}
    {% for decision in waiting.discussions %}
      <li class="card waiting-discussion">
        <a href="{{ decision.get_absolute_url }}#discussion">{% blocktranslate trimmed with title=decision.title %}See what is new in “{{ title }}”{% endblocktranslate %}</a>
        {% phase_badge decision %}
        {% if decision.new_comments %}<span class="muted">{% blocktranslate trimmed count counter=decision.new_comments %}{{ counter }} new comment{% plural %}{{ counter }} new comments{% endblocktranslate %}</span>{% endif %}
      </li>
    {% endfor %}
    {% for workshop in waiting.notes %}
      <li class="card waiting-notes">
        <a href="{{ workshop.get_absolute_url }}#id_notes">{% blocktranslate trimmed with title=workshop.title %}Write the notes of “{{ title }}”{% endblocktranslate %}</a>
        <span class="muted">{{ workshop.meeting.title }}, {{ workshop.meeting.starts_at|date:"j F Y" }}</span>
      </li>
    {% endfor %}"""
)
TAG = Template("{% load waiting_cards %}{% waiting_cards waiting %}")

AT = datetime.datetime(2026, 11, 19, 23, 30, tzinfo=datetime.UTC)
HOSTILE = '<script>alert("&")</script>'


def _discussion(pk, title, phase, new_comments):
    decision = Decision(pk=pk, title=title, phase=phase)
    decision.new_comments = new_comments
    return decision


def _waiting(empty=()):
    meeting = Meeting(pk=3, title="Assemblée <de> l'hiver", starts_at=AT)
    lists = {
        "votes": [
            Decision(pk=7, title=HOSTILE, phase="voting", vote_closes_at=AT),
            Decision(
                pk=8, title="L'été", phase="voting", vote_closes_at=AT + datetime.timedelta(1)
            ),
        ],
        "discussions": [
            _discussion(9, HOSTILE, "discussion", 0),
            _discussion(10, "Un", "discussion", 1),
            _discussion(11, "Beaucoup", "closed", 1234),
        ],
        "notes": [Workshop(pk=12, title=HOSTILE, meeting=meeting)],
    }
    return Waiting(**{name: [] if name in empty else rows for name, rows in lists.items()})


@pytest.mark.parametrize("empty", [(), ("votes",), ("discussions", "notes"), ("votes", "notes")])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_cards_are_the_loops_html(language, empty):
    context = {"waiting": _waiting(empty)}
    expected, found = rendered(LOOPS, TAG, context, language)

    assert found == expected
    assert "<script>" not in found
    assert "&lt;de&gt;" in found or "notes" in empty


# assembly/_waiting.html before its section was written in Python.
SECTION = Template(
    """{% load i18n waiting_cards %}{# "Waiting for you" on home and /me/: takes `waiting` (portal.waiting.Waiting or None) and `show_empty`. #}
{% if waiting %}
<section class="waiting" aria-labelledby="waiting-title">
  <h2 id="waiting-title">{% translate "Waiting for you" %}</h2>
  <ul class="card-list">
    {% waiting_cards waiting %}
  </ul>
</section>
{% elif show_empty %}
<section class="waiting" aria-labelledby="waiting-title">
  <h2 id="waiting-title">{% translate "Waiting for you" %}</h2>
  <p class="empty">{% translate "Nothing is waiting for you." %}</p>
</section>
{% endif %}
"""
)


@pytest.mark.parametrize(
    "waiting", [_waiting, lambda: _waiting(("votes", "discussions", "notes")), lambda: None]
)
@pytest.mark.parametrize("show_empty", [True, False])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_section_is_the_templates_html(language, show_empty, waiting):
    """Written by the tag (home) or through the template that now calls it (/me/)."""
    context = {"waiting": waiting(), "show_empty": show_empty}
    with translation.override(language):
        expected = SECTION.render(Context(context))
        by_the_tag = Template(
            "{% load waiting_cards %}{% waiting_section waiting show_empty %}"
        ).render(Context(context))
        included = render_to_string("assembly/_waiting.html", context)

    assert by_the_tag == expected
    assert included == expected


def test_the_sections_messages_are_inserted_as_their_tags_inserted_them(french_says):
    french_says("Waiting for you", "<em>Pour</em> vous & d'autres")
    french_says("Nothing is waiting for you.", "<b>Rien</b> n'attend.")
    context = {"waiting": None, "show_empty": True}
    expected, found = rendered(
        SECTION.source,
        "{% load waiting_cards %}{% waiting_section waiting show_empty %}",
        context,
        "fr",
    )

    assert found == expected
    assert "<em>Pour</em> vous & d'autres" in found and "<b>Rien</b> n'attend." in found
