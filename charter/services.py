"""The charter's rules: importing a first version, proposing an amendment through a charter-change
decision, creating the new version when that decision is adopted (merged three-way if another
version came first), and resolving the amendments that could not be merged.

No text is ever lost: versions are immutable, and an amendment keeps its proposed text whatever
becomes of it.
"""

import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.domain import DomainError
from assembly.page_cache.versioning import kept_row
from assembly.prepared import prepared
from decisions import services as decision_services
from decisions.models import Decision

from .diffs import three_way_merge
from .models import (
    CURRENT_VERSION_CACHE_KEY,
    DEFAULT_SLUG,
    DEFAULT_TITLE,
    Amendment,
    Charter,
    CharterVersion,
)

logger = logging.getLogger(__name__)


class CharterError(DomainError):
    """A rule of the charter refused an action; the message is for a person to read."""


def _now(now):
    return now or timezone.now()


def default_charter() -> Charter | None:
    return Charter.objects.default().first()


def ensure_default_charter() -> Charter:
    charter, _created = Charter.objects.get_or_create(
        slug=DEFAULT_SLUG, defaults={"title": DEFAULT_TITLE}
    )
    return charter


# What the default charter's current version, as kept, reads (its charter, its decision).
CURRENT_VERSION_TABLES = (
    CharterVersion._meta.db_table,
    Charter._meta.db_table,
    Decision._meta.db_table,
)


def current_version(charter: Charter | None = None, *, versions=None) -> CharterVersion | None:
    """The charter's newest version (the default charter's when none is given), or None.

    The default charter's is kept per version of the tables it reads in this process (the home
    page shows it on every request; `versions`, when the request read them already): any write —
    a new version, the charter renamed, the adopting decision edited, however it is made — is
    seen at the next request.
    """
    if charter is not None:
        return (
            CharterVersion.objects.select_related("charter", "decision")
            .filter(charter=charter)
            .order_by("-number")
            .first()
        )
    return kept_row(
        CURRENT_VERSION_CACHE_KEY,
        lambda: next(iter(_default_current_version()), None),
        tables=CURRENT_VERSION_TABLES,
        versions=versions,
    )


# Home reads it at every first view after a write: built and compiled once (assembly/prepared.py).
@prepared()
def _default_current_version():
    return (
        CharterVersion.objects.select_related("charter", "decision")
        .filter(charter__slug=DEFAULT_SLUG)
        .order_by("-number")[:1]
    )


def _normalise(text: str) -> str:
    """Browsers send \r\n; versions keep \n so that diffs show only real changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"


def _create_version(charter: Charter, *, text: str, now, decision=None, note="") -> CharterVersion:
    """The next version of a charter. The caller holds the charter's row lock, which orders the
    numbers; the unique constraint would refuse a duplicate anyway."""
    last = CharterVersion.objects.filter(charter=charter).aggregate(last=Max("number"))["last"]
    version = CharterVersion(
        charter=charter,
        number=(last or 0) + 1,
        text=text,
        created_at=now,
        decision=decision,
        note=note[:300],
    )
    version.save()
    return version


def import_charter(charter: Charter, *, text: str, note: str = "", now=None) -> CharterVersion:
    """An existing charter, pasted as Markdown, becomes version 1 of a charter without versions."""
    now = _now(now)
    if not text.strip():
        raise CharterError(_("Paste the text of the charter."))
    with transaction.atomic():
        locked = Charter.objects.select_for_update().get(pk=charter.pk)
        if CharterVersion.objects.filter(charter=locked).exists():
            raise CharterError(
                _(
                    "This charter already has versions: it now changes only by a charter-change "
                    "decision."
                )
            )
        return _create_version(
            locked, text=_normalise(text), now=now, note=note or _("Imported charter")
        )


def propose_amendment(
    *,
    author,
    base_version: CharterVersion,
    title: str,
    summary: str,
    proposed_text: str,
    rationale: str,
    now=None,
) -> Amendment:
    """Open a charter-change decision carrying the proposed full text, drafted from base_version."""
    now = _now(now)
    proposed_text = _normalise(proposed_text)
    if proposed_text == _normalise(base_version.text):
        raise CharterError(
            _(
                "The proposed text is the same as version %(number)s: change "
                "something before proposing it."
            )
            % {"number": base_version.number}
        )
    if not summary.strip():
        raise CharterError(_("Describe the change in a sentence or two."))
    proposal = summary.strip()
    if rationale.strip():
        proposal += "\n\n" + _("Why:") + "\n\n" + rationale.strip()
    context = _(
        "This discussion proposes a change to the %(charter)s, drafted from version %(number)s. "
        "The difference with that version is shown below; if it is adopted, the new text "
        "becomes the next version of the charter."
    ) % {"charter": base_version.charter.title, "number": base_version.number}
    with transaction.atomic():
        try:
            decision = decision_services.open_discussion(
                author=author,
                title=title,
                kind=Decision.Kind.CHARTER_CHANGE,
                context=context,
                proposal=proposal,
                now=now,
            )
        except decision_services.DecisionError as error:
            raise CharterError(error.message) from error
        return Amendment.objects.create(
            decision=decision,
            charter=base_version.charter,
            base_version=base_version,
            proposed_text=proposed_text,
            rationale=rationale.strip(),
        )


def apply_adopted_amendment(decision: Decision, now) -> None:
    """The effect of an adopted charter-change decision, run inside the transaction of the close.

    The amendment becomes the next version as it is when nothing was adopted since its base; it is
    merged three-way when another version came first and the merge is clean; otherwise it is kept
    as a conflict for facilitators to resolve, and the decision's outcome statement says so.
    """
    # Lock the amendment row only; the charter's row lock below is what orders the versions.
    amendment = (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("base_version")
        .filter(decision=decision)
        .first()
    )
    if amendment is None:
        logger.info("Charter-change decision %s carries no amendment: no new version", decision.pk)
        return
    if amendment.status != Amendment.Status.PENDING:
        return  # already applied: the effect is idempotent
    charter = Charter.objects.select_for_update().get(pk=amendment.charter_id)
    current = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
    base = amendment.base_version
    if current.pk == base.pk:
        text, status = amendment.proposed_text, Amendment.Status.APPLIED
        note = _("Adopted by decision: %(title)s") % {"title": decision.title}
    else:
        text = three_way_merge(base.text, amendment.proposed_text, current.text)
        status = Amendment.Status.MERGED
        note = _("Adopted by decision: %(title)s (merged with version %(number)s)") % {
            "title": decision.title,
            "number": current.number,
        }
    if text is None:
        amendment.status = Amendment.Status.CONFLICT
        amendment.save(update_fields=["status"])
        statement = _(
            "Adopted — conflict: version %(current)s of the charter was adopted after this "
            "amendment was drafted from version %(base)s, and the two changes cannot be merged "
            "automatically. Facilitators will write the merged text, which will become the next "
            "version; the proposed text is kept."
        ) % {"current": current.number, "base": base.number}
        decision.outcome_statement = "\n\n".join(
            part for part in (decision.outcome_statement.strip(), statement) if part
        )
        return
    version = _create_version(charter, text=text, now=now, decision=decision, note=note)
    amendment.status = status
    amendment.resulting_version = version
    amendment.save(update_fields=["status", "resulting_version"])


def resolve_conflict(
    amendment: Amendment, *, by, text: str, note: str = "", now=None
) -> CharterVersion:
    """A facilitator writes the merged text of an adopted amendment that was in conflict."""
    now = _now(now)
    if by is None or not by.is_facilitator:
        raise CharterError(_("Only facilitators can resolve a conflict."))
    if not text.strip():
        raise CharterError(_("Write the merged text of the charter."))
    with transaction.atomic():
        locked = (
            Amendment.objects.select_for_update(of=("self",))
            .select_related("decision")
            .get(pk=amendment.pk)
        )
        if locked.status != Amendment.Status.CONFLICT:
            raise CharterError(_("This amendment is not waiting for a resolution."))
        charter = Charter.objects.select_for_update().get(pk=locked.charter_id)
        version = _create_version(
            charter,
            text=_normalise(text),
            now=now,
            decision=locked.decision,
            note=note.strip()
            or _("Adopted by decision: %(title)s (conflict resolved by %(person)s)")
            % {"title": locked.decision.title, "person": by},
        )
        locked.status = Amendment.Status.RESOLVED
        locked.resulting_version = version
        locked.resolved_by = by
        locked.save(update_fields=["status", "resulting_version", "resolved_by"])
    amendment.status, amendment.resulting_version = locked.status, version
    return version
