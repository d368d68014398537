"""The charter in search (assembly/search.py): each charter's current version, public to all."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from assembly.search import Source

from .models import CharterVersion

BODY_FIELDS = ("text",)


def current_versions(person=None):
    newest = CharterVersion.objects.filter(charter=OuterRef("charter")).order_by("-number")
    return CharterVersion.objects.filter(number=Subquery(newest.values("number")[:1]))


SOURCES = [
    Source(
        kind="charter",
        label=_("Charter"),
        visible_to=current_versions,
        title_field=None,
        body_fields=BODY_FIELDS,
        title=str,
        url=lambda version: version.charter.get_absolute_url(),
        related=("charter",),
    ),
]
