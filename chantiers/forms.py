"""Forms of the chantier pages; the rules stay in chantiers/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from assembly.pickers import PickerFormMixin
from commons_registry.forms import related_commons_field

from .models import Card, Chantier, ChantierWorkshop, Column


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


class CardForm(forms.ModelForm):
    class Meta:
        model = Card
        fields = ["title", "description", "assignee", "due_on"]
        labels = {"assignee": _("Person (optional)"), "due_on": _("Due date (optional)")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, chantier, **kwargs):
        super().__init__(*args, **kwargs)
        # A card's person is someone in the chantier.
        self.fields["assignee"].queryset = User.objects.filter(
            chantier_participations__chantier=chantier
        ).order_by("display_name")
        self.fields["assignee"].required = False


class LinkWorkshopForm(forms.ModelForm):
    class Meta:
        model = ChantierWorkshop
        fields = ["workshop", "kind"]
        labels = {"kind": _("This workshop")}

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops
