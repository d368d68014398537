"""`make bench`'s archive line, at small size: it builds the whole archive and says whether it kept
within its 2 minutes (the large data runs in `make bench` itself)."""

import pytest

from bench.archive import BUDGET_SECONDS, measure_archive
from tests.commons_registry.factories import CommonsFactory
from tests.workshops.factories import WorkshopFactory


@pytest.mark.django_db(transaction=True)
def test_the_archive_measure_builds_both_languages_within_its_budget():
    CommonsFactory(name="Jardin mesuré")
    WorkshopFactory(title="Atelier mesuré")

    result = measure_archive(processes=1)

    assert BUDGET_SECONDS == 120
    assert result["languages"] == ["fr", "en"]
    # Home, the directory, the commons, the agenda, the meeting, the workshop… in each language.
    assert result["pages"] >= 2 * 6
    assert result["files"] > result["pages"]
    assert result["within_budget"] is True
