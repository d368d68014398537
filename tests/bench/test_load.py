"""The cheap parts of `make bench` (bench/load.py): its arithmetic, and its load driver on a tiny
local server. The benchmark itself is never run by the suite."""

import pytest

from assembly.models import User
from bench import load as benchmark
from bench.announcement import measure_announcement_send
from bench.load import BenchmarkError, Load, Row


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(100, 0, -1)]

    assert benchmark.percentile(values, 95) == 95.0
    assert benchmark.percentile(values, 50) == 50.0
    assert benchmark.percentile(values, 100) == 100.0


def test_percentile_of_few_values_is_the_largest_below_the_rank():
    assert benchmark.percentile([0.3, 0.1, 0.2], 95) == 0.3
    assert benchmark.percentile([0.1] * 19 + [9.0], 95) == 0.1
    assert benchmark.percentile([0.1] * 19 + [9.0] * 2, 95) == 9.0
    assert benchmark.percentile([0.42], 95) == 0.42


def test_percentile_of_no_values_refuses():
    with pytest.raises(ValueError):
        benchmark.percentile([], 95)


def test_load_reports_requests_per_second_and_p95_in_milliseconds():
    load = Load(requests=200, seconds=4.0, latencies=[0.010] * 190 + [0.250] * 10)

    assert load.requests_per_second == 50.0
    assert load.p95_ms == 10.0


def test_cost_ratio_is_trivial_over_page_throughput():
    assert benchmark.cost_ratio(500.0, 50.0) == 10.0
    assert benchmark.cost_ratio(500.0, 0.0) == float("inf")


def test_flag_rows_marks_pages_over_the_query_or_ratio_budget():
    fine = Row("home", "/", queries=12, requests_per_second=100, p95_ms=20, ratio=5.0)
    chatty = Row("people", "/people/", queries=13, requests_per_second=100, p95_ms=20, ratio=5.0)
    slow = Row("board", "/meetings/1/", queries=4, requests_per_second=2, p95_ms=900, ratio=250.0)

    benchmark.flag_rows([fine, chatty, slow], max_queries=12, max_ratio=25)

    assert fine.flags == []
    assert chatty.flags == ["13 queries > 12"]
    assert slow.flags == ["cost 250.0x > 25x (+900%)"]


def test_flag_rows_returns_only_the_pages_over_the_query_budget():
    chatty = Row("people", "/people/", queries=13, requests_per_second=1, p95_ms=20, ratio=99.0)
    slow = Row("board", "/meetings/1/", queries=4, requests_per_second=2, p95_ms=900, ratio=250.0)

    over = benchmark.flag_rows([chatty, slow], max_queries=12, max_ratio=25)

    assert over == [chatty]
    assert chatty.flags == ["13 queries > 12", "cost 99.0x > 25x (+296%)"]


def test_format_table_lines_up_one_row_per_page():
    rows = [
        Row("trivial (robots.txt)", "/robots.txt", 0, 480.4, 9.04, 1.0),
        Row("home", "/", 4, 60.0, 80.26, 8.0, ["cost 8.0x > 3x (+167%)"], budget=3.0),
    ]

    lines = benchmark.format_table(rows).splitlines()

    assert lines[0].split() == [
        "page", "path", "queries", "req/s", "p95", "ms", "x", "trivial", "budget"
    ]  # fmt: skip
    assert lines[2].split() == [
        "trivial", "(robots.txt)", "/robots.txt", "0", "480", "9.0", "1.0", "-"
    ]  # fmt: skip
    assert lines[3].split()[:7] == ["home", "/", "4", "60", "80.3", "8.0", "3"]
    assert lines[3].endswith("cost 8.0x > 3x (+167%)")
    assert len({line.index("/") for line in lines[2:]}) == 1


def test_drive_sends_the_warmup_then_exactly_the_measured_requests(local_server):
    port = local_server.server_address[1]

    load = benchmark.drive(port, "/ok", requests=30, connections=3, warmup=6)

    assert load.requests == 30
    assert len(load.latencies) == 30
    assert len(local_server.hits) == 36
    assert {(path, headers["Host"]) for path, headers in local_server.hits} == {
        ("/ok", "127.0.0.1")
    }


def test_drive_accepts_gzip_as_browsers_do(local_server):
    benchmark.drive(local_server.server_address[1], "/ok", requests=3, connections=1)

    assert {headers["Accept-Encoding"] for _path, headers in local_server.hits} == {"gzip"}


def test_drive_fails_loudly_on_an_answer_other_than_200(local_server):
    port = local_server.server_address[1]

    with pytest.raises(BenchmarkError, match="HTTP 503"):
        benchmark.drive(port, "/broken", requests=10, connections=2)


def test_combine_pools_requests_time_and_latencies():
    first = Load(requests=100, seconds=1.0, latencies=[0.001] * 100)
    second = Load(requests=100, seconds=3.0, latencies=[0.100] * 100)

    both = benchmark.combine([first, second])

    assert both.requests == 200
    assert both.requests_per_second == 50.0
    assert both.p95_ms == 100.0


@pytest.mark.django_db(transaction=True)
def test_announcement_measure_sends_each_recipient_once_through_real_smtp():

    result = measure_announcement_send(30)

    assert result["sent"] == result["received"] == result["distinct_received"] == 30
    assert result["within_budget"]
    assert not User.objects.filter(email__endswith="@bench-announce.example.org").exists()
