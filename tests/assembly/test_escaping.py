"""assembly/escaping.py: escape() and mark_safe() give what Django's give, lazy values too."""

import pytest
from django.forms import utils as forms_utils
from django.template import base as template_base
from django.utils import html as django_html
from django.utils import safestring
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, override

from assembly import escaping

VALUES = [
    "plain",
    '<a href="x">l\'été & co</a>',
    SafeString("<b>already safe</b>"),
    12,
    3.5,
    None,
    b"bytes",
]


@pytest.mark.parametrize("value", VALUES)
def test_escape_gives_what_djangos_gives(value):
    ours, django = escaping.escape(value), escaping._django_escape(value)

    assert (ours, type(ours)) == (django, type(django))


@pytest.mark.parametrize("value", [value for value in VALUES if isinstance(value, str)])
def test_mark_safe_gives_what_djangos_gives(value):
    ours, django = escaping.mark_safe(value), escaping._django_mark_safe(value)

    assert (ours, type(ours)) == (django, type(django))
    assert escaping.mark_safe(django) is django


def test_a_lazy_text_stays_lazy_and_escaped_in_the_language_of_its_use():
    lazy = gettext_lazy("Search")

    escaped, marked = escaping.escape(lazy), escaping.mark_safe(lazy)

    assert isinstance(escaped, Promise) and isinstance(marked, Promise)
    with override("fr"):
        assert str(escaped) == str(escaping._django_escape(lazy)) == "Chercher"
        assert str(marked) == "Chercher"


def test_a_decorated_function_returns_safe_text():
    safe = escaping.mark_safe(lambda: "<b>x</b>")

    assert isinstance(safe(), SafeString)


def test_django_modules_use_them():
    assert django_html.escape is escaping.escape
    assert django_html.mark_safe is escaping.mark_safe
    assert safestring.mark_safe is escaping.mark_safe
    assert template_base.mark_safe is escaping.mark_safe
    assert forms_utils.mark_safe is escaping.mark_safe
    assert django_html.conditional_escape("<i>") == "&lt;i&gt;"
    assert django_html.format_html("<p>{}</p>", "<i>") == "<p>&lt;i&gt;</p>"
