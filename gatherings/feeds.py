"""A gathering's programme changes as an Atom feed (/gatherings/<slug>/changes.atom): the sessions
on its grid, the most recently changed first."""

from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assembly.feeds import FEED_LENGTH, AssemblyFeed, FeedEntry, newest
from assembly.markdown import render_markdown

from .models import Gathering


class ProgrammeChangesFeed(AssemblyFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Gathering, slug=slug)

    def title(self, obj):
        return _("%(gathering)s · changes to the programme") % {"gathering": obj.title}

    def link(self, obj):
        return f"/gatherings/{obj.slug}/programme/"

    def items(self, obj):
        sessions = (
            obj.sessions.on_grid()
            .select_related("gathering", "room", "site__venue", "stop__site__venue")
            .order_by("-updated_at", "-pk")[:FEED_LENGTH]
        )
        entries = []
        for session in sessions:
            when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
            entries.append(
                FeedEntry(
                    title=_("%(title)s, %(when)s, %(place)s")
                    % {"title": session.title, "when": when, "place": session.place},
                    link=session.get_absolute_url(),
                    published=session.created_at,
                    updated=session.updated_at,
                    summary=str(render_markdown(session.description)),
                )
            )
        return newest(entries)
