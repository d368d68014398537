"""The directory's filters, shared by the list, the map, its data and both exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Category, Commons


class CommonsFilter(django_filters.FilterSet):
    LOCATION_CHOICES = [("yes", _("with a place on the map")), ("no", _("digital, no place"))]

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Commons.Status.choices, empty_label=_("Any status")
    )
    location = django_filters.ChoiceFilter(
        label=_("Location"),
        choices=LOCATION_CHOICES,
        method="filter_location",
        empty_label=_("With or without a place"),
    )

    class Meta:
        model = Commons
        fields = ["q", "category", "status", "location"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_location(self, queryset, name, value):
        if value == "yes":
            return queryset.with_location()
        if value == "no":
            return queryset.without_location()
        return queryset
