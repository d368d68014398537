"""The chantier pages: the assembly-wide list, a chantier with its kanban, its cards and their
history. Reading is open to everyone; the views check who may change what."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly.forms import reasons
from workshops.models import Workshop

from . import permissions, services
from .forms import CardForm, ChantierEditForm, ChantierForm, LinkWorkshopForm
from .models import Card, Chantier, ChantierWorkshop, Column, Participant

RECENT_WORKSHOPS = 60
MOVED_SHOWN = 40


def month_start(now) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def chantier_list(request):
    now = timezone.now()
    chantiers = list(
        Chantier.objects.active().annotate(people=Count("participants")).order_by("title", "pk")
    )
    counts: dict[int, list] = {chantier.pk: [] for chantier in chantiers}
    columns = (
        Column.objects.filter(chantier__in=[c.pk for c in chantiers])
        .annotate(card_count=Count("cards"))
        .order_by("chantier_id", "position")
    )
    for column in columns:
        counts[column.chantier_id].append(column)
    for chantier in chantiers:
        chantier.column_counts = counts[chantier.pk]
    moved = list(
        Card.history.filter(history_change_reason="moved", history_date__gte=month_start(now))
        .select_related("column", "chantier", "history_user")
        .order_by("-history_date")[:MOVED_SHOWN]
    )
    others = Chantier.objects.exclude(status=Chantier.Status.ACTIVE).order_by("title")
    return render(
        request,
        "chantiers/list.html",
        {
            "chantiers": chantiers,
            "moved": moved,
            "others": list(others.only("title", "status")),
            "can_start": permissions.can_start_chantier(request.user),
        },
    )


@login_required
def chantier_new(request):
    if not permissions.can_start_chantier(request.user):
        raise PermissionDenied
    form = ChantierForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            chantier = services.start_chantier(
                by=request.user,
                title=form.cleaned_data["title"],
                purpose=form.cleaned_data["purpose"],
                related_commons=form.cleaned_data["related_commons"],
            )
        except services.ChantierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your chantier is started: add its first cards."))
            return redirect(chantier)
    return render(request, "chantiers/form.html", {"form": form, "chantier": None})


def _board_context(request, chantier):
    """The columns with their cards, and what this person may do with them."""
    columns = list(
        Column.objects.filter(chantier=chantier)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "cards",
                queryset=Card.objects.select_related("assignee").order_by("order", "pk"),
            )
        )
    )
    for index, column in enumerate(columns):
        column.previous = columns[index - 1] if index > 0 else None
        column.next = columns[index + 1] if index + 1 < len(columns) else None
    return {
        "chantier": chantier,
        "columns": columns,
        "can_work": permissions.can_work_on_cards(request.user, chantier),
    }


def chantier_detail(request, pk):
    chantier = get_object_or_404(Chantier.objects.select_related("started_by"), pk=pk)
    board = _board_context(request, chantier)
    participants = list(
        Participant.objects.filter(chantier=chantier)
        .select_related("person")
        .order_by("-role", "joined_at")
    )
    links = list(
        ChantierWorkshop.objects.filter(chantier=chantier)
        .select_related("workshop__meeting")
        .order_by("-workshop__meeting__starts_at")
    )
    link_form = None
    if board["can_work"]:
        linked = ChantierWorkshop.objects.values("workshop_id")
        workshops = (
            Workshop.objects.visible()
            .exclude(pk__in=linked)
            .order_by("-meeting__starts_at", "title")[:RECENT_WORKSHOPS]
        )
        link_form = LinkWorkshopForm(
            workshops=Workshop.objects.filter(pk__in=list(workshops.values_list("pk", flat=True)))
        )
    return render(
        request,
        "chantiers/detail.html",
        {
            **board,
            "participants": participants,
            "links": links,
            "commons": list(chantier.related_commons.order_by("name").only("name", "slug")),
            "can_join": permissions.can_join(request.user, chantier),
            "can_leave": permissions.is_in_chantier(request.user, chantier),
            "can_edit": permissions.can_edit_chantier(request.user, chantier),
            "card_form": CardForm(chantier=chantier) if board["can_work"] else None,
            "link_form": link_form,
        },
    )


@login_required
def chantier_edit(request, pk):
    chantier = get_object_or_404(Chantier, pk=pk)
    if not permissions.can_edit_chantier(request.user, chantier):
        raise PermissionDenied
    initial = {f"{column.stage}_name": column.name for column in chantier.columns.all()}
    form = ChantierEditForm(
        request.POST if request.method == "POST" else None, instance=chantier, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_chantier(
                Chantier.objects.get(pk=pk),
                by=request.user,
                title=form.cleaned_data["title"],
                purpose=form.cleaned_data["purpose"],
                status=form.cleaned_data["status"],
                related_commons=form.cleaned_data["related_commons"],
                column_names=form.column_names(),
            )
        except services.ChantierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The chantier is saved."))
            return redirect("chantiers:detail", pk=pk)
    return render(request, "chantiers/form.html", {"form": form, "chantier": chantier})


@login_required
@require_POST
def chantier_join(request, pk):
    chantier = get_object_or_404(Chantier, pk=pk)
    services.join_chantier(chantier, request.user)
    messages.success(request, _("You joined the chantier."))
    return redirect(chantier)


@login_required
@require_POST
def chantier_leave(request, pk):
    chantier = get_object_or_404(Chantier, pk=pk)
    try:
        services.leave_chantier(chantier, request.user)
    except services.ChantierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You left the chantier."))
    return redirect(chantier)


@login_required
@require_POST
def card_new(request, pk):
    chantier = get_object_or_404(Chantier, pk=pk)
    if not permissions.can_work_on_cards(request.user, chantier):
        raise PermissionDenied
    form = CardForm(request.POST, chantier=chantier)
    if form.searching:
        # The people picker's search without JavaScript: the form again, as typed, on its own.
        return render(request, "chantiers/card_new.html", {"chantier": chantier, "form": form})
    if not form.is_valid():
        messages.error(
            request, _("The card was not added. %(reasons)s") % {"reasons": reasons(form)}
        )
        return redirect(chantier)
    card = services.add_card(chantier, by=request.user, **form.cleaned_data)
    messages.success(request, _("“%(title)s” is added.") % {"title": card.title})
    return redirect(f"{chantier.get_absolute_url()}#card-{card.pk}")


def card_detail(request, pk, card):
    found = get_object_or_404(
        Card.objects.select_related("chantier", "column", "assignee", "created_by"),
        pk=card,
        chantier_id=pk,
    )
    can_work = permissions.can_work_on_cards(request.user, found.chantier)
    form = None
    if can_work:
        form = CardForm(
            request.POST if request.method == "POST" else None,
            instance=found,
            chantier=found.chantier,
        )
        if request.method == "POST" and form.is_valid():
            services.edit_card(found, by=request.user, **form.cleaned_data)
            messages.success(request, _("The card is saved."))
            return redirect(found)
    elif request.method == "POST":
        raise PermissionDenied
    history = list(found.history.select_related("column", "history_user").order_by("-history_date"))
    return render(
        request,
        "chantiers/card.html",
        {"card": found, "chantier": found.chantier, "form": form, "history": history},
    )


def _position(value) -> int | None:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def card_move(request, pk, card):
    found = get_object_or_404(Card.objects.select_related("chantier"), pk=card, chantier_id=pk)
    if not permissions.can_work_on_cards(request.user, found.chantier):
        raise PermissionDenied
    column = get_object_or_404(Column, pk=_position(request.POST.get("to")), chantier_id=pk)
    services.move_card(
        found, by=request.user, to_column=column, position=_position(request.POST.get("position"))
    )
    if request.headers.get("X-Board") == "1":
        # Drag and drop: the script swaps in the board as the server now has it.
        return render(request, "chantiers/_board.html", _board_context(request, found.chantier))
    messages.success(
        request, _("“%(card)s” is now in %(column)s.") % {"card": found, "column": column.label}
    )
    return redirect(f"{found.chantier.get_absolute_url()}#card-{found.pk}")


@login_required
@require_POST
def workshop_link(request, pk):
    chantier = get_object_or_404(Chantier, pk=pk)
    if not permissions.can_work_on_cards(request.user, chantier):
        raise PermissionDenied
    form = LinkWorkshopForm(request.POST, workshops=Workshop.objects.visible())
    if form.is_valid():
        services.link_workshop(
            chantier, form.cleaned_data["workshop"], by=request.user, kind=form.cleaned_data["kind"]
        )
        messages.success(request, _("The workshop is linked to the chantier."))
    else:
        messages.error(request, _("Choose a workshop to link."))
    return redirect(chantier)


def workshop_section(workshop, request):
    """Shown on a workshop's page (through workshops.extensions): the chantier it belongs to."""
    link = (
        ChantierWorkshop.objects.filter(workshop_id=workshop.pk).select_related("chantier").first()
    )
    if link is None:
        return None
    return {"template": "chantiers/_workshop_section.html", "context": {"chantier_link": link}}
