"""The mailing list an assembly kept before Assemblée (Lille's "info" list), brought in as
subscribers; the do-not-mail list; and the one-time notice owed to every imported address.

A list export is a CSV with an e-mail column (optional `name` and `status`), or a plain text file
with one address per line (`Name <address>` is read too). `plan_lines()` says per line what importing
would do and writes nothing; `apply_lines()` writes in the caller's transaction, sending nothing:

- an active address becomes a subscriber (source "import", the file's name, the date), unless it
  is on the do-not-mail list, already subscribed, or has an account of its own (then it hears
  about assemblies by its own choices);
- `unsubscribed` and `bounced` go to the do-not-mail list (models.DoNotMail), which no later
  import or subscription overrides; a subscriber of that address is removed.

Before anything else reaches an imported subscriber, `send_notices()` (an explicit action, run by
a task) sends them once the notice GDPR Art. 14 asks for: who we are, why they receive this, what
we keep and for how long, and a one-click unsubscribe. It is recorded per address (a subscriber
delivery row, claimed before sending), so running the action twice sends nothing twice; and the
announcement goes only to imported subscribers who were sent it (Subscriber.objects.receiving()).
"""

import dataclasses
from collections.abc import Iterable, Mapping
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from assembly import imports
from assembly.folding import fold
from assembly.imports import formats
from assembly.matching import clean_email, clean_name
from assembly.models import (
    IMPORT_NOTICE_KIND,
    AssemblyConfiguration,
    DoNotMail,
    Subscriber,
    Topic,
    User,
)

from . import topics
from .emails import render_email
from .subscriptions import deliver_to_subscribers

FIELDS = ("email", "name", "status")
NAME_MAX = Subscriber._meta.get_field("name").max_length
NOTICE_TOPIC = "import-notice"

CREATE, UPDATE, UNCHANGED, SKIP, ERROR = "create", "update", "unchanged", "skip", "error"

# The statuses list programs write (Mailchimp, Sympa, Framalistes, Brevo…), folded.
ACTIVE = {
    "",
    "active",
    "actif",
    "subscribed",
    "subscriber",
    "abonne",
    "inscrit",
    "confirmed",
    "confirme",
    "member",
    "membre",
    "ok",
}
UNSUBSCRIBED = {
    "unsubscribed",
    "unsubscribe",
    "desabonne",
    "desinscrit",
    "opted out",
    "opt-out",
    "optout",
    "removed",
    "retire",
}
BOUNCED = {
    "bounced",
    "bounce",
    "bouncing",
    "hard bounce",
    "cleaned",
    "rebond",
    "en erreur",
    "invalid",
    "invalide",
    "npai",
}
PENDING = {"pending", "unconfirmed", "en attente", "non confirme"}


def _status(text: str) -> str | None:
    value = " ".join(fold(text or "").split())
    for status, words in (
        ("active", ACTIVE),
        (DoNotMail.Reason.UNSUBSCRIBED, UNSUBSCRIBED),
        (DoNotMail.Reason.BOUNCED, BOUNCED),
        ("pending", PENDING),
    ):
        if value in words:
            return status
    return None


@dataclasses.dataclass
class Line:
    number: int
    outcome: str
    reason: str = ""
    email: str = ""
    name: str = ""
    status: str = "active"
    subscriber_id: int | None = None  # the existing subscriber an unsubscription removes

    @property
    def key(self) -> str:
        return f"email:{self.email}" if self.email and self.outcome != ERROR else ""


def plan_lines(lines: Iterable[tuple[int, Mapping[str, str]]]) -> list[Line]:
    """What importing these lines would do; three queries whatever the list's length."""
    lines = [
        (number, {field: str(cells.get(field) or "") for field in FIELDS})
        for number, cells in lines
    ]
    parsed = [_parse(number, cells) for number, cells in lines]
    emails = [line.email for line in parsed if line.email]
    blocked = _existing(DoNotMail.objects.all(), emails, "email")
    subscribers = dict(_existing(Subscriber.objects.all(), emails, "email", "pk"))
    accounts = {email for email, _active in _existing(User.objects.all(), emails, "email", "pk")}
    blocked = {email for email, *_rest in blocked}
    for line in parsed:
        if line.outcome == ERROR:
            continue
        if line.status == "active":
            if line.email in blocked:
                line.outcome = SKIP
                line.reason = _("On the do-not-mail list: never written to again.")
            elif line.email in subscribers:
                line.outcome = UNCHANGED
                line.reason = _("Already subscribed.")
            elif line.email in accounts:
                line.outcome = SKIP
                line.reason = _("Has an account: hears about assemblies by their own choices.")
            else:
                line.outcome = CREATE
        elif line.status == "pending":
            line.outcome = SKIP
            line.reason = _("Never confirmed on the former list: not imported.")
        elif line.email in blocked:
            line.outcome = UNCHANGED
            line.reason = _("Already on the do-not-mail list.")
        else:
            line.subscriber_id = subscribers.get(line.email)
            line.outcome = UPDATE if line.subscriber_id else CREATE
            line.reason = (
                _("Unsubscribed: added to the do-not-mail list.")
                if line.status == DoNotMail.Reason.UNSUBSCRIBED
                else _("Bounced: added to the do-not-mail list.")
            )
            if line.subscriber_id:
                line.reason += " " + _("Removed from the subscribers.")
    return parsed


def _existing(queryset, emails: list[str], *fields):
    """The rows of these addresses (case-insensitive), in batches that any database accepts."""
    found = []
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        found += [
            (row[0].lower(), *row[1:])
            for row in queryset.filter(email__in=chunk).values_list(*fields)
        ]
    return found


def _parse(number: int, cells: Mapping[str, str]) -> Line:
    raw = cells["email"].strip()
    display, address = parseaddr(raw) if "<" in raw else ("", raw)
    name = clean_name(cells["name"]) or clean_name(display)
    if not raw:
        return Line(number, ERROR, _("The e-mail address is missing."))
    try:
        email = clean_email(address)
    except ValueError:
        return Line(number, ERROR, _("“%(value)s” is not a valid e-mail address.") % {"value": raw})
    if len(name) > NAME_MAX:
        return Line(
            number, ERROR, _("The name is longer than %(max)s characters.") % {"max": NAME_MAX}
        )
    status = _status(cells["status"])
    if status is None:
        return Line(
            number,
            ERROR,
            _(
                "“%(value)s” is not a status this import knows: write subscribed, unsubscribed "
                "or bounced."
            )
            % {"value": cells["status"].strip()},
        )
    return Line(number, CREATE, "", email, name, status)


@dataclasses.dataclass
class Applied:
    subscribers: list[tuple[Line, Subscriber]]
    blocked: list[tuple[Line, DoNotMail]]
    removed: int


def apply_lines(lines: list[Line], *, source_name: str, now=None) -> Applied:
    """Write the lines to create or update (planned in the caller's transaction); no e-mail."""
    now = now or timezone.now()
    lines = [line for line in lines if line.outcome in (CREATE, UPDATE)]
    joining = [line for line in lines if line.status == "active"]
    leaving = [line for line in lines if line.status != "active"]
    subscribers = [
        Subscriber(
            email=line.email,
            name=line.name,
            source=Subscriber.Source.IMPORT,
            source_name=source_name[:200],
            created_at=now,
            language=settings.LANGUAGE_CODE,
        )
        for line in joining
    ]
    Subscriber.objects.bulk_create(subscribers, batch_size=1000)
    entries = [
        DoNotMail(
            email=line.email, reason=line.status, source_name=source_name[:200], recorded_at=now
        )
        for line in leaving
    ]
    DoNotMail.objects.bulk_create(entries, batch_size=1000)
    removed, _details = Subscriber.objects.filter(
        pk__in=[line.subscriber_id for line in leaving if line.subscriber_id]
    ).delete()
    return Applied(
        list(zip(joining, subscribers, strict=True)),
        list(zip(leaving, entries, strict=True)),
        removed,
    )


# --- The one-time notice -------------------------------------------------------------------------


def notice_due(subscribers=None):
    """Imported subscribers (without an account, not on the do-not-mail list) who were not sent
    the notice yet."""
    subscribers = Subscriber.objects.all() if subscribers is None else subscribers
    return (
        subscribers.filter(source=Subscriber.Source.IMPORT, person__isnull=True)
        .exclude(pk__in=Subscriber.objects.told().values("pk"))
        .exclude(email__in=DoNotMail.objects.values("email"))
    )


def _notice(subscriber: Subscriber):
    config = AssemblyConfiguration.current()
    context = {
        "assembly": config,
        "subscriber": subscriber,
        "imported_on": timezone.localtime(subscriber.created_at).date(),
    }
    message = render_email(subscriber, "assembly/email/import_notice", context)
    return topics.decorate(
        message, subscriber, Topic.ASSEMBLIES, topics.REASONS["imported_subscriber"]
    )


def send_notices(subscribers=None, *, now=None) -> dict:
    """Send the notice to each imported subscriber still owed it, once each (a delivery row per
    address, claimed before sending: a second run, or a second worker, sends nothing again).
    Call from a task or a command, never from a web request."""
    now = now or timezone.now()
    due = list(notice_due(subscribers).order_by("pk"))
    return deliver_to_subscribers(
        [(s, NOTICE_TOPIC, IMPORT_NOTICE_KIND, lambda s=s: _notice(s)) for s in due], now=now
    )


def export_entry(person) -> dict | None:
    """Whether the person's address is on the do-not-mail list, for their data export."""
    if not person.email:
        return None
    entry = DoNotMail.objects.filter(email__iexact=person.email).first()
    if entry is None:
        return None
    return {
        "email": entry.email,
        "reason": entry.reason,
        "recorded_at": timezone.localtime(entry.recorded_at).isoformat(),
    }


# --- The importer (assembly.imports) --------------------------------------------------------------


class SubscribersImporter(imports.Importer):
    """`manage.py import subscribers FILE` and /settings/imports/new/subscribers/."""

    kind = "subscribers"
    label = _lazy("Subscribers (a mailing list)")
    description = _lazy(
        "A mailing list's export: a CSV with an e-mail column (optional name and status: "
        "subscribed, unsubscribed, bounced), or a text file with one address per line. Nothing "
        "is sent: the notice to the people imported is a separate action."
    )
    fields = (
        imports.Field(
            "email",
            _lazy("e-mail address"),
            synonyms=(
                "courriel",
                "e-mail",
                "mail",
                "adresse",
                "adresse e-mail",
                "adresse email",
                "adresse électronique",
                "email address",
                "e-mail address",
            ),
            required=True,
        ),
        imports.Field(
            "name", _lazy("name"), synonyms=("nom", "full name", "nom complet", "display name")
        ),
        imports.Field(
            "status",
            _lazy("status"),
            synonyms=("statut", "état", "subscription status", "member status"),
            help=_lazy("subscribed (or empty), unsubscribed, bounced"),
        ),
    )
    order = 40

    def read(self, uploads):
        """A text file whose first line already holds an address has no header: one address
        per line (comment lines starting with # left out). Anything else is a CSV (or JSON)."""
        files = formats.unpack(uploads)
        if len(files) == 1 and not files[0].content.lstrip().startswith((b"{", b"[")):
            text = formats.decode(files[0].content, files[0].name)
            first = next((line for line in text.splitlines() if line.strip()), "")
            if "@" in first:
                table = formats.lines_table(text, "email")
                table.rows = [row for row in table.rows if not row.values["email"].startswith("#")]
                return table
        return super().read(uploads)

    def plan_rows(self, rows, plan):
        planned = plan_lines([(row.line, row.values) for row in rows])
        return [
            imports.RowPlan(
                line=line.number,
                outcome=line.outcome,
                key=line.key,
                label=line.email,
                reason=line.reason,
                values=row.values,
                source=row.source,
                data=line,
            )
            for row, line in zip(rows, planned, strict=True)
        ]

    def effects(self, plan):
        creating = [row.data for row in plan.rows if row.outcome in (CREATE, UPDATE)]
        joining = sum(1 for line in creating if line.status == "active")
        leaving = len(creating) - joining
        return [
            ngettext(
                "%(count)s subscriber added (nothing reaches them before the notice)",
                "%(count)s subscribers added (nothing reaches them before the notice)",
                joining,
            )
            % {"count": joining},
            ngettext(
                "%(count)s address added to the do-not-mail list",
                "%(count)s addresses added to the do-not-mail list",
                leaving,
            )
            % {"count": leaving},
        ]

    def apply_rows(self, plan, rows, recorder, by):
        by_line = {id(row.data): row for row in rows}
        applied = apply_lines([row.data for row in rows], source_name=plan.file_name, now=plan.now)
        for line, subscriber in applied.subscribers:
            recorder.created(by_line[id(line)], subscriber)
        for line, entry in applied.blocked:
            recorder.created(by_line[id(line)], entry)
