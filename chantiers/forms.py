"""Forms of the chantier pages; the rules stay in chantiers/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.pickers import PersonChoiceField, PickerFormMixin
from commons_registry.forms import related_commons_field

from .models import Card, Chantier, ChantierWorkshop, Column
from .pickers import card_people


class ChantierForm(PickerFormMixin, forms.ModelForm):
    related_commons = related_commons_field()

    class Meta:
        model = Chantier
        fields = ["title", "purpose", "related_commons"]
        labels = {"purpose": _("Purpose")}
        help_texts = {"purpose": _("What the chantier is for; Markdown is welcome.")}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 6})}


class ChantierEditForm(ChantierForm):
    todo_name = forms.CharField(label=_("Name of the first column"), required=False, max_length=60)
    doing_name = forms.CharField(
        label=_("Name of the second column"), required=False, max_length=60
    )
    done_name = forms.CharField(label=_("Name of the third column"), required=False, max_length=60)

    class Meta(ChantierForm.Meta):
        fields = ["title", "purpose", "status", "related_commons"]

    def column_names(self) -> dict[str, str]:
        return {stage: self.cleaned_data[f"{stage}_name"] for stage in Column.Stage.values}


class CardForm(PickerFormMixin, forms.ModelForm):
    # Chosen with the people picker: the form stays small however many are in the chantier.
    assignee = PersonChoiceField(source="chantier", label=_("Person (optional)"), required=False)

    class Meta:
        model = Card
        fields = ["title", "description", "assignee", "due_on"]
        labels = {"due_on": _("Due date (optional)")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, chantier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].among(card_people(chantier), chantier.pk)


class LinkWorkshopForm(forms.ModelForm):
    class Meta:
        model = ChantierWorkshop
        fields = ["workshop", "kind"]
        labels = {"kind": _("This workshop")}

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops
