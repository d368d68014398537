"""The moving-in checklist: what a new assembly still has to bring in, shown to administrators on
home and /settings/ until every item is done or an administrator puts it away.

Each item is done when its step was taken: the set-up finished, a facilitator named or invited,
an import of that kind applied (assembly/imports, when that engine is installed; without it, the
rows such an import would have made: a commons, an attendance, a subscriber, a charter version).
"""

import dataclasses

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from assembly import permissions
from assembly.models import (
    FACILITATORS_GROUP,
    AssemblyConfiguration,
    FacilitatorInvitation,
    Subscriber,
    User,
)
from charter.models import CharterVersion
from commons_registry.models import Commons
from workshops.models import Attendance


def imports_url() -> str | None:
    """/settings/imports/ (URL contract), or None while the import engine is not installed."""
    try:
        return reverse("imports:index")
    except NoReverseMatch:
        return None


def import_url(kind: str) -> str | None:
    try:
        return reverse("imports:new", kwargs={"kind": kind})
    except NoReverseMatch:
        return None


@dataclasses.dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    url: str | None


def _applied_import_kinds() -> set[str] | None:
    """The kinds of the applied imports; None when the import engine is not installed here."""
    try:
        batch = apps.get_model("assembly", "ImportBatch")
    except LookupError:
        return None
    return set(batch.objects.filter(status="applied").values_list("kind", flat=True).distinct())


def items(config: AssemblyConfiguration) -> list[Item]:
    """With the import engine, an import item is done once an import of its kind was applied
    (the demo's own data, made by seed_demo, does not count); without it, once the data exists."""
    imported = _applied_import_kinds()
    has_facilitator = (
        User.objects.filter(groups__name=FACILITATORS_GROUP).exists()
        or FacilitatorInvitation.objects.exists()
    )

    def brought_in(kind, data) -> bool:
        return kind in imported if imported is not None else data.exists()

    return [
        Item(
            "setup", _("Set the assembly up"), config.set_up_at is not None, reverse("setup:index")
        ),
        Item(
            "facilitators",
            _("Invite facilitators"),
            has_facilitator,
            reverse("settings:facilitators"),
        ),
        Item(
            "commons",
            _("Import the commons"),
            brought_in("commons", Commons.objects.all()),
            import_url("commons"),
        ),
        Item(
            "history",
            _("Import past attendance"),
            brought_in("attendance", Attendance.objects.all()),
            import_url("attendance"),
        ),
        Item(
            "people",
            _("Import people"),
            brought_in("people", User.objects.filter(is_staff=False, is_superuser=False)),
            import_url("people"),
        ),
        Item(
            "subscribers",
            _("Import the mailing list's subscribers"),
            brought_in("subscribers", Subscriber.objects.all()),
            import_url("subscribers"),
        ),
        Item(
            "charter",
            _("Import the charter's history"),
            brought_in("charter", CharterVersion.objects.all()),
            import_url("charter"),
        ),
    ]


def checklist_for(user) -> list[Item] | None:
    """The checklist to show this person, or None: administrators only, until it is dismissed
    or every item is done."""
    if not permissions.is_administrator(user):
        return None
    config = AssemblyConfiguration.current()
    if config.checklist_dismissed_at is not None:
        return None
    found = items(config)
    if all(item.done for item in found):
        return None
    return found
