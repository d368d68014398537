"""The import pages' forms: the upload (one file, or several for the charter) and the mapping of
each column of the file to a field of the importer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import formats


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """One or several files; cleaned to a list."""

    def __init__(self, *args, multiple=False, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput() if multiple else forms.ClearableFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(item, initial) for item in data] or [
                super().clean(None, initial)
            ]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    def __init__(self, *args, importer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = FilesField(
            label=_("Files") if importer.several_files else _("File"),
            multiple=importer.several_files,
            help_text=importer.description,
        )

    def clean_files(self):
        files = self.cleaned_data["files"]
        # Django has the body already (the proxy caps it): refuse before reading it into memory.
        size = sum(upload.size or 0 for upload in files)
        try:
            formats.check_size(size)
        except formats.FileRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return files

    def uploads(self) -> list[formats.Upload]:
        return [
            formats.Upload(upload.name or "file", upload.read())
            for upload in self.cleaned_data["files"]
        ]


class MappingForm(forms.Form):
    """One choice per column of the file: the field it gives, or left out."""

    def __init__(self, *args, importer, columns, mapping, samples, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— leave out —"))] + [
            (field.name, f"{field.label} ({field.name})") for field in importer.fields
        ]
        self.columns = columns
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=False,
                initial=mapping.get(column, ""),
                help_text=" · ".join(samples.get(column, [])),
            )

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data.get(f"column_{index}", "")
            for index, column in enumerate(self.columns)
        }
