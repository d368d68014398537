"""One identity per person: merging two people into the one kept, driven by a registry.

Like the personal-data registry (assembly/personal_data.py), each app registers from its
AppConfig.ready() how its rows follow a merge: one `register_merge(model, field, ...)` per foreign
key to the person (history, many-to-many and third-party models too). A test lists every such field
and fails when one is not registered, so a new model cannot be forgotten. The merge service lives
here, at the foot of the chain, and never imports the apps on its right: they register
`register_check` (a reason to refuse) and `register_after` (work once the rows moved, such as the
membership recompute).

The rule for rows that must stay unique (two sign-ups to one workshop, two attendance rows at one
meeting, one stewardship twice…): **the kept person's row wins and the merged person's duplicate is
deleted** (for a one-to-one, the kept person's row when they have one), unless the app registers its own `move` (decisions do, for votes on a frozen roll).
"""

import dataclasses
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain import DomainError
from .models import MergeLog, User


class MergeError(DomainError):
    """The merge was refused; the message says why, for the facilitator who asked."""


@dataclasses.dataclass(frozen=True)
class Mover:
    """How the rows of `model` whose `field` points at the merged person follow the merge."""

    model: type
    field: str
    # The other fields that, with `field`, must stay unique: where the kept person already has a
    # row with the same values, the merged person's row is deleted (the kept person's row wins).
    unique_with: tuple[str, ...] = ()
    # A custom move (kept, merged) -> number of rows moved, for rules the default cannot express.
    move: Callable[[object, object], int] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.model._meta.label, self.field)

    def rows_of(self, person):
        return self.model._default_manager.filter(**{self.field: person})

    def run(self, kept, merged) -> int:
        if self.move is not None:
            return self.move(kept, merged)
        return move_rows(self.model, self.field, kept, merged, unique_with=self.unique_with)


_MOVERS: dict[tuple[str, str], Mover] = {}
_CHECKS: list[Callable[[object, object], str | None]] = []
_AFTER: list[Callable[[object], None]] = []


def register_merge(
    model: type,
    field: str,
    *,
    unique_with: Iterable[str] = (),
    move: Callable[[object, object], int] | None = None,
) -> None:
    """Say how `model.field` (a foreign key to the person) follows a merge."""
    mover = Mover(model, field, tuple(unique_with), move)
    _MOVERS[mover.key] = mover


def register_check(check: Callable[[object, object], str | None]) -> None:
    """A rule that may refuse a merge: check(kept, merged) returns the reason, or None."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def register_after(after: Callable[[object], None]) -> None:
    """Work to do for the kept person once every row moved, in the merge's transaction."""
    if after not in _AFTER:
        _AFTER.append(after)


def movers() -> list[Mover]:
    return list(_MOVERS.values())


def move_rows(model, field: str, kept, merged, *, unique_with: Iterable[str] = ()) -> int:
    """Point `model.field` of the merged person's rows at the kept person. Where the kept person
    already holds a row with the same `unique_with` values, the merged person's row is deleted."""
    unique_with = tuple(unique_with)
    manager = model._default_manager
    theirs = manager.filter(**{field: merged})
    if model._meta.get_field(field).unique:
        # A one-to-one: the kept person's row, when there is one, is the one.
        if manager.filter(**{field: kept}).exists():
            theirs.delete()
            return 0
    elif unique_with:
        ours = set(manager.filter(**{field: kept}).values_list(*unique_with))
        duplicates = [
            row[0] for row in theirs.values_list("pk", *unique_with) if tuple(row[1:]) in ours
        ]
        if duplicates:
            manager.filter(pk__in=duplicates).delete()
    return theirs.update(**{field: kept})


def preview(kept, merged) -> list[tuple[str, int]]:
    """What would move: (what, how many) for each kind of row the merged person holds."""
    found: dict[str, int] = {}
    for mover in movers():
        if mover.model._meta.auto_created or "historical" in mover.model._meta.model_name:
            name = _("%(model)s (%(field)s)") % {
                "model": mover.model._meta.verbose_name,
                "field": mover.field,
            }
        else:
            name = str(mover.model._meta.verbose_name_plural)
        count = mover.rows_of(merged).count()
        if count:
            found[name] = found.get(name, 0) + count
    return sorted(found.items())


def refusals(kept, merged) -> list[str]:
    """Every reason the merge cannot be done; empty when it can."""
    if kept.pk == merged.pk:
        return [_("A person cannot be merged with themselves.")]
    return [reason for check in _CHECKS if (reason := check(kept, merged))]


def merge_people(kept, merged, *, by, now=None):
    """Move everything of `merged` to `kept`, delete `merged`, and log it. Returns the log row.

    The kept person keeps their profile; they take the merged person's e-mail when they have none,
    and the earlier membership declaration of the two. Refused (MergeError) when a registered
    check says no, e.g. both people voted on one frozen roll.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = {
            person.pk: person
            for person in User.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
        }
        if len(locked) != 2:
            raise MergeError(_("One of these people no longer exists."))
        kept, merged = locked[kept.pk], locked[merged.pk]
        reasons = refusals(kept, merged)
        if reasons:
            raise MergeError(" ".join(reasons))
        moved = {}
        for mover in movers():
            count = mover.run(kept, merged)
            if count:
                moved[".".join(mover.key)] = count
        log = MergeLog.objects.create(
            by=by,
            kept=kept,
            merged_id=merged.pk,
            merged_display_name=merged.display_name,
            merged_email=merged.email or "",
            merged_at=now,
            moved=moved,
        )
        email = merged.email
        declared = [d for d in (kept.membership_declared_at, merged.membership_declared_at) if d]
        merged.delete()
        if not kept.email and email:
            kept.email = email
        kept.membership_declared_at = min(declared) if declared else None
        kept.save(update_fields=["email", "membership_declared_at"])
        for after in _AFTER:
            after(kept)
    return log
