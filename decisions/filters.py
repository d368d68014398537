"""The decision log's filters (django-filter): by phase and by kind."""

import django_filters
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Decision


class DecisionFilter(django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Decision.Phase.choices, empty_label=_("All phases")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Decision.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Decision
        fields = ["phase", "kind"]

    def form_html(self) -> SafeString:
        """The filter form's fields as HTML. Rendering a form's templates costs about as much as
        the 20 rows of the log, and the result depends only on the language and the two chosen
        values: each worker keeps it per (language, phase, kind), a few dozen entries at most
        since only valid choices are kept (an invalid one renders with its error, uncached)."""
        form = self.form
        if not form.is_valid():
            return form.as_div()
        key = (get_language(), form.cleaned_data["phase"], form.cleaned_data["kind"])
        html = _rendered_forms.get(key)
        if html is None:
            html = _rendered_forms[key] = form.as_div()
        return html


# (language, phase, kind) -> the form's HTML, filled by DecisionFilter.form_html.
_rendered_forms: dict[tuple[str, str, str], SafeString] = {}


def chooses_nothing(data) -> bool:
    """Whether a request's query (`data`) chooses neither a phase nor a kind: the log as most
    people open it. The form, built, would find it valid and clean both to ""."""
    return not data.get("phase") and not data.get("kind")


def unfiltered_form_html(data) -> SafeString:
    """DecisionFilter(data).form_html() when `data` chooses nothing: once kept, without building
    the filter set and its form (a thousand calls and more per page)."""
    html = _rendered_forms.get((get_language(), "", ""))
    return html if html is not None else DecisionFilter(data).form_html()
