"""The form templates written in Python (assembly/form_rendering.py) give Django's bytes: every
widget the project uses, bound and unbound, with errors, hostile text, in French and English."""

import decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from assembly import form_rendering
from assembly.form_rendering import FormRenderer
from assembly.forms import ProfileForm

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def with_templates(**templates):
    """TEMPLATES with these templates in front of the apps' (as a project's own would be)."""
    loaders = [
        ("django.template.loaders.locmem.Loader", templates),
        "django.template.loaders.app_directories.Loader",
    ]
    engine = {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": loaders},
    }
    return override_settings(TEMPLATES=[engine])


class Everything(forms.Form):
    """One field of each widget the project's forms use, and a few it could."""

    required_css_class = "required"
    error_css_class = "error"

    text = forms.CharField(label=HOSTILE, help_text=mark_safe("<em>safe</em> help"), max_length=9)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    count = forms.IntegerField(required=False, min_value=0)
    amount = forms.DecimalField(required=False, localize=True)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    site = forms.URLField(
        required=False, disabled=True, initial="https://a.example/?a=1&b=2", assume_scheme="https"
    )
    agreed = forms.BooleanField(required=False, label=mark_safe("I <b>agree</b>?"))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    colour = forms.ChoiceField(
        choices=[("", "---"), ("red", HOSTILE), ("Blues", [("navy", "Navy"), ("sky", "Sky")])]
    )
    colours = forms.MultipleChoiceField(
        required=False, choices=[(1, "one"), (2, "two"), ("Odd", [(3, "three")])]
    )
    vote = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", HOSTILE), ("Other", [("maybe", "Maybe")])],
        widget=forms.RadioSelect(attrs={"class": "inline"}),
        help_text="Choose",
    )
    topics = forms.MultipleChoiceField(
        required=False,
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    again = forms.CharField(required=False, show_hidden_initial=True, initial="first")
    nameless = forms.CharField(required=False, label="", widget=forms.TextInput(attrs={"id": ""}))

    def clean(self):
        raise forms.ValidationError(["Not <this> one", "Nor that"])


BOUND = {
    "text": HOSTILE,
    "email": "not an address",
    "secret": 'a"b',
    "count": "-1",
    "amount": "1,5",
    "day": "2026-12-04",
    "when": "nonsense",
    "agreed": "on",
    "body": HOSTILE,
    "colour": "sky",
    "colours": ["1", "3"],
    "vote": "no",
    "topics": ["b"],
    "token": HOSTILE,
    "again": "second",
    "initial-again": "first",
}


def renderings(form):
    """Everything a template can ask of a form and its fields."""
    yield form.as_div()
    yield form.as_p()
    yield str(form.non_field_errors())
    for field in form:
        yield from (field.as_field_group(), field.label_tag(), field.legend_tag(), str(field))
        yield str(field.errors)
        yield from (str(subwidget) for subwidget in field)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("data", [None, BOUND], ids=["unbound", "bound"])
def test_every_widget_is_rendered_as_by_the_templates(language, data):
    with translation.override(language):
        templates = list(renderings(Everything(data, renderer=TemplatesSetting())))
        written = list(renderings(Everything(data, renderer=FormRenderer())))
    assert written == templates
    assert HOSTILE not in "".join(written)  # escaped, in labels, values, options and errors


def test_a_localised_value_and_a_chosen_option():
    form = Everything({"amount": "1,5", "colour": "red"}, renderer=FormRenderer())
    with translation.override("fr"):
        form.is_valid()
        assert form.cleaned_data["amount"] == decimal.Decimal("1.5")
        assert 'value="1,5"' in str(form["amount"])
    assert '<option value="red" selected>&lt;script&gt;' in str(form["colour"])


def test_the_profile_form(person):
    person.bio = HOSTILE
    with translation.override("fr"):
        written = ProfileForm(instance=person, renderer=FormRenderer()).as_div()
        assert written == ProfileForm(instance=person, renderer=TemplatesSetting()).as_div()
    assert "&lt;script&gt;" in written


def test_djangos_templates_are_the_texts_the_functions_were_written_for():
    """Fails after a Django upgrade that changes one of its form templates: bring the function
    and its text up to date (until then, every form goes through the templates)."""
    assert FormRenderer()._functions.keys() == form_rendering.WRITTEN.keys()


def test_an_overridden_template_sends_every_form_to_the_templates():
    label = "<span{% include 'django/forms/attrs.html' %}>{{ label }}</span>"
    with with_templates(**{"django/forms/label.html": label}):
        renderer = FormRenderer()
        assert renderer._functions == {}
        with translation.override("en"):
            rendered = Everything(renderer=renderer)["email"].label_tag()
    assert rendered == '<span for="id_email" class="required">Email:</span>'


def test_an_option_template_of_its_own_sends_its_widget_to_the_templates():
    class Stars(forms.RadioSelect):
        option_template_name = "stars_option.html"

    class Rating(forms.Form):
        stars = forms.ChoiceField(choices=[(1, "*"), (2, "**")], widget=Stars)

    with with_templates(**{"stars_option.html": "<i>{{ widget.label }}</i>"}):
        rendered = str(Rating(renderer=FormRenderer())["stars"])
    assert (
        rendered == '<div id="id_stars"><div>\n    <i>*</i></div><div>\n    <i>**</i></div>\n</div>'
    )


def test_a_label_is_in_the_language_of_the_page_that_renders_it():
    class Named(forms.Form):
        name = forms.CharField(label=_("Your name"), help_text=_("E-mail address"))

    form = Named(renderer=FormRenderer())
    with translation.override("en"):
        english = form.as_div()
    with translation.override("fr"):
        french = Named(renderer=FormRenderer()).as_div()
    assert ">Your name" in english
    assert ">E-mail address</div>" in english
    assert ">Votre nom" in french


def test_a_widget_without_what_the_template_reads_is_rendered_by_the_template():
    class Typeless(forms.Widget):
        template_name = "django/forms/widgets/input.html"

    class Odd(forms.Form):
        odd = forms.CharField(widget=Typeless)

    written = str(Odd(renderer=FormRenderer())["odd"])
    assert written == str(Odd(renderer=TemplatesSetting())["odd"])
    assert written.startswith('<input type="" name="odd"')
