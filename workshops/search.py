"""Meetings, workshops and their notes in search (assembly/search.py). Every meeting is public;
hidden workshops are found only by those who may see them (`WorkshopQuerySet.visible_to`)."""

from django.utils.translation import gettext_lazy as _

from assembly.search import Source

from .models import Meeting, Workshop

MEETING_TITLE_FIELD = "title"
MEETING_BODY_FIELDS = ("plenary_notes",)
WORKSHOP_TITLE_FIELD = "title"
WORKSHOP_BODY_FIELDS = ("description", "notes")

SOURCES = [
    Source(
        kind="meetings",
        label=_("Meetings"),
        visible_to=lambda person: Meeting.objects.all(),
        title_field=MEETING_TITLE_FIELD,
        body_fields=MEETING_BODY_FIELDS,
        title=str,
        url=lambda meeting: meeting.get_absolute_url(),
    ),
    Source(
        kind="workshops",
        label=_("Workshops"),
        visible_to=lambda person: Workshop.objects.visible_to(person),
        title_field=WORKSHOP_TITLE_FIELD,
        body_fields=WORKSHOP_BODY_FIELDS,
        title=str,
        url=lambda workshop: workshop.get_absolute_url(),
    ),
]
