"""Forms of the directory: proposing and editing an entry, moderating it, assessing it."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assembly.forms import ModelMultipleChoiceField
from assembly.pickers import PickerWidget

from . import permissions, services
from .models import Commons, OstromAssessment


def related_commons_field() -> ModelMultipleChoiceField:
    """The published commons a workshop, a discussion or a chantier is about, chosen with the
    searchable picker: the form stays small whatever the directory's size."""
    return ModelMultipleChoiceField(
        label=_("Related commons"),
        queryset=Commons.objects.published().order_by("name").only("name", "slug"),
        required=False,
        widget=PickerWidget(suggestions_url_name="commons:choices"),
    )


class CommonsForm(forms.ModelForm):
    """What a participant proposes and a steward edits."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("e.g. https://example.org"),
    )

    class Meta:
        model = Commons
        fields = services.EDITABLE_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 280}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "resource": forms.Textarea(attrs={"rows": 5}),
            "community": forms.Textarea(attrs={"rows": 5}),
            "governance": forms.Textarea(attrs={"rows": 5}),
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        }
        help_texts = {
            "summary": _("One or two sentences, at most 280 characters."),
            "description": _("Markdown is allowed."),
            "latitude": _(
                "Between -90 and 90, e.g. 50.6292. Leave both empty for a digital commons."
            ),
            "longitude": _("Between -180 and 180, e.g. 3.0573."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].empty_label = _("Choose a category")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        existing = services.find_duplicate(name, exclude_pk=self.instance.pk)
        if existing is not None and not (self.user and permissions.can_view(self.user, existing)):
            # Someone else's proposal: a link would lead to a page this person may not see.
            raise forms.ValidationError(
                _("A commons with this name is already proposed and awaits moderation.")
            )
        if existing is not None:
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("A commons with this name already exists:"),
                    existing.get_absolute_url(),
                    existing.name,
                )
            )
        return name

    def data_for_service(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in services.EDITABLE_FIELDS}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The proposer receives it by e-mail."),
    )


class AssessmentForm(forms.Form):
    """One level and one comment for each of Ostrom's eight principles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in OstromAssessment.PRINCIPLES:
            self.fields[field] = forms.ChoiceField(
                label=label,
                choices=OstromAssessment.Level.choices,
                initial=OstromAssessment.Level.ABSENT,
            )
            self.fields[f"{field}_comment"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def principle_rows(self):
        return [(self[field], self[f"{field}_comment"]) for field, _ in OstromAssessment.PRINCIPLES]

    def levels(self) -> dict:
        return {field: self.cleaned_data[field] for field, _ in OstromAssessment.PRINCIPLES}

    def comments(self) -> dict:
        return {
            field: self.cleaned_data[f"{field}_comment"] for field, _ in OstromAssessment.PRINCIPLES
        }
