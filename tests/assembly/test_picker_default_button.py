"""Enter pressed in a field of a form with a picker sends the form as its main button does.

A browser's implicit submission "clicks" the form's default button, the first submit button in
the form (HTML, "Implicit submission"), and sends its name and value. These tests read the form as
a browser does and post what it would post; the picker's own "Search" button must not be first.
"""

from html.parser import HTMLParser

import pytest

from chantiers.models import Chantier
from decisions.models import Decision
from tests.commons_registry.factories import CommonsFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class BrowserForm(HTMLParser):
    """Each form of a page as the list of its elements (tag, attributes), in tree order."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, dict]]] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.forms.append([])
            self._inside = True
        elif self._inside:
            self.forms[-1].append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False

    def handle_data(self, data):
        if self._inside and self.forms[-1] and self.forms[-1][-1][0] in ("textarea", "option"):
            attributes = self.forms[-1][-1][1]
            attributes["_text"] = attributes.get("_text", "") + data

    def picker_form(self) -> list[tuple[str, dict]]:
        return next(f for f in self.forms if any("data-picker" in a for _tag, a in f))


def browser_post(html: str, typed: dict) -> dict:
    """What Enter in a text field sends: each field's value (or what was typed into it), the
    ticked boxes, the selected (or first) option of a select, and the default button's name when it has one."""
    parser = BrowserForm()
    parser.feed(html)
    elements = parser.picker_form()
    data: dict[str, list[str]] = {}
    default_button = None
    select = None
    for tag, attributes in elements:
        name = attributes.get("name")
        kind = attributes.get("type", "text" if tag == "input" else "submit")
        if tag == "button" or (tag == "input" and kind == "submit"):
            if kind == "submit" and default_button is None:
                default_button = attributes
            continue
        if tag == "select":
            select = name
            continue
        if tag == "option" and select and (select not in data or "selected" in attributes):
            data[select] = [attributes.get("value", attributes.get("_text", ""))]
            continue
        if not name:
            continue
        if tag == "textarea":
            data.setdefault(name, []).append(typed.get(name, attributes.get("_text", "")))
        elif tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in attributes:
                data.setdefault(name, []).append(attributes.get("value", "on"))
        elif tag == "input":
            data.setdefault(name, []).append(typed.get(name, attributes.get("value", "")))
    assert default_button is not None, "the form has no submit button"
    if default_button.get("name"):
        data[default_button["name"]] = [default_button.get("value", "")]
    return data


def test_the_picker_forms_first_submit_button_is_its_main_action(client):
    client.force_login(UserFactory())

    page = client.get("/decisions/new/").content.decode()
    parser = BrowserForm()
    parser.feed(page)
    buttons = [a for t, a in parser.picker_form() if t == "button"]

    assert "name" not in buttons[0] and "hidden" in buttons[0]
    assert buttons[1]["name"] == "_picker"  # the search comes after
    assert "name" not in buttons[-1]  # the visible main button


def test_enter_in_the_title_opens_the_discussion(client):
    CommonsFactory(name="Jardin du Moulin")
    client.force_login(UserFactory())
    page = client.get("/decisions/new/").content.decode()

    data = browser_post(page, {"title": "Un four à pain", "context": "Pour le quartier."})
    response = client.post("/decisions/new/", data)

    assert response.status_code == 302
    assert Decision.objects.get().title == "Un four à pain"


def test_enter_in_the_search_field_after_new_words_searches_without_saving(client):
    CommonsFactory(name="Jardin du Moulin")
    client.force_login(UserFactory())
    page = client.get("/chantiers/new/").content.decode()

    data = browser_post(page, {"title": "Four à pain", "related_commons_q": "moulin"})
    response = client.post("/chantiers/new/", data)

    assert response.status_code == 200
    assert not Chantier.objects.exists()
    assert "Jardin du Moulin" in response.content.decode()
    assert 'value="Four à pain"' in response.content.decode()


def test_after_a_search_enter_in_the_title_starts_the_chantier(client):
    moulin = CommonsFactory(name="Jardin du Moulin")
    client.force_login(UserFactory())
    searched = client.post(
        "/chantiers/new/",
        {"title": "Four à pain", "related_commons_q": "moulin", "_picker": "related_commons"},
    ).content.decode()

    data = browser_post(searched, {"title": "Four à pain"})
    data["related_commons"] = [str(moulin.pk)]  # ticked among the matches
    response = client.post("/chantiers/new/", data)

    assert response.status_code == 302
    assert list(Chantier.objects.get().related_commons.all()) == [moulin]
