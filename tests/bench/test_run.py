"""bench/run.py: the options of `make bench` and the environment it measures in."""

import subprocess
import sys

import pytest

from bench import profiling, run
from bench.load import wanted
from bench.server import server_environment


def test_options_default_to_the_documented_values():
    options = run.parse([])

    assert vars(options) == {
        "requests": 300,
        "seconds": 10.0,
        "driver": "auto",
        "connections": 4,
        "workers": 2,
        "max_queries": 12,
        "max_ratio": 50.0,
        "strict": False,
        "only": [],
        "memory_requests": 10_000,
        "profile": None,
        "profile_first_view": False,
        "profile_requests": 30,
        "stack_profile": "small",
        "server_profile": None,
    }


def test_only_keeps_the_measurements_named():
    options = run.parse(["--only", "search", "--only", "announcement"])

    assert options.only == ["search", "announcement"]
    assert wanted("search", options.only, "/search/?q=x")
    assert wanted("announcement", options.only)
    assert not wanted("recompute", options.only)
    assert not wanted("home", options.only, "/")
    assert wanted("home", [], "/")


def test_options_refuse_fewer_than_one_request(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run.parse(["--requests", "0"])

    assert exit_info.value.code == 2
    assert "--requests, --connections and --workers must be at least 1." in capsys.readouterr().err


def test_environment_is_production_like_on_its_own_database():
    env = server_environment(
        {"DJANGO_SETTINGS_MODULE": "config.settings_test", "DEBUG": "1", "PATH": "/bin"},
        database_url="postgres://root@127.0.0.1:5432/assemblee_bench",
        redis_url="redis://127.0.0.1:6379/10",
        static_root="/tmp/static",
    )

    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings"
    assert (env["DEBUG"], env["ALLOWED_HOSTS"], env["PATH"]) == ("0", "127.0.0.1", "/bin")
    assert env["DATABASE_URL"] == "postgres://root@127.0.0.1:5432/assemblee_bench"
    assert len(env["SECRET_KEY"]) > 40


def test_python_m_bench_answers_help_from_the_project_folder():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--help"],
        cwd=run.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0
    assert "--requests" in result.stdout
    assert "--strict" in result.stdout


def test_measuring_refuses_to_run_outside_the_benchmark_environment():
    result = subprocess.run(
        [sys.executable, "-m", "bench.measure"],
        cwd=run.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings_test"},
    )

    assert result.returncode == 2
    assert "python -m bench" in result.stderr


def test_profile_names_the_page_to_profile():
    options = run.parse(["--profile", "board", "--profile-requests", "5"])

    assert (options.profile, options.profile_requests) == ("board", 5)


def test_profile_first_view_goes_with_a_page_to_profile(capsys):
    assert run.parse(["--profile", "board", "--profile-first-view"]).profile_first_view

    with pytest.raises(SystemExit):
        run.parse(["--profile-first-view"])

    assert "--profile-first-view goes with --profile PAGE." in capsys.readouterr().err


@pytest.mark.django_db
def test_profile_page_writes_the_top_of_the_profile_and_the_stats(client, tmp_path):
    result = profiling.profile_page(client, "/robots.txt", requests=3, folder=tmp_path)

    assert result.queries_per_request == 0
    assert result.text.startswith("/robots.txt: 3 requests, each ")
    assert result.calls_per_request > 0
    assert "Ordered by: cumulative time" in result.text
    assert (tmp_path / "profile-robots-txt.txt").read_text(encoding="utf-8") == result.text
    assert (tmp_path / "profile-robots-txt.prof").stat().st_size > 0


def test_profile_slug_is_a_file_name():
    assert profiling.slug("/meetings/12/") == "meetings-12"
    assert profiling.slug("/") == "home"


@pytest.mark.django_db
def test_profile_page_runs_the_given_step_before_each_request_under_its_own_name(client, tmp_path):
    steps = []

    result = profiling.profile_page(
        client,
        "/robots.txt",
        requests=3,
        folder=tmp_path,
        before_each=lambda: steps.append("forgotten"),
    )

    # The warm-up request, the counted one, 3 timed and 3 profiled.
    assert len(steps) == 8
    assert (tmp_path / "profile-robots-txt-first-view.txt").read_text(
        encoding="utf-8"
    ) == result.text
