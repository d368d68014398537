"""Gatherings and their sessions in search (assembly/search.py). Gatherings are public; a session
is found once it is accepted or while it is a proposal of the call (visible to all while open),
never once declined."""

from django.utils.translation import gettext_lazy as _

from assembly.search import Source

from .models import Gathering, Session

SOURCES = [
    Source(
        kind="gatherings",
        label=_("Gatherings"),
        visible_to=lambda person: Gathering.objects.all(),
        title_field="title",
        body_fields=("description", "minutes"),
        title=str,
        url=lambda gathering: gathering.get_absolute_url(),
    ),
    Source(
        kind="gathering_sessions",
        label=_("Sessions of gatherings"),
        visible_to=lambda person: Session.objects.exclude(state=Session.State.DECLINED),
        title_field="title",
        body_fields=("description", "notes"),
        title=str,
        url=lambda session: session.get_absolute_url(),
        related=("gathering",),
    ),
]
