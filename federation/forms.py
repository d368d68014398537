"""The administrator's form for the fediverse: on or off, and the handle."""

from django import forms

from .models import Publication


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["enabled", "handle"]
