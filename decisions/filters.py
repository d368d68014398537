"""The decision log's filters (django-filter): by phase and by kind."""

import django_filters
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
