"""A searchable picker for a form that chooses among many rows (commons, people): the form page
stays the same size whatever the directory's size.

Without JavaScript, the picker is the chosen rows as ticked boxes (or, for one choice, radio
buttons), a search field and a "Search" button that sends the same form back: the view shows it
again, with what was typed kept and the rows that match the search as boxes to tick (at most
`PickerWidget.limit`), and saves nothing. Enter pressed in another field sends the form as its
main button does (the picker's hidden default button comes first); Enter in the search field after
a new word searches (its `_searched` twin differs: `sent_to_search`).
With JavaScript (static/js/picker.js), the search field becomes a WAI-ARIA 1.2 combobox whose
list is filled from the widget's JSON suggestions URL as one types; choosing an option ticks it.

People are chosen among a *source* that an app registers (`register_people_source`): who may be
chosen in this form, and whether this viewer may see them. `/people/choices.json` answers from
the same sources, with display names only (assembly/picker_views.py).

Two queries at most whatever the table's size: the chosen rows, and the matches of a search.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .folding import fold
from .models import User

# The name of the picker's "Search" button: a form sent with it is shown again, never saved.
PICKER_BUTTON = "_picker"
# Suffixes of the search field and of its twin, the word whose matches the page shows.
QUERY_SUFFIX = "_q"
SEARCHED_SUFFIX = "_searched"
QUERY_LENGTH = 100
# At most this many matches of a search, in the form and in the suggestions.
LIMIT = 20


def sent_to_search(data) -> bool:
    """Whether a posted form asks for a picker's search rather than for its action: its "Search"
    button, or Enter pressed in a search field after typing new words (without JavaScript the
    form's default button is its main one, so new words, different from the `_searched` twin,
    are the sign)."""
    if PICKER_BUTTON in data:
        return True
    for key in data:
        if key.endswith(SEARCHED_SUFFIX):
            typed = str(data.get(key[: -len(SEARCHED_SUFFIX)] + QUERY_SUFFIX, "")).strip()
            # An emptied field is no new search: the form is sent.
            if typed and typed[:QUERY_LENGTH] != str(data.get(key, "")).strip()[:QUERY_LENGTH]:
                return True
    return False


def search_query(data, name: str) -> str:
    return str(data.get(f"{name}{QUERY_SUFFIX}", "")).strip()[:QUERY_LENGTH]


def search_address(url: str, data) -> str:
    """Where a search sent to another address than the form's page is shown: that page with the
    words searched (`?<field>_q=`, which `PickerFormMixin(searched=request.GET)` reads back), at
    the first picker's search field."""
    words = {
        key: search_query(data, key[: -len(QUERY_SUFFIX)])
        for key in data
        if key.endswith(QUERY_SUFFIX)
    }
    words = {key: value for key, value in words.items() if value}
    if not words:
        return url
    return f"{url}?{urlencode(words)}#id_{next(iter(words))}"


class PickerWidget(forms.CheckboxSelectMultiple):
    """The chosen rows, then the search's matches, as checkboxes; never the whole table."""

    template_name = "_picker.html"
    limit = LIMIT
    none_label = _("None of them")

    def __init__(self, *, suggestions_url_name: str, search_field: str = "name", attrs=None):
        super().__init__(attrs)
        self.suggestions_url_name = suggestions_url_name
        self.search_field = search_field
        self.query = ""

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.query = ""
        return copy

    def suggestions_url(self) -> str:
        return reverse(self.suggestions_url_name)

    def matches(self, queryset, text: str) -> list:
        """At most `limit + 1` rows of `queryset` that match `text` (one more tells "more")."""
        return list(queryset.filter(**{f"{self.search_field}__icontains": text})[: self.limit + 1])

    def _rows(self, value):
        """(chosen, matches, more): what the picker shows for these chosen ids and its query."""
        queryset = self.choices.queryset
        chosen_ids = sorted({int(pk) for pk in value if str(pk).isdigit() and len(str(pk)) < 19})
        chosen = list(queryset.filter(pk__in=chosen_ids)) if chosen_ids else []
        matches, more = [], False
        if self.query:
            found = self.matches(queryset.exclude(pk__in=chosen_ids), self.query)
            matches, more = found[: self.limit], len(found) > self.limit
        return chosen, matches, more

    def optgroups(self, name, value, attrs=None):
        chosen, matches, self._more = self._rows(value)
        self._shown, self._chosen = len(matches), len(chosen)
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
            search_name=f"{name}{QUERY_SUFFIX}",
            searched_name=f"{name}{SEARCHED_SUFFIX}",
            search_id=f"{widget['attrs'].get('id', name)}{QUERY_SUFFIX}",
            query=self.query,
            button_name=PICKER_BUTTON,
            suggestions_url=self.suggestions_url(),
            more=getattr(self, "_more", False),
            shown=getattr(self, "_shown", 0),
            chosen=getattr(self, "_chosen", 0),
            limit=self.limit,
            multiple=self.allow_multiple_selected,
            # One choice that may be none: a "nobody" option to take the choice back.
            none_label=None
            if self.allow_multiple_selected or self.is_required
            else self.none_label,
        )
        return context

    def use_required_attribute(self, initial):
        return False


class SinglePickerWidget(PickerWidget):
    """The same picker for one choice: radio buttons, the chosen one checked."""

    allow_multiple_selected = False
    input_type = "radio"

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if value is None or value == "":
            return []
        return [str(value)]


# --- People --------------------------------------------------------------------------------------

# name → function(viewer, scope) returning the people that viewer may choose among in that scope
# (a chantier's id, a gathering's slug…), or None when the viewer may not see them.
PeopleSource = Callable[[object, str], QuerySet | None]
PEOPLE_SOURCES: dict[str, PeopleSource] = {}


def register_people_source(name: str, people: PeopleSource) -> None:
    """Called from an app's AppConfig.ready(): a source of people for the picker and for
    /people/choices.json."""
    PEOPLE_SOURCES[name] = people


def person_label(person) -> str:
    """What the picker shows of a person: their display name, never their e-mail address."""
    return person.display_name or gettext("Person #%(number)s") % {"number": person.pk}


def people_named(people: QuerySet, text: str, limit: int = LIMIT) -> list:
    """At most `limit` of `people` whose display name holds `text`, accents and case aside.

    The folded column also holds the e-mail address, which must not answer a search: a few more
    rows are read, and those that match only by their address are left out."""
    folded = fold(text.strip())
    if not folded:
        return []
    candidates = people.filter(search_name__contains=folded).only("display_name")[: limit * 3]
    return [person for person in candidates if folded in fold(person.display_name)][:limit]


class PeoplePickerWidget(SinglePickerWidget):
    """One person among a registered source; the form says which scope (`among`)."""

    none_label = _("Nobody")

    def __init__(self, *, source: str, attrs=None):
        super().__init__(suggestions_url_name="people-choices", attrs=attrs)
        self.source = source
        self.scope = ""

    def suggestions_url(self) -> str:
        query = urlencode({"source": self.source, "scope": self.scope})
        return f"{reverse(self.suggestions_url_name)}?{query}"

    def matches(self, queryset, text: str) -> list:
        return people_named(queryset, text, self.limit + 1)


class PersonChoiceField(forms.ModelChoiceField):
    """One person, chosen with the picker among the people of a source (`among` sets them)."""

    def __init__(self, *, source: str, **kwargs):
        # Nobody until the form says among whom: a person is never chosen from everyone by default.
        kwargs.setdefault("widget", PeoplePickerWidget(source=source))
        super().__init__(queryset=User.objects.none(), **kwargs)

    def among(self, people: QuerySet, scope) -> None:
        self.queryset = people
        self.widget.scope = str(scope)

    def label_from_instance(self, person) -> str:
        return person_label(person)


class PickerFormMixin:
    """For a form with picker fields: a form sent to search (`sent_to_search`) is shown again with
    its values and the search's matches, without errors, and is never valid.

    `searched`, for a form shown unbound, gives the words to search (a view that redirected a
    search sent to another address, `search_address`, passes request.GET)."""

    def __init__(self, *args, searched=None, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else searched
        for name, field in self.fields.items():
            if isinstance(field.widget, PickerWidget) and source is not None:
                field.widget.query = search_query(source, name)

    @property
    def searching(self) -> bool:
        return self.is_bound and sent_to_search(self.data)

    def full_clean(self):
        if self.searching:
            # Shown again as typed: no field is judged before the person sends the form itself.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.searching and super().is_valid()
