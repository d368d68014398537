"""The production set's memory (bench/stack.py): PSS read from /proc, summed over a process tree,
split into the app's parts; PostgreSQL's shared memory; compose's settings for the whole stack."""

import os
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis

from bench.load import BenchmarkError
from bench.server import GUNICORN_CONFIG, Server
from bench.stack import (
    POSTGRES_BIN,
    app_pss_mib,
    compose_commands,
    own_postgres,
    own_redis,
    postgres_mib,
    postgres_settings,
    process_tree,
    pss_kib,
    redis_options,
    tree_pss_mib,
)
from tests.conftest import skip_or_fail


def _fake_process(proc, pid, *, pss_kib_value, children=(), command=("sh",)):
    (proc / str(pid) / "task" / str(pid)).mkdir(parents=True)
    (proc / str(pid) / "task" / str(pid) / "children").write_text(" ".join(map(str, children)))
    (proc / str(pid) / "cmdline").write_bytes("".join(f"{word}\0" for word in command).encode())
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


def test_the_apps_memory_is_split_into_web_tasks_and_supervisor(tmp_path):
    # config.serve (honcho) runs each command through a shell, as `sh -c "…"`: one word.
    python = ("/venv/bin/python", "-m")
    web = (*python, "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application")
    tasks = (*python, "celery", "-A", "config", "worker", "--beat")
    processes = [
        (1, 20 * 1024, [2, 5], (*python, "config.serve")),
        (2, 512, [3], ("/bin/sh", "-c", " ".join(web))),
        (3, 60 * 1024, [4], web),  # the master, with the preloaded application
        (4, 30 * 1024, [], web),  # a worker: forked, same command
        (5, 512, [6], ("/bin/sh", "-c", " ".join(tasks))),
        (6, 70 * 1024, [7], tasks),
        (7, 25 * 1024, [], tasks),  # its child
    ]
    for pid, pss, children, command in processes:
        _fake_process(tmp_path, pid, pss_kib_value=pss, children=children, command=command)

    parts = app_pss_mib(1, tmp_path)

    assert parts == {"web": 90.0, "tasks": 95.0, "supervisor": 21.0}


def _fake_postgres(proc, pid, *, pss_kib_value, segment_pss_kib, children=()):
    _fake_process(proc, pid, pss_kib_value=pss_kib_value, children=children, command=("postgres",))
    (proc / str(pid) / "smaps").write_text(
        "55d0c0000000-55d0c0900000 r-xp 00000000 08:01 123 /usr/lib/postgresql/15/bin/postgres\n"
        "Size:               9216 kB\nPss:                1000 kB\n"
        "7fe8ccba6000-7fe8d5a3e000 rw-s 00000000 00:01 1028                       /dev/zero (deleted)\n"
        f"Size:              57344 kB\nRss: {segment_pss_kib * 2} kB\nPss: {segment_pss_kib} kB\n"
        "7fe8d8227000-7fe8d8228000 rw-s 00000000 00:01 4                          /SYSV0015e073 (deleted)\n"
        "Size:                  4 kB\nPss:                   0 kB\n"
        "7fe8d8300000-7fe8d8400000 rw-p 00000000 00:00 0 \nSize:               1024 kB\nPss: 1024 kB\n"
    )


def test_postgresqls_shared_memory_counts_whole_once_whatever_its_processes_touched(tmp_path):
    # The postmaster touched 2 MiB of the 56 MiB segment, a backend 8 MiB (its PSS share: 4 + 1).
    _fake_postgres(tmp_path, 100, pss_kib_value=6 * 1024, segment_pss_kib=1024, children=[101])
    _fake_postgres(tmp_path, 101, pss_kib_value=12 * 1024, segment_pss_kib=5 * 1024)

    # Outside the segment: 5 + 7 MiB; the segment: 56 MiB and 4 KiB, once.
    assert postgres_mib(100, tmp_path) == pytest.approx(12 + 56 + 4 / 1024)


def test_the_whole_stack_starts_its_servers_with_composes_settings():
    commands = compose_commands()

    settings = postgres_settings(commands["db"])
    assert "shared_buffers=48MB" in settings
    assert all("=" in setting for setting in settings)
    assert redis_options(commands["redis"]) == ["--maxmemory-policy", "noeviction"]
    cache = redis_options(commands["cache"])
    assert cache[cache.index("--maxmemory") + 1] == "64mb"


def test_composes_commands_must_be_the_servers_the_stack_starts():
    with pytest.raises(BenchmarkError, match="not postgres"):
        postgres_settings(["pg_ctl", "start"])
    with pytest.raises(BenchmarkError, match="not redis-server"):
        redis_options(["valkey-server"])


def test_a_server_with_a_profile_runs_gunicorn_as_production_does(tmp_path):
    server = Server({}, log=tmp_path / "log", profile="small")

    command = server.command()

    assert command[command.index("-c") + 1] == str(GUNICORN_CONFIG)
    assert GUNICORN_CONFIG.is_file()
    assert not any(word.startswith(("--workers", "--worker-class")) for word in command)
    assert command[-1] == f"--bind=127.0.0.1:{server.port}"


def _needs(*binaries):
    for binary in binaries:
        if shutil.which(binary) is None and not (POSTGRES_BIN / binary).exists():
            skip_or_fail(f"{binary} is not installed")


def test_own_redis_runs_with_composes_cache_options(tmp_path):
    _needs("redis-server")
    options = redis_options(compose_commands()["cache"])

    with own_redis(options, tmp_path) as cache:
        client = redis.Redis.from_url(cache["url"])
        settings = {**client.config_get("maxmemory"), **client.config_get("maxmemory-policy")}
        redis_pss = tree_pss_mib(cache["pid"])

    assert settings == {"maxmemory": str(64 * 1024 * 1024), "maxmemory-policy": "allkeys-lru"}
    assert 0.5 < redis_pss < 64


def test_own_postgres_runs_with_composes_settings_and_counts_its_shared_memory_whole():
    _needs("initdb", "pg_ctl")
    # Outside pytest's own temporary folders: the postgres user goes through this one when the
    # tests run as root, as measure_whole_stack's.
    with tempfile.TemporaryDirectory(prefix="assemblee-test-pg-") as temporary:
        Path(temporary).chmod(0o755)
        folder = Path(temporary) / "db"
        folder.mkdir()
        with own_postgres(postgres_settings(compose_commands()["db"]), folder) as postgres:
            with psycopg.connect(postgres["url"].replace("/assemblee", "/postgres")) as connection:
                shared_buffers = connection.execute("SHOW shared_buffers").fetchone()[0]
                segment = connection.execute("SHOW shared_memory_size").fetchone()[0]
            memory = postgres_mib(postgres["pid"])
        stopped = not (folder / "data" / "postmaster.pid").exists()

    assert shared_buffers == "48MB"
    # The whole segment counts, though an idle cluster has touched little of it.
    assert int(segment.removesuffix("MB")) <= memory < int(segment.removesuffix("MB")) + 64
    assert stopped
