"""The decision log's rows written in Python (decisions/log_rows.py): byte for byte what the
template loop it replaced wrote, in every phase, in French and in English, with hostile titles
and names escaped as they were."""

import datetime

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from assembly.models import User
from decisions import log_rows
from decisions.models import Decision

# The loop of templates/decisions/decision_list.html before its rows were written in Python.
TEMPLATE_LOOP = Template(
    "{% load i18n decisions %}"
    "{% for decision in decisions %}\n"
    "    <tr>\n"
    '      <th scope="row"><a href="{{ decision.get_absolute_url }}">{{ decision.title }}</a>\n'
    '        <br><span class="muted">{% blocktranslate trimmed with'
    ' author=decision.author|default:_("a former participant") %}by {{ author }}'
    "{% endblocktranslate %}</span></th>\n"
    "      <td>{{ decision.get_kind_display|capfirst }}</td>\n"
    "      <td>{% phase_badge decision %}</td>\n"
    '      <td>{% if decision.phase == "closed" %}{% blocktranslate trimmed with'
    ' opened=decision.vote_opens_at|date:"SHORT_DATE_FORMAT"'
    ' closed=decision.closed_at|date:"SHORT_DATE_FORMAT" %}vote {{ opened }} – {{ closed }}'
    "{% endblocktranslate %}\n"
    '        {% elif decision.phase == "voting" %}{% blocktranslate trimmed with'
    ' closes=decision.vote_closes_at|date:"SHORT_DATETIME_FORMAT" %}vote until {{ closes }}'
    "{% endblocktranslate %}\n"
    '        {% elif decision.phase == "discussion" %}{% blocktranslate trimmed with'
    ' ends=decision.discussion_ends_at|date:"SHORT_DATETIME_FORMAT" %}discussion until'
    " {{ ends }}{% endblocktranslate %}\n"
    "        {% else %}{% blocktranslate trimmed with"
    ' opened=decision.created_at|date:"SHORT_DATE_FORMAT" %}opened {{ opened }}'
    "{% endblocktranslate %}{% endif %}</td>\n"
    '      <td>{{ decision.roll_size|default_if_none:"—" }}</td>\n'
    '      <td>{% if decision.phase == "closed" %}{{ decision.turnout_percent }} %'
    '{% elif decision.phase == "voting" %}{{ decision.live_votes }} / {{ decision.roll_size }}'
    "{% else %}—{% endif %}</td>\n"
    '      <td>{% if decision.phase == "closed" %}{{ decision.consent_count }} /'
    " {{ decision.abstain_count }} / {{ decision.objection_count }}{% else %}—{% endif %}</td>\n"
    "    </tr>\n"
    "  {% endfor %}"
)

HOSTILE = "<script>alert('x')</script> & \"co\" 100%"
AT = datetime.datetime(2026, 11, 19, 14, 30, tzinfo=datetime.UTC)


def _decision(pk, phase, *, outcome="", author=True, **fields):
    fields = {
        "kind": Decision.Kind.FINANCE,
        "created_at": AT - datetime.timedelta(days=20),
        "discussion_ends_at": AT - datetime.timedelta(days=10, hours=3),
        **fields,
    }
    decision = Decision(pk=pk, title=f"{HOSTILE} #{pk}", phase=phase, outcome=outcome, **fields)
    decision.author = User(pk=pk, display_name=HOSTILE) if author else None
    decision.live_votes = 3
    return decision


def _decisions():
    opened, closed = AT - datetime.timedelta(days=9), AT - datetime.timedelta(days=2)
    counts = {"roll_size": 7, "consent_count": 4, "abstain_count": 1, "objection_count": 1}
    return [
        _decision(1, "discussion", kind=Decision.Kind.PUBLIC_POSITION),
        _decision(2, "discussion", author=False, discussion_ends_at=AT.replace(hour=23)),
        _decision(3, "awaiting", kind=Decision.Kind.CHARTER_CHANGE),
        _decision(4, "voting", vote_opens_at=opened, vote_closes_at=AT, roll_size=1200),
        # Noon and midnight, in Paris: English says them in words.
        _decision(5, "voting", vote_opens_at=opened, vote_closes_at=AT.replace(hour=11, minute=0)),
        _decision(6, "voting", vote_opens_at=opened, vote_closes_at=AT.replace(hour=23, minute=0)),
        _decision(7, "closed", outcome="adopted", vote_opens_at=opened, closed_at=closed, **counts),
        _decision(8, "closed", outcome="not_adopted", vote_opens_at=opened, closed_at=closed,
                  kind=Decision.Kind.OTHER, roll_size=3, consent_count=0, abstain_count=0,
                  objection_count=1),
        # Withdrawn during its vote: closed, not counted.
        _decision(9, "closed", outcome="withdrawn", closed_at=closed, author=False),
        _decision(10, "withdrawn", kind="unknown"),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_rows_are_what_the_template_wrote(language):
    decisions = _decisions()
    with translation.override(language), timezone.override("Europe/Paris"):
        expected = TEMPLATE_LOOP.render(Context({"decisions": decisions}))
        assert log_rows.render(decisions) == expected
        # And again, from what the first rendering kept for the language.
        assert log_rows.render(decisions) == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_titles_and_names_are_escaped(language):
    with translation.override(language):
        html = log_rows.render(_decisions()[:1])

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;co&quot; 100%" in html
    assert ("par " if language == "fr" else "by ") + "&lt;script&gt;" in html


def test_the_rows_follow_the_time_zone_of_the_request():
    decisions = _decisions()[:1]
    with translation.override("fr"), timezone.override("America/Montreal"):
        expected = TEMPLATE_LOOP.render(Context({"decisions": decisions}))
        assert log_rows.render(decisions) == expected
        assert "jusqu’au 09/11/2026 06:30" in expected


def test_a_changed_setting_forgets_what_was_looked_up():
    with translation.override("fr"):
        log_rows.render(_decisions()[:1])
    assert "fr" in log_rows._by_language

    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert log_rows._by_language == {}
