"""Forms of meetings and workshops: they validate input; services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commons_registry.models import Commons

from .models import Workshop


class WorkshopForm(forms.ModelForm):
    related_commons = forms.ModelMultipleChoiceField(
        label=_("Related commons"),
        required=False,
        queryset=Commons.objects.published().order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "description",
            "needs_work_tables",
            "needs_whiteboard",
            "needs_projector",
            "needs_good_internet",
            "capacity",
            "related_commons",
        ]
        help_texts = {
            "description": _("What will you do together? Markdown works."),
            "capacity": _("Leave empty when anyone may join."),
        }

    def workshop_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("related_commons", None)
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea,
        help_text=_("What was said and decided. Markdown works."),
    )


class WalkInForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("They will get a link to claim their account."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a person"), required=False, max_length=100)
