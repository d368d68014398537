"""Forms of the decision pages; the rules themselves stay in decisions/services.py."""

from django import forms
from django.core.signals import setting_changed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assembly.pickers import PickerFormMixin
from commons_registry.forms import related_commons_field

from .models import Comment, Decision, Vote


class DiscussionForm(PickerFormMixin, forms.ModelForm):
    related_commons = related_commons_field()

    class Meta:
        model = Decision
        fields = ["title", "kind", "context", "proposal", "related_commons"]
        labels = {"context": _("Context"), "proposal": _("Proposal (optional for now)")}
        help_texts = {
            "context": _("Why this decision is needed; Markdown is welcome."),
            "proposal": _(
                "The clear text to be decided. You can write or revise it until the "
                "discussion ends."
            ),
        }
        widgets = {
            "context": forms.Textarea(attrs={"rows": 8}),
            "proposal": forms.Textarea(attrs={"rows": 8}),
        }


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown. Every version is kept and shown on the decision's page."),
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        help_texts = {"text": _("Markdown. You can edit it during 15 minutes.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an objection: what in the proposal can you not live with?"),
    )

    def clean(self):
        data = super().clean()
        if data.get("choice") == Vote.Choice.OBJECT and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                _("An objection needs a reason: say what in the proposal you cannot live with."),
            )
        return data


class StatementForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["outcome_statement", "review_on"]
        help_texts = {
            "outcome_statement": _("Markdown. What the assembly says about this outcome."),
            "review_on": _("Optional: when the assembly should look at this decision again."),
        }
        widgets = {
            "outcome_statement": forms.Textarea(attrs={"rows": 4}),
            "review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


# The HTML of each blank form, by form class and language (BlankForm).
_blank_html: dict[tuple, str] = {}


class BlankForm:
    """What a page shows of a form without data nor initial values, for `{% if form %}`,
    `{% if form.errors %}` and `{{ form.as_div }}`: that HTML depends only on the code and the
    language, so it is rendered once per form and language and kept for the process, as
    assembly/fixed_text.py keeps a template's fixed text (a setting's change forgets it). Not
    even the form is built for it (building one deep-copies its fields)."""

    errors = {}

    def __init__(self, form_class):
        self.form_class = form_class

    def as_div(self) -> str:
        key = (self.form_class, get_language())
        html = _blank_html.get(key)
        if html is None:
            html = _blank_html.setdefault(key, self.form_class().as_div())
        return html


def _forget(**kwargs) -> None:
    _blank_html.clear()


setting_changed.connect(_forget)
