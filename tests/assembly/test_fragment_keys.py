"""Each kept part's key comes from a Python function of the template's context (assembly/
fragments.py): every part a template names has one, each keeps apart what differs between
people, and a variable missing from the context raises instead of sharing one body."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve

import config.urls  # noqa: F401 (loads every view module, and so every key function)
from assembly import fragments
from decisions.views.detail import decision_key
from decisions.views.log import decision_log_key
from gatherings.views import my_programme_key
from portal.views import me_key
from workshops.views.board import board_cards_key

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PART = re.compile(r"{%\s*(?:layout)?fragment\s+\"([^\"]+)\"")


def test_every_part_a_template_names_has_a_key_function():
    named = {
        name
        for path in TEMPLATES.rglob("*.html")
        for name in PART.findall(path.read_text(encoding="utf-8"))
    }
    assert named
    assert named <= fragments.registered_parts()


def _person(pk, *, staff=False):
    return SimpleNamespace(
        pk=pk, is_authenticated=pk is not None, is_staff=staff, is_superuser=False
    )


def test_me_and_a_decision_are_kept_per_person():
    decision = SimpleNamespace(pk=7)
    one, other = (
        {"user": _person(1), "decision": decision},
        {"user": _person(2), "decision": decision},
    )
    assert me_key(one) != me_key(other)
    gathering = SimpleNamespace(pk=3)
    assert my_programme_key({**one, "gathering": gathering}) != my_programme_key(
        {**other, "gathering": gathering}
    )
    assert my_programme_key({**one, "gathering": gathering}) != my_programme_key(
        {**one, "gathering": SimpleNamespace(pk=4)}
    )
    assert decision_key(one) != decision_key(other)
    assert decision_key(one) != decision_key({**one, "decision": SimpleNamespace(pk=8)})


def test_the_decision_log_is_kept_per_filter_and_page(rf):
    first = decision_log_key({"request": rf.get("/decisions/", {"phase": "vote"})})
    second = decision_log_key({"request": rf.get("/decisions/", {"phase": "vote", "page": 2})})
    assert first != second


def test_the_board_is_kept_per_meeting_and_viewer():
    viewer = (True, False, [3], [])
    meeting = SimpleNamespace(pk=1)
    assert board_cards_key({"meeting": meeting, "board_viewer": viewer}) != board_cards_key(
        {"meeting": meeting, "board_viewer": (True, False, [], [])}
    )


def test_the_header_is_kept_per_section_and_assembly():
    request = RequestFactory().get("/commons/")
    request.resolver_match = resolve("/commons/")
    assembly = SimpleNamespace(name="Assemblée de Lille", city="Lille")
    header = fragments.key_values("header", {"request": request, "assembly": assembly})
    assert header == ["commons", "directory", "Assemblée de Lille", "Lille"]
    signed_in = fragments.key_values("account-nav", {"user": _person(1)})
    anonymous = fragments.key_values("account-nav", {"user": _person(None)})
    assert signed_in != anonymous


def test_a_variable_missing_from_the_context_raises():
    template = Template('{% load fragments %}{% fragment "me" %}mine{% endfragment %}')
    request = RequestFactory().get("/me/")
    request.content_version = "v1"
    with pytest.raises(KeyError):
        template.render(Context({"request": request}))


def test_a_part_without_key_function_is_refused():
    template = Template(
        '{% load fragments %}{% layoutfragment "nobody-knows" %}x{% endlayoutfragment %}'
    )
    with pytest.raises(LookupError):
        template.render(Context({}))
