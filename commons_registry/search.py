"""The commons' contribution to search (assembly/search.py): the entries a person may see."""

from django.utils.translation import gettext_lazy as _

from assembly.search import Source

from .models import Commons

TITLE_FIELD = "name"
BODY_FIELDS = ("summary", "description", "resource", "community", "governance")

SOURCES = [
    Source(
        kind="commons",
        label=_("Commons"),
        visible_to=lambda person: Commons.objects.visible_to(person),
        title_field=TITLE_FIELD,
        body_fields=BODY_FIELDS,
        title=str,
        url=lambda commons: commons.get_absolute_url(),
    ),
]
