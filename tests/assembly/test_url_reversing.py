"""assembly/url_reversing.py: each process keeps the URLs it reversed, and gives the same ones."""

from django.urls import reverse
from django.urls.resolvers import URLResolver

from assembly import url_reversing


def test_kept_urls_are_the_ones_django_reverses():
    url_reversing._kept.clear()

    first = reverse("decisions:detail", kwargs={"pk": 12})
    again = reverse("decisions:detail", kwargs={"pk": 12})
    other = reverse("decisions:detail", args=[13])

    assert (first, again, other) == ("/decisions/12/", "/decisions/12/", "/decisions/13/")
    assert len(url_reversing._kept) == 2


def test_arguments_other_than_text_and_numbers_are_never_kept():
    url_reversing._kept.clear()

    class Slug:
        def __str__(self):
            return "jardin"

    assert reverse("commons:detail", args=[Slug()]) == "/commons/jardin/"
    assert url_reversing._kept == {}


def test_the_resolver_reverses_through_the_kept_answers():
    assert URLResolver._reverse_with_prefix is url_reversing._reverse_with_prefix
