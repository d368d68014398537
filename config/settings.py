"""Settings for Assemblée, read from the environment only (django-environ).

Defaults serve the embedded mode (SQLite, Celery's filesystem transport, console e-mail) so that a
fresh clone runs with nothing else installed. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL,
SECRET_KEY and ALLOWED_HOSTS, and refuses to start with DEBUG off and no SECRET_KEY.
"""

import datetime
import re
import zoneinfo
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.profiles import PROFILES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# `make run` and docker compose may hand us an .env file; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Everything read from the environment, once, here. -------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'assemblee.sqlite3'}")
REDIS_URL = env.str("REDIS_URL", default="")
# The cache's own Redis (maxmemory, allkeys-lru) when the broker's (noeviction) is another server;
# REDIS_URL serves both when it is not set.
CACHE_URL = env.str("CACHE_URL", default="") or REDIS_URL
CELERY_DATA_DIR = Path(env.str("CELERY_DATA_DIR", default=str(VAR_DIR / "celery")))
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Assemblée <assemblee@localhost>")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Behind a TLS-terminating proxy (nginx, Caddy, Traefik) that sets X-Forwarded-Proto.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
# How many proxies append to X-Forwarded-For in front of us: the rate limits per IP need the
# client's address, not the proxy's (which every request would share).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
SECURE = env.bool("SECURE", default=not DEBUG)
HSTS_SECONDS = env.int("HSTS_SECONDS", default=60 * 60 * 24 * 365)
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Uploaded files (budget receipts): never served as static files, only through their views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env.str(
    "MAP_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
MAP_EMBED_ORIGINS = env.list("MAP_EMBED_ORIGINS", default=[])
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# How fast one account (/user) or one address (/ip) may write: "amount/period/per", comma-separated
# (allauth's format). A burst at the door or in a lively discussion stays well under them.
WRITE_RATE_LIMITS = {
    "comment": env.str("RATE_LIMIT_COMMENT", default="5/m/user,40/h/user,200/h/ip"),
    "workshop_proposal": env.str("RATE_LIMIT_WORKSHOP_PROPOSAL", default="10/h/user,60/h/ip"),
    "commons_proposal": env.str("RATE_LIMIT_COMMONS_PROPOSAL", default="10/h/user,60/h/ip"),
    "walk_in": env.str("RATE_LIMIT_WALK_IN", default="60/10m/user,120/10m/ip"),
    "subscription": env.str("RATE_LIMIT_SUBSCRIPTION", default="5/h/ip,3/h/key"),
    # Searches of the people picker (/people/choices.json): a name list is not read by a loop.
    "people_choices": env.str("RATE_LIMIT_PEOPLE_CHOICES", default="120/m/user,1000/h/user"),
    # POSTs to the fediverse inbox, per address, and per remote server (the signing key's domain).
    "activitypub_inbox": env.str("RATE_LIMIT_ACTIVITYPUB_INBOX", default="120/m/ip"),
    "activitypub_server": env.str("RATE_LIMIT_ACTIVITYPUB_SERVER", default="300/m/key"),
}

_RATE = r"\d+/\d*[smhd]/(ip|user|key)"
for _action, _rates in WRITE_RATE_LIMITS.items():
    if _rates and not re.fullmatch(rf"{_RATE}(\s*,\s*{_RATE})*", _rates.strip()):
        raise ImproperlyConfigured(
            f"RATE_LIMIT_{_action.upper()}={_rates!r}: expected e.g. '5/m/user,100/h/ip' "
            "(amount/period/per, period in s, m, h or d, per user, ip or key), or empty for none."
        )
# Lets federation fetch from loopback and private networks: tests and two local instances only.
FEDERATION_ALLOW_PRIVATE_NETWORKS = env.bool("FEDERATION_ALLOW_PRIVATE_NETWORKS", default=False)
# The production process set (`make serve`, compose): how many web and task processes, sized for
# the server (config/profiles.py); `small` fits the whole stack in 512 MB. HOST and PORT are where
# `make serve` and `make run` listen.
ASSEMBLEE_PROFILE = env.str("ASSEMBLEE_PROFILE", default="small")
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)
if ASSEMBLEE_PROFILE not in PROFILES:
    raise ImproperlyConfigured(
        f"ASSEMBLEE_PROFILE={ASSEMBLEE_PROFILE!r}: expected one of {', '.join(sorted(PROFILES))}."
    )

# A read-only season (issue 26, assembly/read_only.py): pages answer, every write is refused.
READ_ONLY = env.bool("READ_ONLY", default=False)
READ_ONLY_MESSAGE = env.str("READ_ONLY_MESSAGE", default="")
# When it began (ISO 8601, e.g. 2026-12-04T18:00): shown in the banner. Keep it set when turning
# READ_ONLY off: the next decisions sweep then extends the discussions and votes open at that moment
# by the season's length, once (decisions.services.extend_after_read_only_season).
READ_ONLY_SINCE = env.str("READ_ONLY_SINCE", default="")
try:
    READ_ONLY_SINCE = datetime.datetime.fromisoformat(READ_ONLY_SINCE) if READ_ONLY_SINCE else None
except ValueError as _error:
    raise ImproperlyConfigured(
        f"READ_ONLY_SINCE={READ_ONLY_SINCE!r}: expected a date and time, e.g. 2026-12-04T18:00."
    ) from _error
if READ_ONLY_SINCE is not None and READ_ONLY_SINCE.tzinfo is None:
    READ_ONLY_SINCE = READ_ONLY_SINCE.replace(tzinfo=zoneinfo.ZoneInfo(TIME_ZONE))
if READ_ONLY and READ_ONLY_SINCE is None:
    raise ImproperlyConfigured(
        "READ_ONLY=1 needs READ_ONLY_SINCE, the moment the season began (e.g. 2026-12-04T18:00)."
    )

if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

# --- Applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    # Widget templates through TEMPLATES (FORM_RENDERER below): the picker's is under templates/.
    "django.forms",
    "assembly",
    "commons_registry",
    "workshops",
    "chantiers",
    "decisions",
    "charter",
    "budget",
    "federation",
    "gatherings",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag on every GET (feeds and exports set theirs once, when cached) and 304 to a conditional
    # GET that already holds the same content: calendar clients poll every few minutes.
    "django.middleware.http.ConditionalGetMiddleware",
    # A database that does not answer: a 503 page in our layout, not a 500 (assembly/unavailable.py).
    "assembly.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A read-only season refuses every write before any view runs (assembly/read_only.py).
    "assembly.read_only.ReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, the settings' policy built once (assembly/content_policy.py).
    "assembly.content_policy.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a cached page still goes out through every middleware above (CSRF cookie,
    # CSP, X-Frame-Options): anonymous public pages from the shared cache (assembly/page_cache.py).
    "assembly.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# TemplatesSetting, with Django's own form templates written in Python (the same bytes).
FORM_RENDERER = "assembly.form_rendering.FormRenderer"
AUTH_USER_MODEL = "assembly.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # Django's i18n processor, reading the language once (assembly/context_processors.py).
                "assembly.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assembly.context_processors.assembly",
                # After Django's own csrf processor: a page being cached gets a placeholder.
                "assembly.page_cache.csrf_placeholder",
            ],
            "builtins": ["assembly.templatetags.markdown", "assembly.templatetags.fragments"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Web, worker and beat write at the same time: WAL, IMMEDIATE transactions and a busy timeout
    # keep SQLite from answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# --- Cache (anonymous pages, allauth's rate limits) -----------------------------------------------
if CACHE_URL:
    CACHES = {
        # Redis failing reads as an empty cache (assembly/cache.py): pages keep answering, and
        # a hung Redis costs one short timeout before the circuit breaker stops asking.
        "default": {
            "BACKEND": "assembly.cache.ForgivingRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    # Files under var/cache, not each process's memory: the web process and the Celery worker must
    # share the content version that keeps anonymous pages exact (assembly/page_cache.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Kept pages and parts are pickled: a release that moves the modules they name (issue 23 moved the
# project package to config/ and the composition root to portal/) changes this prefix, so that no
# process ever reads a value written under the old paths. Never flush the Redis that also holds the
# broker's queue to get the same effect.
CACHE_KEY_PREFIX = "assemblee-house"
for _alias in CACHES.values():
    _alias.setdefault("KEY_PREFIX", CACHE_KEY_PREFIX)

# --- Authentication (django-allauth) -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "assembly.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "assembly.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Assemblée] "
# allauth's own limits (sign-in, sign-up, reset) at their defaults, and ours beside them, all counted
# in the cache above; assembly/ratelimits.py applies ours.
ACCOUNT_RATE_LIMITS = dict(WRITE_RATE_LIMITS)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# No URL serves MEDIA_ROOT: receipts go through budget:receipt, which checks who asks.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------------------
vars().update(env.email_url_config(EMAIL_URL))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A web request that enqueues while Redis is down waits seconds, not minutes, then goes on.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
else:
    CELERY_BROKER_URL = "filesystem://"
    for folder in ("queue", "processed", "control"):
        (CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # The exchange table; kombu's default is ./control, relative to wherever the worker starts.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beside the filesystem broker's queue, so that two local instances (docs/federation.md) each
# keep their own beat schedule.
CELERY_BEAT_SCHEDULE_FILENAME = str(
    (VAR_DIR if REDIS_URL else CELERY_DATA_DIR) / "celerybeat-schedule"
)
# The periodic tasks of every app (name -> task and schedule): the composition root's timetable.
CELERY_BEAT_SCHEDULE: dict = {
    # Once a day, ask the stewards of entries unconfirmed for a year (each entry once a year).
    "commons-request-confirmations": {
        "task": "commons_registry.request_confirmations",
        "schedule": crontab(hour=6, minute=15),
    },
    # Lapses members whose last sessions left the window, and sends the membership e-mails.
    "recompute-memberships": {
        "task": "workshops.recompute_memberships",
        "schedule": crontab(hour=3, minute=0),
    },
    # Opens and closes votes and sends their reminders; safe to run late or twice.
    "decisions-advance": {"task": "decisions.advance_decisions", "schedule": 5 * 60},
    "workshops-plan-upcoming-meetings": {
        "task": "workshops.plan_upcoming_meetings",
        "schedule": crontab(hour=3, minute=10),
    },
    # Meetings whose end has passed become held, just after midnight; safe to run late or twice.
    "workshops-mark-meetings-held": {
        "task": "workshops.mark_meetings_held",
        "schedule": crontab(hour=0, minute=5),
    },
    # The announcement N days before each assembly (the rhythm's setting); once per person.
    "assembly-send-announcements": {
        "task": "assembly.send_announcements",
        "schedule": crontab(minute="5,35"),
    },
    # Each ISO week's digest; daily, so a missed Monday is caught up, never skipped nor doubled.
    "assembly-send-weekly-digests": {
        "task": "assembly.send_weekly_digests",
        "schedule": crontab(hour=8, minute=20),
    },
    "workshops-send-meeting-reminders": {
        "task": "workshops.send_meeting_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Fetches what the neighbouring assemblies publish; each one failing is retried with backoff.
    "federation-refresh-neighbours": {
        "task": "federation.refresh_neighbours",
        "schedule": crontab(minute=20),
    },
    # The fediverse (off unless turned on): meetings changed since the last sweep are sent, and
    # deliveries due (first tries and retries with backoff) and received activities are handled.
    "federation-publish-events": {"task": "federation.publish_events", "schedule": 60},
    "federation-deliver-activities": {"task": "federation.deliver_activities", "schedule": 60},
    "federation-process-inbox": {"task": "federation.process_inbox", "schedule": 5 * 60},
    # E-mails whose sender died mid-send (claimed over 30 minutes ago) become "uncertain".
    "assembly-expire-stuck-deliveries": {
        "task": "assembly.expire_stuck_deliveries",
        "schedule": crontab(minute="*/10"),
    },
    # A content-version bump Redis refused (assembly/page_cache/recovery.py), made good.
    "assembly-recover-page-cache": {"task": "assembly.recover_page_cache", "schedule": 60},
    # Tasks the broker refused while it was down (assembly/deferred.py), enqueued once it is back.
    "assembly-enqueue-deferred-tasks": {
        "task": "assembly.enqueue_deferred_tasks",
        "schedule": 5 * 60,
    },
}
# A read-only season pauses the periodic tasks: every one of them writes.
if READ_ONLY:
    CELERY_BEAT_SCHEDULE = {}

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = SECURE
# In the database only, read at every signed-in request: signing out ends a session even while
# the shared cache does not answer (cached_db would go on reading a copy the cache kept). Django's
# database store, its read prepared once (assembly/sessions.py).
SESSION_ENGINE = "assembly.sessions"
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = HSTS_SECONDS if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

MAP_TILE_ORIGIN = "https://*.tile.openstreetmap.org"
if MAP_TILES_URL.startswith("http"):
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILES_URL)
    MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", MAP_TILE_ORIGIN],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}
