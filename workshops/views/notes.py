"""The history of a meeting's or a workshop's notes, the diff between two revisions, and the pages a
save that did not go through lands on: a stale one (what changed meanwhile) or one the form refused
(why), each with the person's own text kept in the form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assembly.diffs import diff_stats, render_inline, word_diff

from .. import notes, permissions
from ..forms import NotesForm
from ..models import Meeting, Workshop


def _pages(subject) -> dict:
    """The addresses and words a notes page needs, for a meeting or a workshop."""
    if isinstance(subject, Meeting):
        return {
            "subject": subject,
            "subject_title": subject.title,
            "notes_title": _("Plenary notes"),
            "back_url": subject.get_absolute_url(),
            "history_url": reverse("meetings:notes-history", args=[subject.pk]),
            "diff_name": "meetings:notes-diff",
            "action": reverse("meetings:notes", args=[subject.pk]),
        }
    return {
        "subject": subject,
        "subject_title": subject.title,
        "notes_title": _("Workshop notes"),
        "back_url": subject.get_absolute_url(),
        "history_url": reverse("workshops:notes-history", args=[subject.pk]),
        "diff_name": "workshops:notes-diff",
        "action": reverse("workshops:notes", args=[subject.pk]),
    }


def _history(request, subject):
    revisions = notes.revisions(subject)
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a.isdigit() and b.isdigit():
        # The compare form submits here (GET) and lands on the diff's address.
        return redirect(reverse(_pages(subject)["diff_name"], args=[subject.pk, int(a), int(b)]))
    rows = [
        {"revision": revision, "previous": revisions[index - 1] if index else None}
        for index, revision in enumerate(revisions)
    ]
    return render(
        request,
        "workshops/notes_history.html",
        {**_pages(subject), "rows": list(reversed(rows)), "revisions": revisions},
    )


def _diff(request, subject, a, b):
    by_id = {revision.id: revision for revision in notes.revisions(subject)}
    if a not in by_id or b not in by_id:
        raise Http404
    old, new = by_id[a], by_id[b]
    diffs = word_diff(old.text, new.text)
    return render(
        request,
        "workshops/notes_diff.html",
        {
            **_pages(subject),
            "old": old,
            "new": new,
            "inline": render_inline(diffs),
            "stats": diff_stats(diffs),
        },
    )


def render_stale(request, pages: dict, error: notes.StaleNotes, text: str):
    """The other person's notes stay saved; the page shows what they changed since the form was
    opened and gives this person's text back, now based on the latest revision."""
    diffs = word_diff(error.base_text, error.current_text)
    form = NotesForm(initial={"notes": text, "revision": error.latest_revision})
    return render(
        request,
        "workshops/notes_conflict.html",
        {
            **pages,
            # A text that is not "notes" (a gathering's minutes) says so in its own words.
            "stale_message": pages.get("stale_message", error.message),
            "stale_title": pages.get("stale_title", _("Notes changed meanwhile")),
            "inline": render_inline(diffs),
            "stats": diff_stats(diffs),
            "notes_form": form,
            "label": _("Your text"),
        },
        status=409,
    )


def render_refused(request, pages: dict, form):
    """Notes the form refused (a NUL byte, too long, a damaged form): nothing is saved, the page
    says why and gives the text back (without its NUL bytes), now based on the latest revision."""
    text = form.data.get("notes", "").replace("\x00", "")
    latest = notes.latest_revision_id(pages["subject"])
    return render(
        request,
        "workshops/notes_refused.html",
        {
            **pages,
            "refused_form": form,
            "notes_form": NotesForm(initial={"notes": text, "revision": latest}),
            "label": _("Your text"),
        },
        status=400,
    )


@require_GET
def meeting_notes_history(request, pk):
    return _history(request, permissions.meeting_for(request, pk, Meeting.objects.all()))


@require_GET
def meeting_notes_diff(request, pk, a, b):
    return _diff(request, permissions.meeting_for(request, pk, Meeting.objects.all()), a, b)


@require_GET
def workshop_notes_history(request, pk):
    return _history(request, permissions.workshop_for(request, pk, _workshops()))


@require_GET
def workshop_notes_diff(request, pk, a, b):
    return _diff(request, permissions.workshop_for(request, pk, _workshops()), a, b)


def _workshops():
    return Workshop.objects.select_related("meeting")


def save_notes(request, subject, write, saved: str, *, pages=None, form_class=NotesForm, done=None):
    """The notes form posted for a meeting or a workshop: refused with its reasons, stale with
    what changed meanwhile, or written by `write(subject, text, based_on=, by=)` and confirmed,
    then back to `done` (the subject's page unless said). Another app's text with history (a
    gathering's session notes and minutes) passes its own `pages` (as `_pages` gives them, with
    `save_label` if its button says something else, `stale_title` and `stale_message` if the
    conflict page names the text otherwise) and its own form (with `notes`, `revision`).
    """
    pages = pages or _pages(subject)
    form = form_class(request.POST)
    if not form.is_valid():
        return render_refused(request, pages, form)
    text = form.cleaned_data["notes"]
    try:
        write(subject, text, based_on=form.cleaned_data["revision"], by=request.user)
    except notes.StaleNotes as error:
        return render_stale(request, pages, error, text)
    messages.success(request, saved)
    return redirect(done or subject)
