"""The project's shape: compose file, catalogues, the set-up commands a newcomer relies on."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_has_the_whole_stack_with_real_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert set(services) == {"web", "worker", "beat", "backup", "db", "redis", "cache"}
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis")
    # maxmemory and its policy are per server: the broker never drops a task, the cache its oldest.
    assert services["redis"]["command"][-2:] == ["--maxmemory-policy", "noeviction"]
    cache = services["cache"]["command"]
    assert cache[cache.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert "--maxmemory" in cache
    for name in ("web", "worker", "beat", "backup"):
        service = services[name]
        assert service["build"] == "."
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:6379")
        assert service["environment"]["CACHE_URL"].startswith("redis://cache:6379")
    # Each service starts its part of the profile's process set, as `make serve` does.
    assert "exec python -m config.serve web" in services["web"]["command"]
    assert services["web"]["environment"]["HOST"] == "0.0.0.0"
    assert shlex.split(services["worker"]["command"]) == ["python", "-m", "config.serve", "worker"]
    assert shlex.split(services["beat"]["command"]) == ["python", "-m", "config.serve", "beat"]
    assert "python manage.py backup --output /backups --keep 14;" in services["backup"]["command"]
    assert services["backup"]["volumes"] == ["media:/app/var/media", "backups:/backups"]
    # The modules those commands name exist in the project.
    assert (ROOT / "config" / "wsgi.py").exists()
    assert (ROOT / "config" / "celery.py").exists()
    assert (ROOT / "config" / "serve.py").exists()
    assert (ROOT / "config" / "gunicorn.py").exists()
    assert (ROOT / "Dockerfile").exists()


def test_procfile_starts_web_worker_and_beat():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()
    )

    assert set(lines) == {"web", "worker", "beat"}
    assert "runserver" in lines["web"]
    assert "celery -A config worker" in lines["worker"]
    assert "celery -A config beat" in lines["beat"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_matches_its_source(language):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    compiled = polib.mofile(str(folder / "django.mo"))

    translated = {
        (e.msgctxt, e.msgid): e.msgstr for e in source.translated_entries() if not e.msgid_plural
    }
    in_mo = {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid and not e.msgid_plural}
    assert in_mo == translated


def test_french_catalogue_is_complete():
    source = polib.pofile(str(ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"))

    assert [e.msgid for e in source.untranslated_entries()] == []
    assert [e.msgid for e in source.fuzzy_entries()] == []


def _readme_configuration_variables() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE)


def test_readme_configuration_table_lists_exactly_the_settings_variables():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z_]+)\"", settings_source))
    documented = _readme_configuration_variables()

    assert "SECRET_KEY" in read and "DATABASE_URL" in read  # the pattern finds what it must
    assert len(documented) == len(set(documented)), "a variable is documented twice"
    assert set(documented) == read


def test_compose_environment_is_documented_in_the_readme():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    documented = set(_readme_configuration_variables())
    for name in ("web", "worker", "beat"):
        environment = compose["services"][name].get("environment", {})
        assert set(environment) <= documented, name


def test_layout_is_the_one_design_gives():
    # chantiers and budget: issue 15 adds them (right of workshops and of decisions).
    for folder in ("config", "portal", "assembly", "commons_registry", "workshops", "decisions", "charter",
                   "chantiers", "budget", "federation", "gatherings", "templates", "static", "tests", "locale", ".ci", "docs"):  # fmt: skip
        assert (ROOT / folder).is_dir(), folder
    for name in ("manage.py", "docker-compose.yml", "Dockerfile", "pyproject.toml", "README.md",
                 "Makefile", ".ci/run", "tests/e2e/conftest.py", "tests/services/conftest.py"):  # fmt: skip
        assert (ROOT / name).is_file(), name
    # chantiers, budget (issue 15) and federation (issue 16) sit right of the apps they read.
    for app in ("assembly", "commons_registry", "workshops", "chantiers", "decisions", "charter",
                "budget", "federation", "gatherings", "portal"):  # fmt: skip
        assert (ROOT / app / "apps.py").is_file(), app
    # config/ is the project package, not an app (issue 23).
    assert not (ROOT / "config" / "apps.py").exists()


# DESIGN.md's fixed top level, plus what the issues add beside it: tooling (bench/), the
# documentation (docs/) and the apps of later issues (federation/, issue 16).
TOP_LEVEL = {
    "manage.py", "assembly", "commons_registry", "workshops", "decisions", "charter",
    "templates", "static", "tests", "docker-compose.yml", "pyproject.toml", "README.md",
    "Makefile", ".ci", "locale",
    "Dockerfile", "Procfile", ".gitignore",  # the image, `make run`'s processes, git itself
    "bench", "docs", "chantiers", "budget", "federation", "gatherings",
    "config", "portal",  # the project package and the composition root (issue 23)
}  # fmt: skip


def test_top_level_holds_only_what_the_layout_allows():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout to list the tracked files")
    tracked = subprocess.run(
        [git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()

    top_level = {path.split("/", 1)[0] for path in tracked}

    assert top_level - TOP_LEVEL == set()
    assert "bench" in top_level


def test_tooling_lives_outside_the_apps():
    assert (ROOT / "bench" / "run.py").is_file()
    for app in ("assembly", "commons_registry", "workshops", "decisions", "charter"):
        assert not (ROOT / app / "benchmark.py").exists(), app
        assert not (ROOT / app / "management" / "commands" / "bench.py").exists(), app
