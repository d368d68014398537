"""iCalendar feeds: the public calendar, one meeting, a person's private calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.models import User, new_calendar_token

from ..ical import build_calendar, content_etag, feed_queryset
from ..models import Meeting
from .common import back_to


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Calendar clients poll every few minutes: ConditionalGetMiddleware answers 304 when nothing
    # but the fetch time changed.
    response["ETag"] = content_etag(content)
    return response


@require_GET
def calendar_feed(request):
    meetings = feed_queryset(Meeting.objects.upcoming())
    return _ics_response(
        build_calendar(meetings, str(_("Assembly of the Commons"))), "assemblee.ics"
    )


@require_GET
def meeting_ics(request, pk):
    meeting = get_object_or_404(feed_queryset(Meeting.objects.all()), pk=pk)
    return _ics_response(build_calendar([meeting], meeting.title), f"meeting-{meeting.pk}.ics")


@require_GET
def private_feed(request, token):
    person = User.objects.filter(calendar_token=token, is_active=True).first()
    if person is None:
        raise Http404
    meetings = feed_queryset(Meeting.objects.taken_part_in_by(person).order_by("starts_at"))
    return _ics_response(build_calendar(meetings, str(_("My meetings"))), "my-meetings.ics")


@login_required
@require_POST
def revoke_calendar_token(request):
    User.objects.filter(pk=request.user.pk).update(calendar_token=new_calendar_token())
    messages.success(
        request, _("Your private calendar address is renewed; the old one no longer works.")
    )
    return back_to(request, reverse("me"))
