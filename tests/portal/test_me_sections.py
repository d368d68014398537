"""/me/'s membership section and profile form written in Python (portal/templatetags/
me_sections.py): byte for byte what templates/assembly/me.html wrote, in every state of the
membership, in French and in English, hostile titles, names and bios escaped as they were."""

import datetime

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from assembly.forms import ProfileForm
from assembly.models import User
from portal.templatetags import me_sections
from workshops.membership import Rule, Standing
from workshops.models import Meeting

# templates/assembly/me.html's membership section before it was written in Python.
MEMBERSHIP_TEMPLATE = Template(
    "{% load i18n %}"
    + '{% with rule=standing.rule until=standing.eligible_until|date:"j F Y" %}\n  {% if standing.is_member %}\n    <p class="lead" id="membership-status">{% blocktranslate trimmed %}You are a member until {{ until }}.{% endblocktranslate %}</p>\n    <p>{% blocktranslate trimmed %}Attend a session on or before {{ until }} to keep your membership.{% endblocktranslate %}</p>\n  {% elif standing.can_declare %}\n    <p class="lead" id="membership-status">{% translate "You can declare yourself a member." %}</p>\n    {% url \'charter:current\' as charter_url %}\n    <p>{% blocktranslate trimmed %}Members take the assembly\'s formal decisions by consent. Before declaring yourself a member, please read <a href="{{ charter_url }}">the charter</a>.{% endblocktranslate %}</p>\n    <form method="post" action="{% url \'me-declare\' %}" class="inline-form">\n      {% csrf_token %}\n      <button type="submit">{% translate "Declare myself a member" %}</button>\n    </form>\n  {% else %}\n    <p class="lead" id="membership-status">{% blocktranslate trimmed count counter=standing.sessions_needed %}{{ counter }} more session needed{% plural %}{{ counter }} more sessions needed{% endblocktranslate %}</p>\n    <p>{% blocktranslate trimmed count counter=rule.min_sessions with days=rule.window_days %}Anyone who took part in {{ counter }} session (an assembly or one of its workshops) in the last {{ days }} days may declare themselves a member.{% plural %}Anyone who took part in {{ counter }} sessions (assemblies or their workshops) in the last {{ days }} days may declare themselves a member.{% endblocktranslate %}</p>\n  {% endif %}\n  {% endwith %}\n  <h3>{% blocktranslate trimmed with days=standing.rule.window_days %}My sessions in the last {{ days }} days{% endblocktranslate %}</h3>\n  {% if standing.sessions %}\n    <table>\n      <thead><tr><th scope="col">{% translate "Date" %}</th><th scope="col">{% translate "Meeting" %}</th></tr></thead>\n      <tbody>\n        {% for meeting in standing.sessions %}\n          <tr><td>{{ meeting.starts_at|date:"j F Y" }}</td><td><a href="{% url \'meetings:detail\' pk=meeting.pk %}">{{ meeting.title }}</a></td></tr>\n        {% endfor %}\n      </tbody>\n    </table>\n  {% else %}\n    <p class="empty">{% translate "No session recorded yet. A facilitator ticks your name at the door of each meeting." %}</p>\n  {% endif %}'
)
MEMBERSHIP_TAG = Template("{% load me_sections %}{% membership_standing standing %}")
PROFILE_TAG = Template("{% load me_sections %}{% profile_form form user %}")

AT = datetime.datetime(2026, 11, 19, 23, 30, tzinfo=datetime.UTC)
HOSTILE = '<script>alert("&")</script> l\'été 100%'


def _sessions(count):
    return [
        Meeting(pk=40 + n, title=f"{HOSTILE} #{n}", starts_at=AT - datetime.timedelta(days=30 * n))
        for n in range(count)
    ]


STANDINGS = {
    "member": {
        "sessions": 2,
        "is_member": True,
        "is_eligible": True,
        "until": datetime.date(2027, 10, 29),
    },
    "member-one-session": {
        "sessions": 1,
        "is_member": True,
        "is_eligible": True,
        "min_sessions": 1,
    },
    "may-declare": {"sessions": 2, "is_member": False, "is_eligible": True},
    "may-declare-not-yet-stored": {"sessions": 3, "is_member": False, "is_eligible": False},
    "one-more": {"sessions": 1, "is_member": False, "is_eligible": False},
    "two-more": {"sessions": 0, "is_member": False, "is_eligible": False},
    "one-needed-at-all": {
        "sessions": 0,
        "is_member": False,
        "is_eligible": False,
        "min_sessions": 1,
    },
    "thousands": {
        "sessions": 0,
        "is_member": False,
        "is_eligible": False,
        "min_sessions": 1200,
        "window_days": 3650,
    },
}


def _standing(sessions, is_member, is_eligible, until=None, min_sessions=2, window_days=365):
    return Standing(
        rule=Rule(min_sessions=min_sessions, window_days=window_days),
        sessions=_sessions(sessions),
        window_start=datetime.date(2025, 11, 19),
        eligible_until=until or datetime.date(2027, 1, 31),
        is_member=is_member,
        is_eligible=is_eligible,
    )


@pytest.mark.parametrize("thousands", [False, True])
@pytest.mark.parametrize("state", STANDINGS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_membership_section_is_the_templates_html(language, state, thousands):
    context = {"standing": _standing(**STANDINGS[state]), "csrf_token": "the-token"}
    with override_settings(USE_THOUSAND_SEPARATOR=thousands), translation.override(language):
        expected = MEMBERSHIP_TEMPLATE.render(Context(context))
        found = MEMBERSHIP_TAG.render(Context(context))

    assert found == expected
    assert "<script>" not in found
    if state == "may-declare":
        assert 'value="the-token"' in found


def _person(**fields):
    fields = {"display_name": HOSTILE, "bio": HOSTILE, "listed": True, "language": "fr", **fields}
    return User(pk=5, email="p@example.org", **fields)


PEOPLE = {
    "hostile": {},
    "unlisted-english": {"listed": False, "language": "en"},
    "no-bio": {"bio": ""},
    "lines-in-the-bio": {"bio": "\nUne ligne\r\nune autre & <b>"},
    "a-mark-in-the-name": {"display_name": me_sections._BIO_MARK},
    "no-name": {"display_name": ""},
    "no-language": {"language": ""},
    "another-language": {"language": "de"},
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_profile_form_is_the_forms_html(language, person):
    person = _person(**PEOPLE[person])
    with translation.override(language):
        for _ in range(2):  # the first time renders around the marks, the second uses them
            expected = ProfileForm(instance=person).as_div()
            found = PROFILE_TAG.render(Context({"form": None, "user": person}))
            assert found == expected
    assert "<script>" not in found
    assert me_sections._NAME_MARK not in found


def test_a_bound_form_shows_its_errors():
    person = _person()
    form = ProfileForm({"display_name": "", "language": "fr"}, instance=person)
    assert not form.is_valid()
    found = PROFILE_TAG.render(Context({"form": form, "user": person}))
    assert found == form.as_div()
    assert 'class="errorlist"' in found
