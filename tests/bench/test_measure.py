"""bench/measure.py's own measurements, against a small local HTTP server."""

from bench.measure import SEARCH, measure_search_alone


def test_search_alone_is_timed_signed_in_so_never_from_the_page_cache(local_server):
    signed_in = {"Cookie": "sessionid=member"}

    result = measure_search_alone(local_server.server_address[1], 5, 1, signed_in)

    assert result["requests"] == 5
    assert result["signed_in"] is True
    assert {(path, headers["Cookie"]) for path, headers in local_server.hits} == {
        (SEARCH.path, "sessionid=member")
    }
