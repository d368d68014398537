"""Proposers told of the moderation under the old at-most-once column stay told: the fact moves
into the delivery log as a sent e-mail, so a late retry of the task cannot tell them twice."""

import datetime

import pytest

from tests.migrations import migrate

BEFORE = [("commons_registry", "0003_seed_categories"), ("assembly", "0002_delivery")]
TOLD_AT = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_moderation_notices_already_sent_become_sent_deliveries():
    try:
        old = migrate(BEFORE)
        person = old.get_model("assembly", "User").objects.create(
            email="lou@example.org", display_name="Lou", calendar_token="lou-token"
        )
        Commons = old.get_model("commons_registry", "Commons")
        # Other transactional tests may have flushed the seeded categories: make one.
        category, _ = old.get_model("commons_registry", "Category").objects.get_or_create(
            slug="jardins", defaults={"name": "Jardins"}
        )
        told = Commons.objects.create(
            name="Fournil", slug="fournil", category=category, state="published",
            submitted_by=person, moderation_notified_at=TOLD_AT,
        )  # fmt: skip
        Commons.objects.create(
            name="Grainothèque", slug="grainotheque", category=category, state="rejected",
            moderation_reason="Doublon", submitted_by=person,
        )  # fmt: skip

        new = migrate(None)

        rows = new.get_model("assembly", "Delivery").objects.values_list(
            "person__email", "topic", "kind", "state", "sent_at"
        )
        assert list(rows) == [
            ("lou@example.org", f"commons:{told.pk}", "moderation", "sent", TOLD_AT)
        ]
    finally:
        migrate(None)
