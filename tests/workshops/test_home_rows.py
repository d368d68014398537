"""The next meeting's board on home written in Python (workshops/templatetags/workshops_home.py):
the HTML of the template loops they replaced, byte for byte, in both languages, hostile titles
escaped."""

import pytest
from django.template import Context, Template
from django.utils import translation

from workshops.models import Workshop

# workshops/_home.html's loops before issue 24.
LOOPS_SOURCE = """{% load i18n %}{% for workshop in board %}
          <li><a href="{{ workshop.get_absolute_url }}">{{ workshop.title }}</a> <span class="muted">{% blocktranslate trimmed count counter=workshop.signup_count %}{{ counter }} person in{% plural %}{{ counter }} people in{% endblocktranslate %}</span></li>
        {% endfor %}|{% for workshop in board %}{% if workshop.is_initiation %}, {% translate "including an initiation to the commons for newcomers" %}{% endif %}{% endfor %}"""
TAGS_SOURCE = "{% load workshops_home %}{% board_rows board %}|{% initiation_notes board %}"
LOOPS, TAGS = Template(LOOPS_SOURCE), Template(TAGS_SOURCE)


def _board(initiations):
    rows = [
        (4, '<img src=x onerror="alert(1)">&', 1234, True),
        (9, "L'atelier d'été", 1, False),
        (2, "Personne", 0, False),
        (5, "Deux", 2, True),
    ]
    board = []
    for pk, title, signups, initiation in rows:
        workshop = Workshop(pk=pk, title=title, is_initiation=initiation and initiations)
        workshop.signup_count = signups
        board.append(workshop)
    return board


@pytest.mark.parametrize("initiations", [True, False])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_rows_are_the_loops_html(language, initiations):
    context = {"board": _board(initiations)}
    with translation.override(language):
        expected = LOOPS.render(Context(context))
        found = TAGS.render(Context(context))

    assert found == expected
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in found
    assert "<img" not in found


def test_an_empty_board_has_no_row():
    assert TAGS.render(Context({"board": []})) == "|"


def test_messages_are_inserted_as_the_loops_inserted_them(french_says):
    french_says(
        "including an initiation to the commons for newcomers", "dont l'initiation <em>&</em>"
    )
    # Templates of their own: each {% translate %} node keeps its text (assembly/translate.py).
    loops, tags = Template(LOOPS_SOURCE), Template(TAGS_SOURCE)
    context = {"board": _board(initiations=True)}
    with translation.override("fr"):
        expected = loops.render(Context(context))
        found = tags.render(Context(context))

    assert found == expected
    assert ", dont l'initiation <em>&</em>" in found
