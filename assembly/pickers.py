"""A searchable picker for a form that chooses among many rows (commons, people): the form page
stays the same size whatever the directory's size.

Without JavaScript, the picker is the chosen rows as ticked boxes, a search field and a "Search"
button that sends the same form back: the view shows it again, with what was typed kept and the
rows that match the search as boxes to tick (at most `PickerWidget.limit`), and saves nothing.
With JavaScript (static/js/picker.js), the search field becomes a WAI-ARIA 1.2 combobox whose
list is filled from the widget's JSON suggestions URL as one types; choosing an option ticks it.

Two queries at most whatever the table's size: the chosen rows, and the matches of a search.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.urls import reverse

# The name of the picker's "Search" button: a form sent with it is shown again, never saved.
PICKER_BUTTON = "_picker"


class PickerWidget(forms.CheckboxSelectMultiple):
    """The chosen rows, then the search's matches, as checkboxes; never the whole table."""

    template_name = "_picker.html"
    limit = 20

    def __init__(self, *, suggestions_url_name: str, search_field: str = "name", attrs=None):
        super().__init__(attrs)
        self.suggestions_url_name = suggestions_url_name
        self.search_field = search_field
        self.query = ""

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.query = ""
        return copy

    def _rows(self, value):
        """(chosen, matches, more): what the picker shows for these chosen ids and its query."""
        queryset = self.choices.queryset
        chosen_ids = sorted({int(pk) for pk in value if str(pk).isdigit() and len(str(pk)) < 19})
        chosen = list(queryset.filter(pk__in=chosen_ids)) if chosen_ids else []
        matches, more = [], False
        if self.query:
            found = list(
                queryset.filter(**{f"{self.search_field}__icontains": self.query}).exclude(
                    pk__in=chosen_ids
                )[: self.limit + 1]
            )
            matches, more = found[: self.limit], len(found) > self.limit
        return chosen, matches, more

    def optgroups(self, name, value, attrs=None):
        chosen, matches, self._more = self._rows(value)
        self._shown = len(matches)
        options = []
        for index, row in enumerate([*chosen, *matches]):
            choice_value, label = self.choices.choice(row)
            options.append(
                self.create_option(
                    name, choice_value, label, index < len(chosen), index, attrs=attrs
                )
            )
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget.update(
            search_name=f"{name}_q",
            search_id=f"{widget['attrs'].get('id', name)}_q",
            query=self.query,
            button_name=PICKER_BUTTON,
            suggestions_url=reverse(self.suggestions_url_name),
            more=getattr(self, "_more", False),
            shown=getattr(self, "_shown", 0),
            limit=self.limit,
        )
        return context

    def use_required_attribute(self, initial):
        return False


class PickerFormMixin:
    """For a form with PickerWidget fields: a form sent with a picker's "Search" button is
    shown again with its values and the search's matches, without errors, and is never valid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, PickerWidget) and self.is_bound:
                field.widget.query = str(self.data.get(f"{name}_q", "")).strip()[:100]

    @property
    def searching(self) -> bool:
        return self.is_bound and PICKER_BUTTON in self.data

    def full_clean(self):
        if self.searching:
            # Shown again as typed: no field is judged before the person sends the form itself.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.searching and super().is_valid()
