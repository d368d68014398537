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


def _context(request, meeting, template_key: str) -> dict:
    """The minutes' context, each contributed section rendered with its own context (the page's
    HTML templates, or the Markdown ones)."""
    context = minutes.gather(meeting)
    base = {"meeting": meeting, "window": context["window"]}
    context["sections"] = [
        render_to_string(section[template_key], {**base, **section["context"]}, request=request)
        for section in context["sections"]
    ]
    return context


@require_GET
def meeting_minutes(request, pk):
    meeting = _meeting(request, pk)
    return render(
        request,
        "workshops/minutes.html",
        {**_context(request, meeting, "template"), "can_export": is_facilitator(request.user)},
    )


@require_GET
@facilitator_required
def meeting_minutes_markdown(request, pk):
    meeting = _meeting(request, pk)
    text = render_to_string(
        "workshops/minutes.md", _context(request, meeting, "markdown_template"), request=request
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="minutes-{day}-{meeting.pk}.md"'
    return response
