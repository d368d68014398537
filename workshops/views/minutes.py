"""A meeting's minutes: a printable page (A4 through the print stylesheet) and, for facilitators,
the same minutes as a Markdown file for an existing wiki."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from assembly.permissions import facilitator_required, is_facilitator

from .. import minutes, permissions


def _meeting(request, pk):
    return permissions.meeting_for(request, pk)


@require_GET
def meeting_minutes(request, pk):
    meeting = _meeting(request, pk)
    return render(
        request,
        "workshops/minutes.html",
        {**minutes.gather(meeting), "can_export": is_facilitator(request.user)},
    )


@require_GET
@facilitator_required
def meeting_minutes_markdown(request, pk):
    meeting = _meeting(request, pk)
    text = render_to_string("workshops/minutes.md", minutes.gather(meeting), request=request)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="minutes-{day}-{meeting.pk}.md"'
    return response
