"""The charter history importer of the import engine (assembly/imports): the charter's earlier
versions, one Markdown file each (several files, or a zip of them), each with its adoption date in
its name (`2019-03-21-charte.md`) or on a `date:` line at its top (a YAML front matter's too).

They become the default charter's first versions, numbered in date order, marked "adopted before
Assemblée", with no decision and no invented vote; the newest is the current one. Only a charter
without versions takes them: version numbers never change, so once the charter has versions the
import is refused (or, for the very file imported before, finds every version unchanged).
Undoing the import is the one way a version is ever deleted, and only while nothing builds on the
versions (no later version, no amendment drafted from them).
"""

import datetime
import hashlib
import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assembly import imports
from assembly.imports import Field, FileRefused, Outcome, Row, RowPlan, Table
from assembly.imports.formats import decode, unpack
from assembly.models import forget_on_commit

from .models import CURRENT_VERSION_CACHE_KEY, Amendment, Charter, CharterVersion
from .services import _normalise, default_charter, ensure_default_charter

NAME_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})")
DATE_LINE = re.compile(r"^\s*date\s*:\s*(.+?)\s*$", re.IGNORECASE)
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
NOON = datetime.time(12)


def _split_date(name: str, text: str) -> tuple[str, str]:
    """(the date as written, the text without its front matter or `date:` line)."""
    lines = text.split("\n")
    date = ""
    if lines and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:]):
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
        for line in lines[1:end]:
            match = DATE_LINE.match(line)
            if match:
                date = match.group(1).strip("\"' ")
        lines = lines[end + 1 :]
    else:
        for index, line in enumerate(lines[:5]):
            match = DATE_LINE.match(line)
            if match:
                date = match.group(1).strip("\"' ")
                del lines[index]
                break
    match = NAME_DATE.match(name)
    if match and not date:
        date = match.group(1)
    return date, "\n".join(lines)


class CharterImporter(imports.Importer):
    kind = "charter"
    label = gettext_lazy("Charter history")
    description = gettext_lazy(
        "The charter's earlier versions: one Markdown file per version (several files, or a "
        "zip), each dated by its name (2019-03-21-charte.md) or a “date:” line at its top."
    )
    several_files = True
    mappable = False
    order = 50
    fields = (
        Field("file", gettext_lazy("file")),
        Field("date", gettext_lazy("adoption date"), required=True),
        Field("text", gettext_lazy("text (Markdown)"), required=True),
    )

    def read(self, uploads):
        rows = []
        for number, upload in enumerate(unpack(uploads), start=1):
            values = {"file": upload.name, "date": "", "text": ""}
            if not upload.name.lower().endswith(TEXT_SUFFIXES):
                values["__error"] = _("not a Markdown file (.md)")
            else:
                try:
                    values["date"], values["text"] = _split_date(
                        upload.name, decode(upload.content, upload.name)
                    )
                except FileRefused as refusal:
                    values["__error"] = str(refusal)
            rows.append(Row(line=number, values=values, source=upload.name))
        return Table(columns=["file", "date", "text"], rows=rows, format="files")

    def plan_rows(self, rows, plan):
        planned = []
        for row in rows:
            values = row.values
            problem, date, text = (
                values.get("__error", ""),
                None,
                _normalise(values.get("text", "")),
            )
            if not problem:
                try:
                    date = imports.parse_date(values.get("date"))
                except ValueError as error:
                    problem = (
                        str(error)
                        if values.get("date")
                        else _(
                            "no adoption date: name the file 2019-03-21-charte.md or start it "
                            "with a line “date: 2019-03-21”"
                        )
                    )
            if not problem and not text.strip():
                problem = _("the file holds no text")
            if not problem and date > timezone.localdate():
                problem = _("the adoption date %s is in the future") % date.isoformat()
            key = f"{date}:{hashlib.sha256(text.encode()).hexdigest()[:16]}" if date else ""
            planned.append(
                RowPlan(
                    row.line,
                    Outcome.ERROR if problem else Outcome.CREATE,
                    key=key,
                    label=values.get("file", ""),
                    reason=problem,
                    values={"file": values.get("file"), "date": values.get("date")},
                    source=row.source,
                    data=(date, text),
                )
            )
        dated = {}
        for row in planned:
            if row.outcome == Outcome.CREATE:
                date = row.data[0]
                if date in dated and row.key != dated[date].key:
                    row.outcome = Outcome.ERROR
                    row.reason = _(
                        "adopted the same day as %(other)s: which came first cannot be told"
                    ) % {"other": dated[date].label}
                dated.setdefault(date, row)
        return self._against_existing(planned)

    def _against_existing(self, planned):
        charter = default_charter()
        existing = list(
            CharterVersion.objects.filter(charter=charter).order_by("number") if charter else []
        )
        if not existing:
            return planned
        known = {
            (timezone.localtime(v.created_at).date(), v.text)
            for v in existing
            if v.adopted_before_assemblee
        }
        valid = [row for row in planned if row.outcome == Outcome.CREATE]
        if valid and all((row.data[0], row.data[1]) in known for row in valid):
            for row in valid:
                row.outcome = Outcome.UNCHANGED
            return planned
        raise FileRefused(
            ngettext(
                "The charter already has %(count)s version: its history can only be imported "
                "before its first version, since version numbers never change.",
                "The charter already has %(count)s versions: its history can only be imported "
                "before its first version, since version numbers never change.",
                len(existing),
            )
            % {"count": len(existing)}
        )

    def effects(self, plan):
        creating = sorted(
            (row for row in plan.rows if row.outcome == Outcome.CREATE), key=lambda r: r.data[0]
        )
        if not creating:
            return []
        return [
            ngettext(
                "%(count)s charter version created, adopted before Assemblée (no vote is "
                "invented); the newest, of %(date)s, becomes the current charter",
                "%(count)s charter versions created, adopted before Assemblée (no vote is "
                "invented); the newest, of %(date)s, becomes the current charter",
                len(creating),
            )
            % {"count": len(creating), "date": creating[-1].data[0].isoformat()}
        ]

    def apply_rows(self, plan, rows, recorder, by):
        charter = ensure_default_charter()
        charter = Charter.objects.select_for_update().get(pk=charter.pk)
        if CharterVersion.objects.filter(charter=charter).exists():
            raise imports.ImportRefused(_("The charter got a version meanwhile: nothing imported."))
        note = _("Adopted before Assemblée (imported history)")
        for number, row in enumerate(sorted(rows, key=lambda r: r.data[0]), start=1):
            date, text = row.data
            version = CharterVersion(
                charter=charter,
                number=number,
                text=text,
                # Noon, so that the date reads the same in every time zone near the assembly's.
                created_at=timezone.make_aware(datetime.datetime.combine(date, NOON)),
                note=note,
                adopted_before_assemblee=True,
            )
            version.save()
            recorder.created(row, version)

    def undo_refusals(self, batch):
        ids = list(batch.records.values_list("object_id", flat=True))
        versions = CharterVersion.objects.filter(pk__in=ids)
        charters = versions.values("charter")
        later = CharterVersion.objects.filter(charter__in=charters).exclude(pk__in=ids)
        drafted = Amendment.objects.filter(Q(base_version__in=ids) | Q(charter__in=charters))
        if later.exists() or drafted.exists():
            return [
                _(
                    "The charter changed since its history was imported (a new version or an "
                    "amendment builds on it): the imported versions stay."
                )
            ]
        return []

    def after_undo(self, batch):
        forget_on_commit(CURRENT_VERSION_CACHE_KEY)
