"""Demo commons of Lille for seed_demo, read from content.toml beside this file. Safe to run twice.

`--scale large` adds the benchmark's 1,000 extra entries around the town centre.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from assembly.demo import TOWN, content
from assembly.models import User

from ..models import Category, Commons, OstromAssessment

CONTENT = content(__name__)
LARGE = CONTENT["large"]
LARGE_COUNT = LARGE["count"]
LARGE_PREFIX = LARGE["slug_prefix"]


def _coordinate(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _describe(name: str, category: Category) -> dict:
    return {
        field: template.format(name=name, category=category.name)
        for field, template in CONTENT["description"].items()
    }


def _assess(commons: Commons, steward, rng: random.Random) -> None:
    if commons.assessments.exists():
        return
    assessment = OstromAssessment(
        commons=commons,
        assessed_by=steward,
        assessed_on=date(2026, 3, 1) - timedelta(days=rng.randint(0, 300)),
    )
    levels = [OstromAssessment.Level.PRESENT, OstromAssessment.Level.PARTIAL,
              OstromAssessment.Level.ABSENT, OstromAssessment.Level.NOT_APPLICABLE]  # fmt: skip
    for field, _label in OstromAssessment.PRINCIPLES:
        setattr(assessment, field, rng.choices(levels, weights=[5, 4, 2, 1])[0])
        setattr(assessment, f"{field}_comment", "")
    assessment.boundaries_comment = CONTENT["assessment_boundaries_comment"]
    assessment.save()


def seed(scale: str, stdout) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    now = timezone.now()
    categories = {category.slug: category for category in Category.objects.all()}
    member = User.objects.filter(email="member@example.org").first()
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    created = 0
    for entry in CONTENT["commons"]:
        category = categories[entry["category"]]
        slug = slugify(entry["name"])
        commons, was_created = Commons.objects.get_or_create(
            slug=slug,
            defaults={
                "name": entry["name"], "summary": entry["summary"], "category": category,
                "status": entry["status"],
                "latitude": _coordinate(entry.get("latitude")),
                "longitude": _coordinate(entry.get("longitude")),
                "address": entry.get("address", ""),
                "founded_year": entry["founded"], "licence": entry.get("licence", ""),
                "website": entry.get("website", ""),
                "state": Commons.State.PUBLISHED, "submitted_by": facilitator,
                "last_confirmed_at": now - timedelta(days=rng.randint(10, 300)),
                **_describe(entry["name"], category),
            },
        )  # fmt: skip
        created += was_created
        if was_created and member and slug in CONTENT["stewarded_by_member"]:
            commons.stewards.add(member)
        if slug in CONTENT["assessed"]:
            steward = member if slug in CONTENT["stewarded_by_member"] else facilitator
            _assess(commons, steward, rng)
    proposal = CONTENT["proposal"]
    if member and not Commons.objects.filter(slug=proposal["slug"]).exists():
        Commons.objects.create(
            name=proposal["name"], slug=proposal["slug"], summary=proposal["summary"],
            category=categories[proposal["category"]], address=proposal["address"],
            latitude=_coordinate(proposal["latitude"]),
            longitude=_coordinate(proposal["longitude"]),
            state=Commons.State.PROPOSED, submitted_by=member,
        )  # fmt: skip
        created += 1
    if scale == "large":
        created += _seed_large(categories, now, rng)
    stdout.write(f"commons_registry: {created} commons created.\n")


def _seed_large(categories: dict, now, rng: random.Random) -> int:
    """The extra published commons around the town centre, bulk-created (no history rows)."""
    existing = set(
        Commons.objects.filter(slug__startswith=LARGE_PREFIX).values_list("slug", flat=True)
    )
    centre_latitude, centre_longitude = TOWN["centre"]
    category_list = list(categories.values())
    batch = []
    for number in range(1, LARGE_COUNT + 1):
        slug = f"{LARGE_PREFIX}{number:04d}"
        if slug in existing:
            continue
        category = category_list[number % len(category_list)]
        located = number % 5 != 0
        # Within about 6.5 km of the centre, north-south and east-west.
        latitude = f"{centre_latitude + rng.uniform(-0.06, 0.06):.6f}"
        longitude = f"{centre_longitude + rng.uniform(-0.09, 0.09):.6f}"
        batch.append(Commons(
            name=LARGE["name"].format(number=number), slug=slug,
            summary=LARGE["summary"].format(category=category.name),
            category=category, status=Commons.Status.ACTIVE, state=Commons.State.PUBLISHED,
            latitude=Decimal(latitude) if located else None,
            longitude=Decimal(longitude) if located else None,
            resource=LARGE["resource"], community=LARGE["community"],
            governance=LARGE["governance"], last_confirmed_at=now, created_at=now,
        ))  # fmt: skip
    Commons.objects.bulk_create(batch, batch_size=500)
    return len(batch)
