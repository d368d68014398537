"""Settings come from the environment only, refuse insecure production values, pass --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "assemblee.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://assemblee.example.org",
    "BEHIND_PROXY": "1",
    "SITE_URL": "https://assemblee.example.org",
}


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    # Only what a process needs to start: the test run's own variables must not leak in.
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_django("import django; django.setup()", DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_passes_with_documented_production_variables():
    result = run_django(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_secure():
    result = run_django(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, s.SECURE_PROXY_SSL_HEADER,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 5)[:5] == [
        "31536000",
        "True",
        "True",
        "DENY",
        "strict-origin-when-cross-origin",
    ]
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout
    assert "unsafe-inline" not in result.stdout


def test_embedded_default_uses_sqlite_and_filesystem_broker(tmp_path):
    result = run_django(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL,"
        " s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'], s.CACHES['default']['BACKEND'],"
        " s.DATABASES['default']['OPTIONS']['transaction_mode'])",
        DEBUG="1",
        CELERY_DATA_DIR=str(tmp_path / "celery"),
    )

    assert result.returncode == 0, result.stderr
    engine, broker, folder, cache, mode = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert folder == str(tmp_path / "celery" / "queue")
    # Shared by the web process and the worker: a write in one shows in the other's pages.
    assert cache == "django.core.cache.backends.filebased.FileBasedCache"
    assert mode == "IMMEDIATE"


def test_filesystem_broker_keeps_its_exchange_table_under_celery_data_dir(tmp_path):
    # Kombu's default control folder is ./control, relative to the working directory: the
    # exchange table then lands in the source tree (and once ended up committed).
    result = run_django(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['control_folder'])",
        DEBUG="1",
        CELERY_DATA_DIR=str(tmp_path / "celery"),
    )

    assert result.returncode == 0, result.stderr
    control = Path(result.stdout.strip())
    assert control == tmp_path / "celery" / "control"
    assert control.is_dir()


def test_default_celery_data_dir_is_git_ignored():

    default = settings.VAR_DIR / "celery"
    ignored = (ROOT / ".gitignore").read_text().split()

    assert default.relative_to(ROOT).parts[0] + "/" in ignored


def test_redis_url_becomes_broker_and_cache():
    result = run_django(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "redis://127.0.0.1:6379/3",
        "assembly.cache.ForgivingRedisCache",
        "redis://127.0.0.1:6379/3",
    ]


def test_cache_url_gives_the_cache_its_own_redis_beside_the_broker():
    result = run_django(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.CELERY_BROKER_URL, s.CACHES['default']['LOCATION'])",
        DEBUG="1",
        REDIS_URL="redis://broker:6379/0",
        CACHE_URL="redis://cache:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://broker:6379/0", "redis://cache:6379/0"]


def test_celery_is_configured_for_reliable_delivery():

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert hasattr(app.Task, "delay_on_commit")


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get("/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
