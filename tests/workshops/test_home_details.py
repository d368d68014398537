"""The next meeting's details on home written in Python (workshops_home.next_meeting_details):
the HTML of workshops/_home.html's `{% with %}` it replaced, byte for byte, in both languages,
with and without a venue, its address and access, cancelled or not, with and without a board,
hostile text escaped."""

import datetime

import pytest
from django.utils import timezone

from tests.byte_for_byte import rendered
from workshops.models import Meeting, Venue, Workshop

# workshops/_home.html's details before issue 24.
WITH_SOURCE = """{% load i18n workshops_home %}{% with url=next_meeting.get_absolute_url iso=next_meeting.starts_at|date:'c' day=next_meeting.starts_at|date:"l j F Y" time=next_meeting.starts_at|date:"H:i" %}
    <p><a href="{{ url }}"><strong>{{ next_meeting.title }}</strong></a>,
      <time datetime="{{ iso }}">{{ day }}, {{ time }}</time>{% if next_meeting.venue %}, {{ next_meeting.venue.name }}{% endif %}</p>
    {% if next_meeting.is_cancelled %}<p><span class="badge badge-warn">{% translate "Cancelled" %}</span> {{ next_meeting.cancellation_reason }}</p>{% endif %}
    {% if next_meeting.board %}
      <ul>
        {% board_rows next_meeting.board %}
      </ul>
    {% else %}
      <p class="empty">{% translate "No workshop yet." %}</p>
    {% endif %}
    <p><a href="{{ url }}">{% translate "See the board and propose a workshop" %}</a></p>
    <section class="next-in-brief" aria-labelledby="next-in-brief-title">
      <h3 id="next-in-brief-title">{% translate "The next assembly in brief" %}</h3>
      <ul>
        <li>{% translate "When:" %} <time datetime="{{ iso }}">{{ day }}, {{ time }}–{{ next_meeting.ends_at|date:"H:i" }}</time></li>
        {% if next_meeting.venue %}<li>{% translate "Where:" %} {{ next_meeting.venue.name }}{% if next_meeting.venue.address %}, {{ next_meeting.venue.address }}{% endif %}</li>
        {% if next_meeting.venue.accessibility %}<li>{% translate "Access:" %} {{ next_meeting.venue.accessibility }}</li>{% endif %}{% endif %}
        <li>{% blocktranslate trimmed count counter=next_meeting.board|length %}{{ counter }} workshop proposed so far{% plural %}{{ counter }} workshops proposed so far{% endblocktranslate %}{% initiation_notes next_meeting.board %}</li>
        <li><a href="{% url 'workshops:propose' %}?meeting={{ next_meeting.pk }}">{% translate "Propose a workshop" %}</a> · <a href="{% url 'meetings:ics' next_meeting.pk %}">{% translate "Add to my calendar (.ics)" %}</a> · <a href="{% url 'subscribe' %}">{% translate "Get the announcement by e-mail" %}</a></li>
      </ul>
    </section>
  {% endwith %}"""
TAG_SOURCE = "{% load workshops_home %}{% next_meeting_details next_meeting %}"
HOSTILE = '<img src=x onerror="alert(1)">&'


def _meeting(*, venue, address, accessibility, cancelled, board):
    starts = timezone.make_aware(datetime.datetime(2026, 3, 7, 9, 5), datetime.UTC)
    meeting = Meeting(
        pk=1234,
        title=f"L'assemblée {HOSTILE}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3, minutes=30),
        status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.PLANNED,
        cancellation_reason=f"Pluie {HOSTILE}",
    )
    if venue:
        meeting.venue = Venue(
            pk=3,
            name=f"Salle {HOSTILE}",
            address=f"1 rue d'Été {HOSTILE}" if address else "",
            accessibility=f"Rampe {HOSTILE}" if accessibility else "",
        )
    else:
        meeting.venue = None
    meeting.board = []
    for pk, signups, initiation in [(4, 1234, True), (9, 1, False)][:board]:
        workshop = Workshop(pk=pk, title=f"Atelier {HOSTILE}", is_initiation=initiation)
        workshop.signup_count = signups
        meeting.board.append(workshop)
    return meeting


CASES = [
    {"venue": True, "address": True, "accessibility": True, "cancelled": False, "board": 2},
    {"venue": True, "address": False, "accessibility": False, "cancelled": True, "board": 1},
    {"venue": True, "address": True, "accessibility": False, "cancelled": False, "board": 0},
    {"venue": False, "address": False, "accessibility": False, "cancelled": False, "board": 2},
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_details_are_the_templates_html(language, case):
    context = {"next_meeting": _meeting(**case)}
    expected, found = rendered(WITH_SOURCE, TAG_SOURCE, context, language)

    assert found == expected
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in found
    assert "<img" not in found


def test_messages_are_inserted_as_their_tags_inserted_them(french_says):
    french_says("When:", "<em>Quand</em> & où :")
    french_says("Where:", "<b>Où</b> d'abord :")
    case = CASES[0]
    context = {"next_meeting": _meeting(**case)}
    expected, found = rendered(WITH_SOURCE, TAG_SOURCE, context, "fr")

    assert found == expected
    assert "<em>Quand</em> & où :" in found
    assert "<b>Où</b> d'abord :" in found


# workshops/_home.html, the section around the details, before it was written in Python.
SECTION_SOURCE = """{% load i18n workshops_home %}<section class="home-next-meeting" aria-labelledby="next-meeting-title">
  <h2 id="next-meeting-title">{% translate "Next assembly" %}</h2>
  {% if next_meeting %}{% next_meeting_details next_meeting %}{% else %}
    <p class="empty">{% translate "No meeting is planned yet." %}</p>
  {% endif %}
</section>
"""
SECTION_TAG_SOURCE = "{% load workshops_home %}{% next_meeting_section next_meeting %}"


@pytest.mark.parametrize("meeting", [lambda: _meeting(**CASES[0]), lambda: None])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_section_is_the_templates_html(language, meeting):
    context = {"next_meeting": meeting()}
    expected, found = rendered(SECTION_SOURCE, SECTION_TAG_SOURCE, context, language)

    assert found == expected
    assert 'class="home-next-meeting"' in found


def test_the_sections_messages_are_inserted_as_their_tags_inserted_them(french_says):
    french_says("Next assembly", "<em>Prochaine</em> & assemblée")
    french_says("No meeting is planned yet.", "<b>Rien</b> n'est prévu.")
    expected, found = rendered(SECTION_SOURCE, SECTION_TAG_SOURCE, {"next_meeting": None}, "fr")

    assert found == expected
    assert "<em>Prochaine</em> & assemblée" in found and "<b>Rien</b> n'est prévu." in found
