"""/me/'s calendar section written in Python (workshops/templatetags/calendar_links.py,
me_calendar): byte for byte what its template wrote, in French and in English."""

import pytest
from django.template import Context, Template
from django.utils import translation

from assembly.models import User

# templates/workshops/_me_calendar.html before it was written in Python.
PARTIAL = Template(
    '{% load i18n calendar_links %}<section class="me-calendar" aria-labelledby="me-calendar-title">\n  <h2 id="me-calendar-title">{% translate "My calendar" %}</h2>\n  <p>{% blocktranslate trimmed %}\n    Subscribe to this private address in your calendar app to see the meetings you host, signed up\n    for or attended. Keep it to yourself; renew it if it leaked.\n  {% endblocktranslate %}</p>\n  {% private_calendar_url user as feed_url %}\n  <p><label for="private-calendar-url">{% translate "Private calendar address" %}</label>\n    <input type="text" id="private-calendar-url" value="{{ feed_url }}" readonly></p>\n  <form method="post" action="{% url \'calendar:revoke\' %}" class="inline-form" data-confirm="{% translate \'The old address will stop working. Renew it?\' %}">\n    {% csrf_token %}\n    <button type="submit" class="secondary">{% translate "Renew the private address" %}</button>\n  </form>\n</section>\n'
)
TAG = Template("{% load calendar_links %}{% me_calendar %}")


@pytest.mark.parametrize("calendar_token", ["a-Zb_09" * 4, "é & <b>"])
@pytest.mark.parametrize("token", ["the-token", None])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_calendar_section_is_the_templates_html(language, token, calendar_token):
    person = User(pk=3, calendar_token=calendar_token)
    context = {"user": person} if token is None else {"user": person, "csrf_token": token}
    with translation.override(language):
        expected = PARTIAL.render(Context(context))
        found = TAG.render(Context(context))

    assert found == expected
    assert "<b>" not in found
    assert ('value="the-token"' in found) == (token is not None)
