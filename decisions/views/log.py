"""The decision log and opening a discussion: a new one, or a new round after one not adopted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from assembly import fragments
from assembly.prepared import Prepared, prepared

from .. import extensions, filters, permissions, services
from ..forms import DiscussionForm
from ..models import Decision, Vote
from ..services import DecisionError
from .detail import decision_queryset

PAGE_SIZE = 20


@fragments.part("decision-log")
def decision_log_key(context):
    """The log's rows are the same for everyone: per filter and page."""
    return (context["request"].GET.urlencode(),)


def decision_list(request):
    # The log's rows are the same for everyone: kept as a fragment under the content version.
    fragments.remember_content_version(request)
    # Most people open the log filtered by nothing: then no filter set is built.
    if filters.chooses_nothing(request.GET):
        filterset, filter_form = None, filters.unfiltered_form_html(request.GET)
    else:
        filterset = filters.DecisionFilter(request.GET, queryset=Decision.objects.all())
        filter_form = filterset.form_html()
    return render(
        request,
        "decisions/decision_list.html",
        {
            "filter_form": filter_form,
            # Read only when the fragment is rendered, not when it is copied.
            "page": SimpleLazyObject(
                lambda: Paginator(_log_of(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
            ),
            "can_open_discussion": permissions.can_open_discussion(request.user),
        },
    )


def _log_of(filterset):
    """The rows to page through: without a filter, from queries built and compiled once per
    process (assembly/prepared.py)."""
    return _WholeLog() if filterset is None else _log_rows(filterset.qs)


class _WholeLog:
    """Every decision, as the paginator reads them: their number, then one page's rows."""

    ordered = True
    MAX_WINDOWS = 64

    def count(self) -> int:
        found = _log_total()
        return found[0][0] if found else 0

    def __getitem__(self, window: slice) -> list:
        query = _windows.get((window.start, window.stop))
        if query is None:
            if len(_windows) >= self.MAX_WINDOWS:
                return list(_log_rows(Decision.objects.all())[window])
            query = _windows[window.start, window.stop] = Prepared(
                lambda: _log_rows(Decision.objects.all())[window], {}
            )
        return query()


# One prepared query per page of the log (its LIMIT and OFFSET are in the SQL's text).
_windows: dict[tuple, Prepared] = {}


@prepared()
def _log_total():
    # COUNT(*) OVER (): the number of decisions on the first row, nothing when there are none.
    return Decision.objects.order_by().annotate(total=Window(Count("pk"))).values_list("total")[:1]


# What a row of the log shows (decisions/log_rows.py): reading the other columns, a dozen dates
# among them, cost more than writing the row.
_ROW_FIELDS = (
    "title",
    "kind",
    "phase",
    "outcome",
    "author__display_name",
    "author__email",
    "created_at",
    "discussion_ends_at",
    "vote_opens_at",
    "vote_closes_at",
    "closed_at",
    "roll_size",
    "consent_count",
    "abstain_count",
    "objection_count",
)


def _log_rows(decisions):
    return (
        decisions.select_related("author")
        .only(*_ROW_FIELDS)
        # A subquery, not a join: the paginator's COUNT(*) then ignores it.
        .annotate(
            live_votes=Coalesce(
                Subquery(
                    Vote.objects.filter(decision=OuterRef("pk"))
                    .order_by()
                    .values("decision")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-created_at", "-pk")
    )


@login_required
def decision_new(request):
    if not permissions.can_open_discussion(request.user):
        raise PermissionDenied
    elsewhere = extensions.kinds_started_elsewhere()
    form = DiscussionForm(request.POST if request.method == "POST" else None)
    # A charter change needs its proposed full text: it opens from the charter's amendment form.
    form.fields["kind"].choices = [
        choice for choice in form.fields["kind"].choices if choice[0] not in elsewhere
    ]
    if request.method == "POST" and form.is_valid():
        return _open_discussion(request, form)
    started_elsewhere = [(Decision.Kind(kind).label, url) for kind, url in elsewhere.items()]
    return render(
        request,
        "decisions/decision_form.html",
        {"form": form, "previous": None, "started_elsewhere": started_elsewhere},
    )


def _open_discussion(request, form, previous=None):
    data = form.cleaned_data
    try:
        if previous is None:
            decision = services.open_discussion(
                author=request.user,
                title=data["title"],
                kind=data["kind"],
                context=data["context"],
                proposal=data["proposal"],
                related_commons=data["related_commons"],
            )
        else:
            decision = services.start_new_round(
                previous,
                by=request.user,
                title=data["title"],
                context=data["context"],
                proposal=data["proposal"],
            )
    except DecisionError as error:
        form.add_error(None, error.message)
        return render(request, "decisions/decision_form.html", {"form": form, "previous": previous})
    messages.success(
        request,
        _("Your discussion is open until %(end)s.")
        % {"end": services.format_moment(decision.discussion_ends_at)},
    )
    return redirect(decision)


@login_required
def new_round(request, pk):
    previous = permissions.decision_for(request, pk, decision_queryset())
    if not permissions.can_start_new_round(request.user, previous):
        raise PermissionDenied
    start_url = extensions.start_form_url(previous.kind)
    if start_url:
        return redirect(start_url)
    initial = {
        "title": previous.title,
        "kind": previous.kind,
        "context": previous.context,
        "proposal": previous.proposal,
        "related_commons": list(previous.related_commons.all()),
    }
    form = DiscussionForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["kind"].disabled = True
    form.fields["related_commons"].disabled = True
    if request.method == "POST" and form.is_valid():
        return _open_discussion(request, form, previous=previous)
    return render(request, "decisions/decision_form.html", {"form": form, "previous": previous})
