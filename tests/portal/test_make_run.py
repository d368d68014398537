"""`make run` points e-mail links at the address it serves (issue 22): SITE_URL from HOST and
PORT, unless SITE_URL is set in the environment or in .env."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, env: dict, dotenv: str = "DEBUG=1\n") -> str:
    """`make run` in a scratch folder whose .venv's python does nothing and whose honcho prints
    the SITE_URL it was started with."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("")
    (bin_dir / "activate").write_text("")
    os.utime(tmp_path / "pyproject.toml", (0, 0))
    (tmp_path / ".env").write_text(dotenv)
    scripts = {
        # `manage.py migrate` succeeds; `manage.py database_is_empty` says no (no demo seeding)
        "python": '[ "$2" = database_is_empty ] && exit 1; exit 0',
        "honcho": 'echo "started with $SITE_URL"',
    }
    for name, script in scripts.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{script}\n")
        (bin_dir / name).chmod(0o755)
    clean = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}}
    result = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "run", *[f"{k}={v}" for k, v in env.items()]],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(autouse=True)
def _needs_make():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")


def test_site_url_follows_host_and_port(tmp_path):
    assert _run(tmp_path, {"PORT": "8123"}) == "started with http://127.0.0.1:8123"


def test_site_url_from_the_environment_wins(tmp_path):
    assert (
        _run(tmp_path, {"PORT": "8123", "SITE_URL": "https://assemblee.example.org"})
        == "started with https://assemblee.example.org"
    )


def test_site_url_from_dotenv_wins(tmp_path):
    line = _run(tmp_path, {"PORT": "8123"}, dotenv="DEBUG=1\nSITE_URL=https://from-env.example\n")

    assert line == "started with https://from-env.example"
