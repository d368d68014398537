"""BlankForm: the HTML of a blank form, kept per form and language, is the form's own."""

import pytest
from django.utils import translation

from decisions.forms import BlankForm, CommentForm, VoteForm


@pytest.mark.parametrize("form_class", [VoteForm, CommentForm])
def test_blank_form_writes_what_the_form_writes_in_each_language(form_class):
    for language in ("fr", "en", "fr"):
        with translation.override(language):
            kept = BlankForm(form_class)
            assert kept.as_div() == form_class().as_div()
            assert not kept.errors
    with translation.override("en"):
        english = BlankForm(form_class).as_div()
    with translation.override("fr"):
        assert BlankForm(form_class).as_div() != english
