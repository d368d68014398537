"""Test speed-ups on top of the real settings: fast hashing, in-memory e-mail, eager nothing."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECURE", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Rate limits are exercised by their own test; the rest of the suite signs in often.
ACCOUNT_RATE_LIMITS = False

# A worker process started by a services test must reach the test database and, when asked, send
# its e-mail to a real SMTP sink.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["TEST_DATABASE_NAME"]  # noqa: F405
if os.environ.get("TEST_CELERY_QUEUE"):
    # The worker listens on a queue of its own: what it enqueues itself (the deferred tasks' sweep)
    # must go there too, not to the default queue no one of this test reads.
    CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]
if os.environ.get("TEST_EMAIL_URL"):
    vars().update(environ.Env.email_url_config(os.environ["TEST_EMAIL_URL"]))  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that a worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# Tests serve static files from the finders (runserver_nostatic + WhiteNoise autorefresh).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Each test process keeps its own cache: parallel test workers must not clear each other's rate
# limits. (That REDIS_URL selects the Redis cache is checked by tests/assembly/test_settings.py.)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
