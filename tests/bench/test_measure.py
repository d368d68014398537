"""bench/measure.py's own measurements: against a small local HTTP server, and in-process."""

import pytest

from assembly import page_cache
from bench.load import FIRST_VIEW_BUDGET_MS, Page
from bench.measure import HOME_SIGNED_IN, SEARCH, measure_first_views, measure_search_alone


def test_search_alone_is_timed_signed_in_so_never_from_the_page_cache(local_server):
    signed_in = {"Cookie": "sessionid=member"}

    result = measure_search_alone(local_server.server_address[1], 5, 1, signed_in)

    assert result["requests"] == 5
    assert result["signed_in"] is True
    assert {(path, headers["Cookie"]) for path, headers in local_server.hits} == {
        (SEARCH.path, "sessionid=member")
    }


@pytest.mark.django_db
def test_first_views_are_timed_after_a_write_with_nothing_kept_and_judged_by_their_budget(
    person_client,
):
    version = page_cache.content_version()
    pages = [HOME_SIGNED_IN, Page("people (signed in)", "/people/", signed_in=True)]

    found = measure_first_views(pages, person_client, runs=2)

    assert page_cache.content_version() != version  # each first view follows a write
    home, people = found
    assert (home["path"], home["budget_ms"]) == ("/", FIRST_VIEW_BUDGET_MS)
    assert home["within_budget"] is (home["first_view_cpu_ms"] <= FIRST_VIEW_BUDGET_MS)
    assert home["first_view_ratio"] == pytest.approx(
        home["first_view_cpu_ms"] / home["trivial_cpu_ms"], rel=0.05, abs=0.1
    )
    assert (people["budget_ms"], people["within_budget"]) == (None, None)
