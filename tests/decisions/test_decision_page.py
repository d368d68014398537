"""The repeated parts of a decision's page written in Python (decisions/templatetags/
decision_page.py): the bytes the templates they replaced wrote, in French and in English, what
people wrote escaped, our catalogue's words not."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from assembly.models import User
from commons_registry.models import Commons
from decisions.forms import BlankForm, VoteForm
from decisions.models import Comment, Decision, RollEntry, Vote
from decisions.permissions import VotingStatus

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
MOMENT = datetime.datetime(2026, 11, 19, 14, 30, tzinfo=datetime.UTC)

# The templates these tags replaced, as they were.
RESULTS_TEMPLATE = """\
{% load i18n %}{# Counts, turnout against the roll, and the objections with their reasons. #}
<dl class="decision-facts">
  <dt>{% translate "Electoral roll" %}</dt>
  <dd>{% blocktranslate trimmed count size=decision.roll_size %}{{ size }} person{% plural %}{{ size }} people{% endblocktranslate %}
    <br><span class="muted fingerprint">{% translate "SHA-256 fingerprint of the sorted roll:" %} <code>{{ decision.roll_fingerprint }}</code></span></dd>
  <dt>{% translate "Turnout" %}</dt>
  <dd>{% blocktranslate trimmed count votes=results.votes with roll=decision.roll_size turnout=results.turnout %}{{ votes }} vote out of {{ roll }} ({{ turnout }} %){% plural %}{{ votes }} votes out of {{ roll }} ({{ turnout }} %){% endblocktranslate %}</dd>
  <dt>{% translate "Votes" %}</dt>
  <dd>{% blocktranslate trimmed with consents=results.counts.consent abstentions=results.counts.abstain objections=results.counts.object %}{{ consents }} consent · {{ abstentions }} abstain · {{ objections }} object{% endblocktranslate %}</dd>
</dl>
{% if results.objections %}
  <h3>{% translate "Objections" %}</h3>
  <ul class="objections">
    {% for objection in results.objections %}
      <li><strong>{{ objection.roll_entry.person|default:_("a former member") }}</strong>
        <span class="muted">({{ objection.cast_at|date:"DATETIME_FORMAT" }})</span>
        <div class="prose">{{ objection.reason|markdown }}</div></li>
    {% endfor %}
  </ul>
{% endif %}
"""
COMMENTS_TEMPLATE = """\
{% load i18n %}{% for comment in comments %}
        <li class="comment{% if comment.hidden %} comment-hidden{% endif %}" id="comment-{{ comment.pk }}">
          <p class="muted"><strong>{{ comment.author|default:_("a former participant") }}</strong>, {{ comment.created_at|date:"DATETIME_FORMAT" }}{% if comment.edited_at %} · {% translate "edited" %}{% endif %}{% if comment.hidden %} · <span class="badge badge-warn">{% translate "hidden" %}</span>{% endif %}</p>
          <div class="prose">{{ comment.text|markdown }}</div>
          {% if comment.can_edit %}<a href="{% url 'decisions:comment-edit' comment.pk %}">{% translate "Edit" %}</a>{% endif %}
          {% if can_hide %}
            <form method="post" action="{% url 'decisions:comment-hide' comment.pk %}" class="inline-form">
              {% csrf_token %}<input type="hidden" name="hidden" value="{% if comment.hidden %}0{% else %}1{% endif %}">
              <button type="submit" class="link-button">{% if comment.hidden %}{% translate "Show again" %}{% else %}{% translate "Hide" %}{% endif %}</button>
            </form>
          {% endif %}
        </li>
      {% endfor %}"""
VERSIONS_TEMPLATE = """\
{% load i18n %}{% for version in versions %}
          <li><p class="muted">{% blocktranslate trimmed with number=version.number at=version.at|date:"DATETIME_FORMAT" %}Version {{ number }}, {{ at }}{% endblocktranslate %}</p>
            <div class="prose">{{ version.text|markdown }}</div></li>
        {% endfor %}"""


FACTS_TEMPLATE = """\
{% load i18n decisions %}<p>{% phase_badge decision %} <span class="muted">{{ decision.get_kind_display|capfirst }} ·
  {% blocktranslate trimmed with author=decision.author|default:_("a former participant") opened=decision.created_at|date:"DATETIME_FORMAT" %}opened by {{ author }} on {{ opened }}{% endblocktranslate %}</span></p>

<dl class="decision-facts">
  {% if decision.phase == "discussion" %}
    <dt>{% translate "Discussion" %}</dt>
    <dd>{% blocktranslate trimmed with ends=decision.discussion_ends_at|date:"DATETIME_FORMAT" days=decision.vote_days %}open until {{ ends }}; then a {{ days }}-day consent vote among the members{% endblocktranslate %}</dd>
  {% elif decision.phase == "awaiting" %}
    <dt>{% translate "Discussion" %}</dt>
    <dd>{% blocktranslate trimmed with ends=decision.discussion_ends_at|date:"DATETIME_FORMAT" days=decision.vote_days %}ended on {{ ends }} without a proposal: the {{ days }}-day vote opens as soon as the author publishes it{% endblocktranslate %}</dd>
  {% endif %}
  {% if decision.vote_opens_at %}
    <dt>{% translate "Vote" %}</dt>
    <dd>{% blocktranslate trimmed with opened=decision.vote_opens_at|date:"DATETIME_FORMAT" closes=decision.vote_closes_at|date:"DATETIME_FORMAT" %}from {{ opened }} to {{ closes }}{% endblocktranslate %}</dd>
  {% endif %}
  {% if decision.quorum_percent %}
    <dt>{% translate "Quorum" %}</dt>
    <dd>{% blocktranslate trimmed with quorum=decision.quorum_percent %}{{ quorum }} % of the roll must vote{% endblocktranslate %}</dd>
  {% endif %}
  {% if related_commons %}
    <dt>{% translate "Related commons" %}</dt>
    <dd>{% for commons in related_commons %}<a href="{% url 'commons:detail' slug=commons.slug %}">{{ commons.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</dd>
  {% endif %}
  {% if decision.previous_round %}
    <dt>{% translate "Previous round" %}</dt>
    <dd><a href="{{ decision.previous_round.get_absolute_url }}">{{ decision.previous_round.title }}</a></dd>
  {% endif %}
  {% if next_rounds %}
    <dt>{% translate "Next round" %}</dt>
    <dd>{% for next in next_rounds %}<a href="{{ next.get_absolute_url }}">{{ next.title }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</dd>
  {% endif %}
</dl>"""


OUTCOME_TEMPLATE = """\
{% load i18n %}<section class="outcome outcome-{{ decision.outcome }}" aria-labelledby="outcome-title">
  <h2 id="outcome-title">{% blocktranslate trimmed with outcome=decision.get_outcome_display %}Outcome: {{ outcome }}{% endblocktranslate %}</h2>
  {% if decision.closed_at %}<p class="muted">{% blocktranslate trimmed with closed=decision.closed_at|date:"DATETIME_FORMAT" %}on {{ closed }}{% endblocktranslate %}</p>{% endif %}
  {% if decision.outcome_statement %}<div class="prose">{{ decision.outcome_statement|markdown }}</div>{% endif %}
  {% if decision.review_on %}<p>{% blocktranslate trimmed with review=decision.review_on|date:"DATE_FORMAT" %}To be reviewed on {{ review }}.{% endblocktranslate %}</p>{% endif %}
  <p><a href="{% url 'decisions:minutes' decision.pk %}">{% translate "Minutes (printable)" %}</a></p>"""


def _both(old: str, new: str, context: dict, language: str) -> tuple[str, str]:
    engine = engines["django"]
    with translation.override(language):
        return (
            engine.from_string(old).render(context),
            engine.from_string("{% load decision_page %}" + new).render(context),
        )


def _objection(person, reason, hours=0):
    vote = Vote(choice=Vote.Choice.OBJECT, reason=reason)
    vote.cast_at = MOMENT + datetime.timedelta(hours=hours)
    vote.roll_entry = RollEntry(person=person)
    return vote


def _results(objections):
    return {
        "decision": Decision(pk=4, roll_size=1234, roll_fingerprint="ab<c>&"),
        "results": {
            "counts": {"consent": 1000, "abstain": 2, "object": len(objections)},
            "votes": 1002 + len(objections),
            "turnout": 81.3,
            "objections": objections,
        },
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_results_and_objections_as_the_template_wrote_them(language):
    objections = [
        _objection(User(pk=3, display_name=HOSTILE), "I *cannot* " + HOSTILE),
        _objection(None, "Gone", hours=30),
    ]

    old, new = _both(
        RESULTS_TEMPLATE, "{% vote_results decision results %}", _results(objections), language
    )

    assert new == old
    assert new.count(ESCAPED) == 1  # the name; the reason goes through Markdown's cleaner
    assert "<script>" not in new
    assert ("un·e ancien·ne membre" if language == "fr" else "a former member") in new


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("votes", "roll_size"), [(0, 1), (1, 1), (2, 3)])
def test_the_results_without_objections_in_the_singular_and_plural(language, votes, roll_size):
    context = {
        "decision": Decision(pk=4, roll_size=roll_size, roll_fingerprint="f" * 64),
        "results": {
            "counts": {"consent": votes, "abstain": 0, "object": 0},
            "votes": votes,
            "turnout": 100 * votes / roll_size,
            "objections": [],
        },
    }

    old, new = _both(RESULTS_TEMPLATE, "{% vote_results decision results %}", context, language)

    assert new == old


def _comment(pk, author, **fields):
    comment = Comment(pk=pk, author=author, created_at=MOMENT, **fields)
    comment.can_edit = fields.get("text") == "mine"
    return comment


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("can_hide", [False, True])
def test_the_comments_as_the_template_wrote_them(language, can_hide):
    comments = [
        _comment(1, User(pk=3, display_name=HOSTILE), text="**Yes** " + HOSTILE),
        _comment(12345, None, text="Hidden", hidden=True, edited_at=MOMENT),
        _comment(7, User(pk=4, display_name="Ann"), text="mine", edited_at=MOMENT),
    ]
    context = {"comments": comments, "can_hide": can_hide, "csrf_token": "TOKEN"}

    old, new = _both(
        COMMENTS_TEMPLATE, "{% decision_comments comments can_hide %}", context, language
    )

    assert new == old
    assert new.count(ESCAPED) == 1
    assert "<script>" not in new
    assert new.count('value="TOKEN"') == (3 if can_hide else 0)


def test_no_comment_writes_nothing():
    old, new = _both(
        COMMENTS_TEMPLATE, "{% decision_comments comments True %}", {"comments": []}, "fr"
    )

    assert new == old == ""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_proposals_versions_as_the_template_wrote_them(language):
    versions = [
        {"number": 1, "text": "First " + HOSTILE, "at": MOMENT},
        {"number": 2, "text": "*Second*", "at": MOMENT + datetime.timedelta(days=40)},
    ]

    old, new = _both(
        VERSIONS_TEMPLATE, "{% proposal_versions versions %}", {"versions": versions}, language
    )

    assert new == old
    assert "<script>" not in new


def _decision(phase, **fields):
    days = datetime.timedelta(days=1)
    return Decision(
        pk=5,
        phase=phase,
        kind=fields.pop("kind", "position"),
        title="Our <b>title</b>",
        vote_days=7,
        created_at=MOMENT - 10 * days,
        discussion_ends_at=MOMENT - 3 * days,
        **fields,
    )


FACTS = "{% decision_facts decision related_commons next_rounds %}"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "decision",
    [
        _decision("discussion", author=User(pk=3, display_name=HOSTILE)),
        _decision("awaiting", quorum_percent=25),
        _decision(
            "voting",
            kind="finance",
            author=User(pk=3, display_name="Ann"),
            vote_opens_at=MOMENT,
            vote_closes_at=MOMENT + datetime.timedelta(days=7),
        ),
        _decision(
            "closed",
            outcome="not_adopted",
            quorum_percent=10,
            vote_opens_at=MOMENT,
            vote_closes_at=MOMENT + datetime.timedelta(days=7, hours=3),
            previous_round=Decision(pk=2, title=HOSTILE),
        ),
    ],
    ids=["discussion", "awaiting", "voting", "closed"],
)
def test_the_facts_as_the_template_wrote_them(language, decision):
    context = {"decision": decision, "related_commons": [], "next_rounds": []}

    old, new = _both(FACTS_TEMPLATE, FACTS, context, language)

    assert new == old
    assert "<b>" not in new and "<script>" not in new


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_related_commons_and_rounds_as_the_template_wrote_them(language):
    context = {
        "decision": _decision(
            "withdrawn", outcome="withdrawn", previous_round=Decision(pk=2, title="Before")
        ),
        "related_commons": [
            Commons(name=HOSTILE, slug="jardin"),
            Commons(name="Atelier", slug="atelier"),
        ],
        "next_rounds": [Decision(pk=8, title="After & <i>then</i>"), Decision(pk=9, title="Last")],
    }

    old, new = _both(FACTS_TEMPLATE, FACTS, context, language)

    assert new == old
    assert new.count(ESCAPED) == 1


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "decision",
    [
        _decision("closed", outcome="adopted", closed_at=MOMENT),
        _decision(
            "closed",
            outcome="not_adopted",
            closed_at=MOMENT,
            outcome_statement="We *wait*. " + HOSTILE,
            review_on=datetime.date(2027, 5, 1),
        ),
        _decision("withdrawn", outcome="withdrawn", closed_at=None),
    ],
    ids=["adopted", "not-adopted-with-statement", "withdrawn"],
)
def test_the_outcome_as_the_template_wrote_it(language, decision):
    old, new = _both(
        OUTCOME_TEMPLATE, "{% decision_outcome decision %}", {"decision": decision}, language
    )

    assert new == old
    assert "<script>" not in new


VOTE_TEMPLATE = """\
{% load i18n decision_page %}<section aria-labelledby="vote-title" id="vote">
  <h2 id="vote-title">{% translate "Consent vote" %}</h2>
  <p class="voting-status">{{ status.reason }}{% if status.needs_sign_in %} <a href="{% url 'account_login' %}?next={{ request.path|urlencode }}">{% translate "Sign in" %}</a>{% endif %}</p>
  {% if my_vote %}
    <p class="my-vote">{% blocktranslate trimmed with choice=my_vote.get_choice_display at=my_vote.cast_at|date:"DATETIME_FORMAT" %}Your vote: <strong>{{ choice }}</strong> (since {{ at }}).{% endblocktranslate %}</p>
  {% endif %}
  {% if vote_form %}
    <form method="post" action="{% url 'decisions:vote' decision.pk %}" class="stacked-form vote-form" novalidate>
      {% csrf_token %}
      {% if vote_form.errors %}<p class="errorlist" role="alert">{% translate "Your vote is not recorded yet: please correct the form below." %}</p>{% endif %}
      {{ vote_form.as_div }}
      <button type="submit">{% if my_vote %}{% translate "Change my vote" %}{% else %}{% translate "Send my vote" %}{% endif %}</button>
    </form>
  {% endif %}
  {% if results %}
    <p class="results-caption"><strong>{% if decision.phase == "closed" %}{% translate "Results" %}{% else %}{% translate "Results so far" %}{% endif %}</strong></p>
    {% vote_results decision results %}
  {% endif %}
</section>"""


def _vote_context(phase, *, signed_in, my_vote, form):
    vote = None
    if my_vote:
        vote = Vote(choice=Vote.Choice.ABSTAIN, reason=HOSTILE)
        vote.cast_at = MOMENT
    vote_form = {
        "blank": lambda: BlankForm(VoteForm),
        "errors": lambda: VoteForm({"choice": "object"}),
        "none": lambda: None,
    }[form]()
    results = _results([_objection(None, "Gone")])
    return {
        **results,
        "decision": Decision(pk=4, phase=phase, roll_size=3, roll_fingerprint="f" * 64),
        "request": RequestFactory().get("/decisions/4/?a=<b>&c"),
        "status": VotingStatus(bool(form != "none"), "Until " + HOSTILE, not signed_in),
        "my_vote": vote,
        "vote_form": vote_form,
        "results": results["results"] if phase != "discussion" else None,
        "csrf_token": "TOKEN",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("phase", "signed_in", "my_vote", "form"),
    [
        ("discussion", False, False, "none"),
        ("voting", False, False, "none"),
        ("voting", True, False, "blank"),
        ("voting", True, True, "errors"),
        ("closed", True, True, "none"),
    ],
)
def test_the_vote_section_as_the_template_wrote_it(language, phase, signed_in, my_vote, form):
    context = _vote_context(phase, signed_in=signed_in, my_vote=my_vote, form=form)

    old, new = _both(VOTE_TEMPLATE, "{% decision_vote %}", context, language)

    assert new == old
    assert "<script>" not in new
