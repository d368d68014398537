"""The budgets of issue 13 in `make bench`: cost per page in trivial requests, worker memory, and
the wrk driver's report (bench/load.py, bench/wrk.py, bench/server.py)."""

import math
import os
import subprocess
import sys

import pytest

from bench import load as benchmark
from bench import wrk
from bench.load import BenchmarkError, Load, Page, Row
from bench.server import children, parse_status, rss_kib

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40321/decisions/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms   12.01ms  98.33ms   71.36%
    Req/Sec    48.50     10.10    70.00     72.50%
  487 requests in 5.01s, 12.92MB read
Requests/sec:     97.21
Transfer/sec:      2.58MB
assemblee-bench requests=487 duration_us=5010025 p95_us=64250 non_2xx_3xx=0 socket_errors=0
"""


def test_pages_signed_in_have_the_larger_budget():
    assert Page("home", "/").budget == 3
    assert Page("board", "/meetings/1/").budget == 3
    assert Page("board", "/meetings/1/", signed_in=True).budget == 10


def test_flag_rows_uses_each_rows_own_budget_and_says_by_how_much():
    home = Row("home", "/", queries=4, ratio=4.5, budget=3.0)
    me = Row("me", "/me/", queries=7, ratio=9.0, budget=10.0)
    other = Row("other", "/other/", queries=2, ratio=60.0)

    over_queries = benchmark.flag_rows([home, me, other], max_queries=12, max_ratio=50)

    assert over_queries == []
    assert home.flags == ["cost 4.5x > 3x (+50%)"]
    assert me.flags == []
    assert other.flags == ["cost 60.0x > 50x (+20%)"]


def test_over_cost_budget_lists_only_the_rows_over_their_budget():
    at_budget = Row("charter", "/charter/", ratio=3.0, budget=3.0)
    over = Row("board", "/meetings/1/", ratio=3.3, budget=3.0)
    no_budget = Row("trivial", "/robots.txt", ratio=1.0)
    unmeasured = Row("me", "/me/", budget=10.0)

    assert benchmark.over_cost_budget([at_budget, over, no_budget, unmeasured]) == [over]


def test_excess_is_the_fraction_over_the_budget():
    assert benchmark.excess(15.0, 10.0) == pytest.approx(0.5)
    assert benchmark.excess(8.0, 10.0) == 0.0
    assert benchmark.excess(1.0, 0.0) == math.inf


def test_memory_growth_compares_two_readings_of_the_whole_tree_within_ten_percent():
    early, within, over = 180.0, 197.0, 199.0  # MiB, gunicorn's tree after 1,000 and 10,000

    assert benchmark.memory_growth(early, within) == pytest.approx(0.0944, abs=1e-4)
    assert benchmark.memory_growth(early, within) <= benchmark.MEMORY_GROWTH_BUDGET
    assert benchmark.memory_growth(early, over) > benchmark.MEMORY_GROWTH_BUDGET
    assert benchmark.memory_growth(early, 150.0) < 0  # recycled workers may give memory back
    assert benchmark.memory_growth(0.0, 10.0) == math.inf


def test_parse_report_reads_the_scripts_line_out_of_wrks_output():
    report = wrk.parse_report(WRK_OUTPUT)

    assert report == wrk.WrkReport(requests=487, seconds=5.010025, p95_ms=64.25, failed=0)
    assert report.requests_per_second == pytest.approx(97.2, abs=0.1)


def test_parse_report_counts_failed_answers_and_socket_errors():
    output = WRK_OUTPUT.replace("non_2xx_3xx=0 socket_errors=0", "non_2xx_3xx=3 socket_errors=2")

    assert wrk.parse_report(output).failed == 5


def test_parse_report_refuses_output_without_the_line():
    with pytest.raises(BenchmarkError, match="no report line"):
        wrk.parse_report("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_wrk_command_sends_the_signed_in_cookie_to_the_loopback_address(tmp_path):
    argv = wrk.command(
        "/usr/bin/wrk",
        8123,
        "/me/",
        seconds=5,
        connections=4,
        script=tmp_path / "report.lua",
        headers={"Cookie": "sessionid=abc"},
    )

    assert argv[0] == "/usr/bin/wrk"
    assert "--connections=4" in argv and "--duration=5s" in argv
    headers = [argv[i + 1] for i, option in enumerate(argv) if option == "-H"]
    assert headers == ["Accept-Encoding: gzip", "Cookie: sessionid=abc"]
    assert argv[-1] == "http://127.0.0.1:8123/me/"


def test_load_from_a_summary_keeps_its_p95_and_combines_to_the_worst():
    first = Load.from_summary(500, 5.0, p95_ms=40.0)
    second = Load.from_summary(300, 5.0, p95_ms=70.0)

    combined = benchmark.combine([first, second])

    assert first.p95_ms == 40.0
    assert combined.requests_per_second == 80.0
    assert combined.p95_ms == 70.0


def test_parse_status_and_rss_read_proc(tmp_path):
    (tmp_path / "4242").mkdir()
    (tmp_path / "4242" / "status").write_text(
        "Name:\tgunicorn\nPPid:\t4000\nVmRSS:\t  81234 kB\n", encoding="utf-8"
    )
    (tmp_path / "4243").mkdir()
    (tmp_path / "4243" / "status").write_text("Name:\tbash\nPPid:\t1\n", encoding="utf-8")

    assert parse_status("PPid:\t4000\nVmRSS:\t  81234 kB\n")["VmRSS"] == "81234 kB"
    assert rss_kib(4242, proc=tmp_path) == 81234
    assert children(4000, proc=tmp_path) == [4242]


def test_children_finds_a_real_child_process():
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # Once Python has started: just after the exec its memory is still being mapped.
        assert child.stdout.readline() == "ready\n"
        assert child.pid in children(os.getpid())
        assert rss_kib(child.pid) > 1000
    finally:
        child.kill()
        child.wait()
