"""manage.py import KIND FILE [FILE…]: the import engine on the command line (assembly/imports/).

Prints each row's outcome, the side effects, then a last line exactly
`created=N updated=N unchanged=N skipped=N errors=N`. Exit 0 when applied (with --dry-run: when it
would apply), 1 when refused: a file that cannot be read, or error rows without --skip-errors.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assembly import imports
from assembly.imports import engine
from assembly.imports.formats import FileRefused, Upload, check_size
from assembly.models import User

SUMMARY_ZERO = "created=0 updated=0 unchanged=0 skipped=0 errors=0"


class Command(BaseCommand):
    help = (
        "Import a file of the given kind (commons, attendance, people, subscribers, charter). "
        "Nothing is written when a row has an error, unless --skip-errors; re-importing the "
        "same file changes nothing. Never sends an e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="What the file holds: " + ", ".join(_kinds()))
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Show the plan, write nothing.")
        parser.add_argument(
            "--skip-errors", action="store_true", help="Import the valid rows, leave the others."
        )
        parser.add_argument(
            "--map",
            action="extend",
            nargs="+",
            default=[],
            metavar="COLUMN=FIELD",
            help="Read COLUMN as FIELD (COLUMN= leaves it out). Put it after the files.",
        )
        parser.add_argument("--by", metavar="EMAIL", help="The administrator recorded as importer.")

    def handle(self, *args, kind, files, dry_run, skip_errors, map, by, **options):
        try:
            mapping = _mapping(map)
            person = _person(by)
            uploads = [_upload(path) for path in files]
            the_plan = imports.plan(kind, uploads, mapping)
        except FileRefused as refusal:
            self.stdout.write(SUMMARY_ZERO)
            message = str(refusal)
            if isinstance(refusal, engine.MappingIncomplete):
                columns = ", ".join(refusal.table.columns)
                message += " " + _("The file's columns: %(columns)s; give --map COLUMN=FIELD.") % {
                    "columns": columns
                }
            raise CommandError(message, returncode=1) from refusal
        for row in the_plan.rows:
            self.stdout.write(_row_line(row))
        for effect in the_plan.effects:
            self.stdout.write(f"# {effect}")
        refused = bool(the_plan.errors) and not skip_errors
        if refused:
            self.stdout.write(the_plan.summary_line)
            raise CommandError(
                _("%(count)s row(s) with errors: nothing imported. Fix them or pass --skip-errors.")
                % {"count": len(the_plan.errors)},
                returncode=1,
            )
        if dry_run:
            self.stdout.write(the_plan.summary_line)
            return
        try:
            batch = imports.apply(the_plan, person, skip_errors=skip_errors)
        except (imports.ImportRefused, FileRefused) as refusal:
            self.stdout.write(the_plan.summary_line)
            raise CommandError(str(refusal), returncode=1) from refusal
        self.stdout.write(batch.summary_line)


def _kinds() -> list[str]:
    return ["commons", "attendance", "people", "subscribers", "charter"]


def _row_line(row: engine.RowPlan) -> str:
    where = f"{row.source}:{row.line}" if row.source else str(row.line)
    text = f"{where}: {row.outcome}"
    if row.label:
        text += f" {row.label}"
    if row.reason:
        text += f" ({row.reason})"
    return text


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise FileRefused(_("--map takes COLUMN=FIELD, not “%s”.") % pair)
        column, field = pair.split("=", 1)
        mapping[column.strip()] = field.strip()
    return mapping


def _person(email):
    if not email:
        return None
    person = User.objects.filter(email__iexact=email.strip()).first()
    if person is None or not (person.is_superuser or person.is_staff):
        raise FileRefused(_("--by names no administrator: %s") % email)
    return person


def _upload(path: Path) -> Upload:
    try:
        check_size(path.stat().st_size)  # before reading a 50 MB file into memory
        return Upload(path.name, path.read_bytes())
    except OSError as error:
        raise FileRefused(
            _("%(file)s cannot be read: %(error)s") % {"file": path, "error": error.strerror}
        ) from error
