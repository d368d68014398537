"""The production set's memory (bench/stack.py): PSS read from /proc, summed over a process tree."""

import os

import pytest

from bench.load import BenchmarkError
from bench.stack import process_tree, pss_kib, tree_pss_mib


def _fake_process(proc, pid, *, pss_kib_value, children=()):
    (proc / str(pid) / "task" / str(pid)).mkdir(parents=True)
    (proc / str(pid) / "task" / str(pid) / "children").write_text(" ".join(map(str, children)))
    (proc / str(pid) / "smaps_rollup").write_text(
        f"00400000-7ffd0000 ---p 00000000 00:00 0 [rollup]\nRss: {pss_kib_value * 3} kB\n"
        f"Pss: {pss_kib_value} kB\nShared_Clean: 0 kB\n"
    )


def test_pss_of_a_tree_sums_every_descendant(tmp_path):
    _fake_process(tmp_path, 10, pss_kib_value=1024, children=[11, 12])
    _fake_process(tmp_path, 11, pss_kib_value=2048, children=[13])
    _fake_process(tmp_path, 12, pss_kib_value=512)
    _fake_process(tmp_path, 13, pss_kib_value=512)

    assert sorted(process_tree(10, tmp_path)) == [10, 11, 12, 13]
    assert tree_pss_mib(10, tmp_path) == 4.0


def test_a_process_gone_meanwhile_counts_nothing(tmp_path):
    _fake_process(tmp_path, 10, pss_kib_value=1024, children=[99])

    assert pss_kib(99, tmp_path) == 0
    assert tree_pss_mib(10, tmp_path) == 1.0


def test_a_rollup_without_pss_is_an_error(tmp_path):
    (tmp_path / "7").mkdir()
    (tmp_path / "7" / "smaps_rollup").write_text("Rss: 10 kB\n")

    with pytest.raises(BenchmarkError):
        pss_kib(7, tmp_path)


def test_this_process_has_a_real_pss():
    assert 10 * 1024 < pss_kib(os.getpid()) < 4 * 1024 * 1024
