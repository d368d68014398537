from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CharterVersion


class AmendmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the discussion"),
        max_length=200,
        help_text=_("For example: “Hold the assembly on the last Thursday of the month”."),
    )
    summary = forms.CharField(
        label=_("What changes, in a sentence or two"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text = forms.CharField(
        label=_("Full text of the charter, as you propose it (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "charter-editor"}),
        strip=False,
    )
    rationale = forms.CharField(
        label=_("Why this change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Members decide by consent: say what problem this change solves."),
    )
    base = forms.IntegerField(widget=forms.HiddenInput)


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("From version"), coerce=int)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(number)s") % {"number": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=_("Merged text of the charter (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "charter-editor"}),
        strip=False,
    )
    note = forms.CharField(
        label=_("Note for the history (optional)"), max_length=300, required=False
    )


class ImportForm(forms.ModelForm):
    """The admin's add form: the first version of a charter, pasted as Markdown."""

    class Meta:
        model = CharterVersion
        fields = ["charter", "text", "note"]
        help_texts = {
            "text": _(
                "Paste the existing charter as Markdown; it becomes version 1. Later "
                "versions come only from adopted charter-change decisions."
            ),
        }

    def clean_charter(self):
        charter = self.cleaned_data["charter"]
        if charter.versions.exists():
            raise forms.ValidationError(
                _(
                    "This charter already has versions: it now changes only by a charter-change "
                    "decision."
                )
            )
        return charter
