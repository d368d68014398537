"""The commons importer of the import engine (assembly/imports): a spreadsheet of commons (CSV with
its columns mapped), a GeoJSON FeatureCollection (our own export among them), or the JSON export
of a GoGoCarto map (Transiscope and the French commons maps: elements with `name`,
`geo.latitude`/`geo.longitude` or `lat`/`lng`, `categories`, `address` as text or as an object,
`description`, `website`, `email`).

A row's key is its source id (`external_id`, GoGoCarto's `id`) when it has one, else its slug
(given, or made from the name); an entry is found by its external id first, then by its slug, so
importing the same file again finds every row unchanged. Imported entries are published (an
administrator imports them). Rows without coordinates are kept, and listed as not on the map.
An unknown category files the entry under "Autre", and the preview says so.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assembly import imports
from assembly.domain import FORMULA_STARTS
from assembly.folding import fold
from assembly.imports import Field, Outcome, RowPlan

from .models import Category, Commons

FALLBACK_CATEGORY = "autre"
# Written as they are: the other columns need reading (category, numbers, status).
TEXT_FIELDS = (
    "name", "summary", "description", "resource", "community", "governance", "website",
    "contact_email", "licence",
)  # fmt: skip
STATUS_WORDS = {
    "active": Commons.Status.ACTIVE, "actif": Commons.Status.ACTIVE, "actives": Commons.Status.ACTIVE,
    "dormant": Commons.Status.DORMANT, "en sommeil": Commons.Status.DORMANT,
    "ended": Commons.Status.ENDED, "termine": Commons.Status.ENDED, "ferme": Commons.Status.ENDED,
}  # fmt: skip
SUMMARY_LENGTH = Commons._meta.get_field("summary").max_length


def _text(value) -> str:
    """A cell as text; a list (GoGoCarto's) joined; the apostrophe our CSV export writes before a
    formula-like cell taken off again, so that an export imports back unchanged."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(_text(item) for item in value if not isinstance(item, dict | list))
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _decimal(value) -> Decimal | None:
    text = _text(value).replace(",", ".")
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%s” is not a number") % text[:40]) from None
    if not number.is_finite():
        raise ValueError(_("“%s” is not a number") % text[:40])
    return number.quantize(Decimal("0.000001"))


class _Categories:
    def __init__(self):
        self.by_key = {}
        for category in Category.objects.all():
            self.by_key[fold(category.slug)] = category
            self.by_key[fold(category.name)] = category
        self.fallback = self.by_key.get(FALLBACK_CATEGORY)

    def find(self, value) -> Category | None:
        """The first known category among the value's (a list from GoGoCarto, or one text)."""
        candidates = value if isinstance(value, list) else [value]
        for candidate in candidates:
            if isinstance(candidate, dict):  # GoGoCarto's categoriesFull: {"name": …}
                candidate = candidate.get("name")
            text = _text(candidate)
            found = self.by_key.get(fold(text)) or self.by_key.get(fold(slugify(text)))
            if found:
                return found
        return None


class CommonsImporter(imports.Importer):
    kind = "commons"
    label = gettext_lazy("Commons")
    description = gettext_lazy(
        "A spreadsheet saved as CSV (one commons per row), a GeoJSON file, or the JSON export "
        "of a GoGoCarto map (Transiscope)."
    )
    order = 10
    fields = (
        Field("name", gettext_lazy("name"), ("nom", "titre", "title"), required=True),
        Field(
            "external_id",
            gettext_lazy("source id"),
            ("id", "identifiant", "source id", "external id", "gogo id"),
        ),
        Field("slug", gettext_lazy("address on this site (slug)")),
        Field(
            "category",
            gettext_lazy("category"),
            ("catégorie", "catégories", "categories", "categoriesFull", "type", "thème", "theme"),
        ),
        Field("status", gettext_lazy("status (active, dormant, ended)"), ("statut", "état")),
        Field(
            "summary",
            gettext_lazy("summary"),
            ("résumé", "resume", "description courte", "short description", "descriptionShort"),
        ),
        Field("description", gettext_lazy("description"), ("descriptionMore", "présentation")),
        Field("resource", gettext_lazy("resource"), ("ressource", "ressources", "resources")),
        Field("community", gettext_lazy("community"), ("communauté", "communaute")),
        Field("governance", gettext_lazy("governance"), ("gouvernance",)),
        Field(
            "address",
            gettext_lazy("address"),
            ("adresse", "address.customFormatedAddress", "full address", "adresse complète"),
        ),
        Field("street", gettext_lazy("street"), ("rue", "address.streetAddress", "voie")),
        Field("postcode", gettext_lazy("postcode"), ("code postal", "cp", "address.postalCode")),
        Field(
            "locality",
            gettext_lazy("town"),
            ("ville", "commune", "city", "town", "address.addressLocality"),
        ),
        Field("latitude", gettext_lazy("latitude"), ("lat", "geo.latitude", "y")),
        Field("longitude", gettext_lazy("longitude"), ("lng", "lon", "long", "geo.longitude", "x")),
        Field(
            "website", gettext_lazy("website"), ("site", "site web", "site internet", "web", "www")
        ),
        Field(
            "contact_email",
            gettext_lazy("contact e-mail"),
            ("email", "e-mail", "courriel", "mail", "contact"),
        ),
        Field("licence", gettext_lazy("licence"), ("license",)),
        Field(
            "founded_year",
            gettext_lazy("founding year"),
            ("année de création", "annee", "founded", "création", "creation"),
        ),
    )

    def plan_rows(self, rows, plan):
        categories = _Categories()
        names = [_text(row.values.get("name")) for row in rows]
        external_ids = [_text(r.values.get("external_id")) for r in rows]
        slugs = [
            _text(r.values.get("slug")) or slugify(name)[:200]
            for r, name in zip(rows, names, strict=True)
        ]
        by_external_id = {
            c.external_id: c
            for c in Commons.objects.filter(external_id__in=[e for e in external_ids if e])
        }
        by_slug = {c.slug: c for c in Commons.objects.filter(slug__in=[s for s in slugs if s])}
        taken_slugs = set(by_slug)
        plan.state["fallback"] = []
        plan.state["not_on_map"] = []
        return [
            self._plan_row(row, categories, by_external_id, by_slug, taken_slugs, plan)
            for row in rows
        ]

    def _plan_row(self, row, categories, by_external_id, by_slug, taken_slugs, plan):
        values = row.values
        problems, notes = [], []
        name = _text(values.get("name"))
        external_id = _text(values.get("external_id"))[:100] or None
        slug = _text(values.get("slug")) or slugify(name)[:200]
        key = f"external_id:{external_id}" if external_id else f"slug:{slug}"
        commons = by_external_id.get(external_id) if external_id else None
        if commons is None and slug in by_slug:
            found = by_slug[slug]
            if external_id and found.external_id and found.external_id != external_id:
                # Another source's entry holds this address: this one gets its own.
                slug = _free_slug(slug, taken_slugs)
            else:
                commons = found
        is_new = commons is None
        if is_new:
            if slug and slug in taken_slugs:
                slug = _free_slug(slug, taken_slugs)  # an earlier row of the file took it
            commons = Commons(
                state=Commons.State.PUBLISHED, last_confirmed_at=plan.now, slug=slug or ""
            )
            if slug:
                taken_slugs.add(slug)

        changes = {field: _text(values[field]) for field in TEXT_FIELDS if field in values}
        website = changes.get("website", "")
        if website and "://" not in website and "." in website and " " not in website:
            changes["website"] = f"https://{website}"  # "www.example.org", as maps often write
        if not changes.get("summary") and (is_new or "summary" in values):
            # GoGoCarto elements have a description and no summary: its start serves as one.
            text = changes.get("description") or ""
            changes["summary"] = Truncator(" ".join(text.split())).chars(SUMMARY_LENGTH)
        if external_id:
            changes["external_id"] = external_id
        address = _address(values)
        if address is not None:
            changes["address"] = address
        if "category" in values or is_new:
            category = categories.find(values.get("category", ""))
            if category is None:
                given = _text(values.get("category"))
                if categories.fallback is None:
                    problems.append(_("unknown category “%s”") % given[:60])
                else:
                    category = categories.fallback
                    if is_new or commons.category_id != category.pk:
                        notes.append(
                            _("category “%(given)s” unknown: filed under %(category)s")
                            % {"given": given[:60], "category": category.name}
                        )
                        plan.state["fallback"].append(name)
            if category is not None:
                changes["category_id"] = category.pk
        status = fold(_text(values.get("status")))
        if status:
            if status in STATUS_WORDS:
                changes["status"] = STATUS_WORDS[status]
            else:
                problems.append(_("status must be one of: %s") % ", ".join(Commons.Status.values))
        coordinates_given = "latitude" in values or "longitude" in values
        if coordinates_given:
            try:
                latitude = _decimal(values.get("latitude"))
                longitude = _decimal(values.get("longitude"))
                if (latitude is None) != (longitude is None):
                    problems.append(_("give both latitude and longitude, or neither"))
                else:
                    changes["latitude"], changes["longitude"] = latitude, longitude
            except ValueError as problem:
                problems.append(str(problem))
        if values.get("__geometry_error"):
            problems.append(str(values["__geometry_error"]))
        founded = _text(values.get("founded_year"))
        if "founded_year" in values:
            if founded == "":
                changes["founded_year"] = None
            elif founded.isdigit() and len(founded) <= 4:
                changes["founded_year"] = int(founded)
            else:
                problems.append(_("“%s” is not a year") % founded[:20])

        before = {}
        for field, value in changes.items():
            current = getattr(commons, field)
            if current != value:
                before[field] = current
                setattr(commons, field, value)
        problems.extend(_validation_problems(commons, is_new, problems))
        label = name or slug
        if problems:
            return RowPlan(
                row.line, Outcome.ERROR, key=key, label=label, reason="; ".join(problems),
                values=values,
            )  # fmt: skip
        if commons.latitude is None:
            notes.append(_("not on the map (no coordinates)"))
            plan.state["not_on_map"].append(label)
        if is_new:
            outcome = Outcome.CREATE
        elif before:
            outcome = Outcome.UPDATE
            notes.insert(0, _("changes %s") % ", ".join(f.removesuffix("_id") for f in before))
        else:
            outcome = Outcome.UNCHANGED
        return RowPlan(
            row.line, outcome, key=key, label=label, reason="; ".join(notes), values=values,
            data=(commons, _json_safe(before)),
        )  # fmt: skip

    def effects(self, plan):
        counts = plan.counts
        effects = [
            ngettext(
                "%(count)s commons created, published on the directory",
                "%(count)s commons created, published on the directory",
                counts["created"],
            )
            % {"count": counts["created"]},
            ngettext("%(count)s commons updated", "%(count)s commons updated", counts["updated"])
            % {"count": counts["updated"]},
        ]
        writing = {
            row.label for row in plan.rows if row.outcome in (Outcome.CREATE, Outcome.UPDATE)
        }
        not_on_map = [name for name in plan.state.get("not_on_map", []) if name in writing]
        if not_on_map:
            effects.append(
                ngettext(
                    "%(count)s not on the map (no coordinates): %(names)s",
                    "%(count)s not on the map (no coordinates): %(names)s",
                    len(not_on_map),
                )
                % {"count": len(not_on_map), "names": _names(not_on_map)}
            )
        fallback = [name for name in plan.state.get("fallback", []) if name in writing]
        if fallback:
            effects.append(
                ngettext(
                    "%(count)s filed under “Autre” (category unknown): %(names)s",
                    "%(count)s filed under “Autre” (category unknown): %(names)s",
                    len(fallback),
                )
                % {"count": len(fallback), "names": _names(fallback)}
            )
        return effects

    def apply_rows(self, plan, rows, recorder, by):
        for row in rows:
            commons, before = row.data
            if row.outcome == Outcome.CREATE:
                commons.submitted_by = None
                commons.save()
                recorder.created(row, commons)
            else:
                commons.save()
                recorder.updated(row, commons, before)

    def undo_refusals(self, batch):
        ids = list(batch.records.filter(action="created").values_list("object_id", flat=True))
        edited = (
            Commons.history.filter(id__in=ids)
            .values("id")
            .annotate(changes=Count("history_id"))
            .filter(changes__gt=1)
            .values_list("id", flat=True)
        )
        stewarded = Commons.stewards.through.objects.filter(commons_id__in=ids).values_list(
            "commons_id", flat=True
        )
        names = sorted(
            Commons.objects.filter(pk__in={*edited, *stewarded}).values_list("name", flat=True)
        )
        if not names:
            return []
        return [
            _(
                "Entries of this import were edited or given stewards since (%(names)s): undo "
                "would lose that work."
            )
            % {"names": _names(names)}
        ]


def _free_slug(slug: str, taken: set) -> str:
    number = 2
    while f"{slug}-{number}" in taken or Commons.objects.filter(slug=f"{slug}-{number}").exists():
        number += 1
    return f"{slug}-{number}"


def _address(values) -> str | None:
    """The address as one line: given whole, or from GoGoCarto's parts."""
    if "address" in values and not isinstance(values["address"], dict):
        text = _text(values["address"])
        if text:
            return text
    parts = [_text(values.get(field)) for field in ("street", "postcode", "locality")]
    if not any(field in values for field in ("address", "street", "postcode", "locality")):
        return None
    street, postcode, locality = parts
    town = " ".join(part for part in (postcode, locality) if part)
    return ", ".join(part for part in (street, town) if part)


def _validation_problems(commons, is_new, already) -> list[str]:
    # The category was found among those read at the start: validating it again is a query a row.
    exclude = {"category"}
    if not is_new:
        exclude |= {"slug", "external_id"}
    try:
        commons.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        problems = []
        for field, messages in invalid.message_dict.items():
            if field in {"latitude", "longitude"} and any("number" in a for a in already):
                continue
            label = "" if field == "__all__" else f"{field}: "
            problems.extend(f"{label}{message}" for message in messages)
        return problems
    return []


def _json_safe(before: dict) -> dict:
    """Values an update replaced, as JSON can keep them (for undo)."""
    return {
        field: str(value) if isinstance(value, Decimal) else value
        for field, value in before.items()
    }


def _names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " " + _("and %s more") % (len(names) - limit)
    return shown
