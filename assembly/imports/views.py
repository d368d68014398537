"""The import pages, for administrators: the batches (/settings/imports/), then for a new import
the upload, the column mapping with sample rows, the preview, and apply; undo of a batch.

The uploaded file waits between the steps in a pending batch (ImportFile, in the database that
every web process shares); each step plans again from it, so that no page trusts an earlier one:
apply compares the plan it is about to write with the preview the person saw.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assembly.permissions import administrator_required

from . import engine
from .formats import FileRefused
from .forms import MappingForm, UploadForm
from .models import ImportBatch

# The preview shows this many rows of each list; the errors' CSV holds them all.
SHOWN_ROWS = 200
SAMPLE_ROWS = 3


def _importer(kind):
    importer = engine.importer_for(kind)
    if importer is None:
        raise Http404
    return importer


def _batch(pk, **filters):
    return get_object_or_404(
        ImportBatch.objects.select_related("created_by", "undone_by"), pk=pk, **filters
    )


@administrator_required
@never_cache
def index(request):
    batches = Paginator(
        ImportBatch.objects.exclude(status=ImportBatch.Status.PENDING)
        .select_related("created_by", "undone_by")
        .order_by("-created_at", "-id"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/index.html",
        {"importers": engine.importers(), "batches": batches, "page_obj": batches},
    )


@administrator_required
@never_cache
def new(request, kind):
    importer = _importer(kind)
    form = UploadForm(request.POST or None, request.FILES or None, importer=importer)
    if request.method == "POST" and form.is_valid():
        engine.forget_abandoned()
        batch = engine.keep_pending(kind, form.uploads(), request.user)
        return redirect("imports:batch", pk=batch.pk)
    return render(request, "imports/new.html", {"importer": importer, "form": form})


def _samples(table) -> dict[str, list[str]]:
    samples = {column: [] for column in table.columns}
    for row in table.rows[:SAMPLE_ROWS]:
        for column in table.columns:
            value = row.values.get(column)
            if value not in (None, "", [], {}):
                samples[column].append(engine._cell(value)[:60])
    return samples


def _plan_of(batch):
    """(plan or None, the refusal or None, the mapping form or None) for a pending batch."""
    importer = _importer(batch.kind)
    uploads = engine.uploads_of(batch)
    try:
        the_plan = engine.plan(batch.kind, uploads, batch.mapping or None)
    except engine.MappingIncomplete as incomplete:
        form = MappingForm(
            importer=importer,
            columns=incomplete.table.columns,
            mapping=incomplete.mapping,
            samples=_samples(incomplete.table),
        )
        return None, incomplete.message, form
    except FileRefused as refusal:
        return None, refusal.message, None
    form = None
    if importer.mappable:
        form = MappingForm(
            importer=importer,
            columns=the_plan.table.columns,
            mapping=the_plan.mapping,
            samples=_samples(the_plan.table),
        )
    return the_plan, None, form


@administrator_required
@never_cache
def batch(request, pk):
    the_batch = _batch(pk)
    importer = _importer(the_batch.kind)
    context = {"batch": the_batch, "importer": importer}
    if the_batch.status == ImportBatch.Status.PENDING:
        the_plan, refusal, form = _plan_of(the_batch)
        context.update(plan=the_plan, refusal=refusal, mapping_form=form)
        if the_plan is not None:
            context.update(
                errors=the_plan.errors[:SHOWN_ROWS],
                rows=[row for row in the_plan.rows if not row.is_error][:SHOWN_ROWS],
                shown_rows=SHOWN_ROWS,
            )
    return render(request, "imports/batch.html", context)


@administrator_required
@require_POST
def mapping(request, pk):
    the_batch = _batch(pk, status=ImportBatch.Status.PENDING)
    _plan, _refusal, form = _plan_of(the_batch)
    if form is None:
        return redirect("imports:batch", pk=pk)
    form = MappingForm(
        request.POST,
        importer=_importer(the_batch.kind),
        columns=form.columns,
        mapping={},
        samples={},
    )
    if form.is_valid():
        the_batch.mapping = form.mapping()
        the_batch.save(update_fields=["mapping"])
    else:
        messages.error(request, _("Choose a field among those offered for each column."))
    return redirect("imports:batch", pk=pk)


@administrator_required
@require_POST
def apply(request, pk):
    the_batch = _batch(pk, status=ImportBatch.Status.PENDING)
    the_plan, refusal, _form = _plan_of(the_batch)
    if the_plan is None:
        messages.error(request, refusal)
        return redirect("imports:batch", pk=pk)
    if request.POST.get("expected") != the_plan.summary_line:
        messages.error(
            request,
            _("The entries changed since the preview was made: look at it again, then apply."),
        )
        return redirect("imports:batch", pk=pk)
    skip_errors = request.POST.get("skip_errors") == "1"
    try:
        engine.apply(the_plan, request.user, skip_errors=skip_errors, batch=the_batch)
    except (engine.ImportRefused, FileRefused) as refusal:
        messages.error(request, refusal.message)
        return redirect("imports:batch", pk=pk)
    messages.success(request, _("Imported: %s.") % the_plan.summary_line)
    return redirect("imports:batch", pk=pk)


@administrator_required
@never_cache
def errors_csv(request, pk):
    the_batch = _batch(pk, status=ImportBatch.Status.PENDING)
    the_plan, _refusal, _form = _plan_of(the_batch)
    if the_plan is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="import-errors-{the_batch.kind}-{stamp}.csv"'
    )
    response.write("\ufeff")  # a BOM, so spreadsheets read the accents as UTF-8
    response.write(engine.errors_csv(the_plan))
    return response


@administrator_required
@require_POST
def undo(request, pk):
    the_batch = _batch(pk, status=ImportBatch.Status.APPLIED)
    try:
        engine.undo(the_batch, request.user)
    except engine.UndoRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The import of %s is undone.") % the_batch.file_name)
    return redirect("imports:batch", pk=pk)


@administrator_required
@require_POST
def abandon(request, pk):
    the_batch = _batch(pk, status=ImportBatch.Status.PENDING)
    the_batch.delete()
    messages.success(request, _("Nothing was imported; the file is forgotten."))
    return redirect("imports:index")
