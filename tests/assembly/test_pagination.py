"""Every paginated list shares templates/_pagination.html: its links change the page and keep the
list's filters."""

import datetime
import re

import pytest
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from decisions.models import Decision
from tests.commons_registry.factories import CommonsFactory, category
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.workshops.factories import PastMeetingFactory

LINK = re.compile(r'<a href="([^"]*)" rel="(prev|next)">([^<]*)</a>')


def links(html: str) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for href, rel, _ in LINK.findall(html)}


@pytest.mark.django_db  # the context processors read the assembly's configuration
def test_partial_changes_only_the_page_and_keeps_the_other_parameters():
    request = RequestFactory().get("/decisions/", {"kind": "finance", "phase": "closed", "page": 2})
    page = Paginator(range(50), 20).get_page(2)

    with translation.override("en"):
        html = render_to_string("_pagination.html", {"page": page}, request=request)

    assert links(html) == {
        "prev": "?kind=finance&phase=closed&page=1",
        "next": "?kind=finance&phase=closed&page=3",
    }
    assert "<span>Page 2 of 3</span>" in html


@pytest.mark.django_db
def test_partial_shows_nothing_for_a_single_page():
    request = RequestFactory().get("/decisions/")
    page = Paginator(range(5), 20).get_page(1)

    assert render_to_string("_pagination.html", {"page": page}, request=request).strip() == ""


@pytest.mark.django_db
def test_page_two_of_filtered_people_keeps_the_search(client):
    UserFactory.create_batch(49, listed=True, display_name="Camille")

    html = client.get("/people/", {"q": "Cam", "page": 2}).content.decode()

    assert links(html) == {"prev": "?q=Cam&page=1"}


@pytest.mark.django_db
def test_page_two_of_the_filtered_directory_keeps_the_filters(client):
    garden = category()
    CommonsFactory.create_batch(25, category=garden)

    html = client.get(
        "/commons/", {"category": garden.slug, "status": "active", "page": 2}
    ).content.decode()

    assert links(html) == {"prev": f"?category={garden.slug}&status=active&page=1"}


@pytest.mark.django_db
def test_page_two_of_the_embedded_map_list_stays_embedded(client):
    garden = category()
    CommonsFactory.create_batch(25, category=garden)

    html = client.get("/commons/map/", {"embed": "1", "category": garden.slug}).content.decode()

    assert links(html) == {"next": f"?embed=1&category={garden.slug}&page=2"}


@pytest.mark.django_db
def test_page_two_of_the_filtered_decision_log_keeps_the_filters(client):
    author = UserFactory()
    for _ in range(21):
        discussion(author, kind=Decision.Kind.FINANCE)

    html = client.get(
        "/decisions/", {"kind": "finance", "phase": "discussion", "page": 2}
    ).content.decode()

    assert links(html) == {"prev": "?kind=finance&phase=discussion&page=1"}


@pytest.mark.django_db
def test_past_meetings_pages_go_to_older_and_more_recent_meetings(client):
    now = timezone.now()
    for weeks in range(1, 26):
        PastMeetingFactory(starts_at=now - datetime.timedelta(weeks=weeks))

    html = client.get("/meetings/", {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert {rel: (href, text) for href, rel, text in LINK.findall(html)} == {
        "prev": ("?page=1", "More recent"),
        "next": ("?page=3", "Older"),
    }


# templates/_pagination.html before it was written in Python (assembly/templatetags/pagination.py).
TEMPLATE = Template(
    "{% load i18n %}{% if page.has_other_pages %}\n"
    '  <nav class="pagination" aria-label="{{ label|default:_(\'Pages\') }}">\n'
    '    {% if page.has_previous %}<a href="{% querystring page=page.previous_page_number %}"'
    ' rel="prev">{{ previous_label|default:_("Previous") }}</a>{% endif %}\n'
    "    <span>{% blocktranslate trimmed with number=page.number"
    " total=page.paginator.num_pages %}Page {{ number }} of {{ total }}{% endblocktranslate %}"
    "</span>\n"
    '    {% if page.has_next %}<a href="{% querystring page=page.next_page_number %}"'
    ' rel="next">{{ next_label|default:_("Next") }}</a>{% endif %}\n'
    "  </nav>\n"
    "{% endif %}\n"
)
lazy_label = gettext_lazy("Older")
HOSTILE = "<script>alert('&')</script> \"%s%%"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("number", [1, 2, 3, 60])
@pytest.mark.parametrize(
    "labels",
    [
        {},
        {"label": HOSTILE, "previous_label": HOSTILE, "next_label": HOSTILE},
        {"label": lazy_label, "previous_label": "", "next_label": None},
    ],
)
@pytest.mark.parametrize("query", [{}, {"q": HOSTILE, "page": "2", "kind": ["a", "b&c"]}])
def test_the_links_are_the_templates_byte_for_byte(language, number, labels, query):
    """Every page of a list (first, middle, last; a total with thousands), labels given or not,
    hostile ones escaped, and a query string of hostile filters, in both languages."""
    request = RequestFactory().get("/decisions/", query)
    page = Paginator(range(60_000), 1000 if number < 60 else 1).get_page(number)
    context = {"page": page, **labels}

    with translation.override(language):
        expected = TEMPLATE.render(RequestContext(request, context))
        html = render_to_string("_pagination.html", context, request=request)

    assert html == expected
    assert "<script>" not in html


@pytest.mark.django_db
@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_page_numbers_are_localised_as_the_template_did():
    request = RequestFactory().get("/decisions/")
    page = Paginator(range(60_000), 1).get_page(1200)

    for language in ("fr", "en"):
        with translation.override(language):
            expected = TEMPLATE.render(RequestContext(request, {"page": page}))
            html = render_to_string("_pagination.html", {"page": page}, request=request)
            assert html == expected
            assert "1200" not in html


@pytest.mark.django_db
def test_without_a_page_nothing_but_the_line_is_written():
    assert render_to_string("_pagination.html", {}) == TEMPLATE.render(Context({})) == "\n"
