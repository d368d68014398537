"""The agenda as an Atom feed (/feeds/agenda.atom): upcoming meetings and the workshops proposed
for them. Only what the agenda shows anyone: hidden workshops never appear."""

from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly.feeds import FEED_LENGTH, AssemblyFeed, FeedEntry, plain
from assembly.markdown import render_markdown

from .models import Meeting, Workshop


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def meeting_entry(meeting: Meeting) -> FeedEntry:
    when = _moment(meeting.starts_at)
    if meeting.is_cancelled:
        title = _("Cancelled: %(title)s, %(when)s") % {"title": meeting.title, "when": when}
        summary = plain(meeting.cancellation_reason)
    else:
        title = _("%(title)s, %(when)s") % {"title": meeting.title, "when": when}
        venue = meeting.venue
        summary = (
            format_html("<p>{}<br>{}</p>", venue.name, venue.address)
            if venue
            else format_html("<p>{}</p>", _("Venue to be announced."))
        )
    return FeedEntry(
        title=title,
        link=meeting.get_absolute_url(),
        published=meeting.created_at,
        updated=meeting.updated_at,
        summary=str(summary),
        categories=(str(meeting.get_kind_display()),),
    )


def workshop_entry(workshop: Workshop) -> FeedEntry:
    meeting = workshop.meeting
    return FeedEntry(
        title=_("Workshop: %(title)s (%(meeting)s, %(when)s)")
        % {"title": workshop.title, "meeting": meeting.title, "when": _moment(meeting.starts_at)},
        link=workshop.get_absolute_url(),
        published=workshop.created_at,
        updated=workshop.updated_at,
        summary=str(render_markdown(workshop.description)),
        categories=(str(_("workshop")),),
    )


class AgendaFeed(AssemblyFeed):
    topic = gettext_lazy("Agenda")
    page_url = "/meetings/"

    def entries(self):
        now = timezone.now()
        meetings = Meeting.objects.upcoming(now).select_related("venue")[:FEED_LENGTH]
        workshops = (
            Workshop.objects.visible()
            .filter(meeting__ends_at__gte=now)
            .exclude(meeting__status=Meeting.Status.CANCELLED)
            .select_related("meeting")
            .order_by("-updated_at", "-pk")[:FEED_LENGTH]
        )
        return [meeting_entry(m) for m in meetings] + [workshop_entry(w) for w in workshops]
