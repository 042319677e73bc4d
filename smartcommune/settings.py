"""Django settings, read from the environment.

Safe by default: ``DEBUG`` is off unless ``DEBUG=1``; ``SECRET_KEY`` must be given
outside development (system check ``smartcommune.E001``); the database is the
embedded SQLite file ``var/smartcommune.sqlite3`` unless ``DATABASE_URL`` names
another (PostgreSQL in production).

Environment variables:

``DATABASE_URL``   e.g. ``postgres://user@127.0.0.1:5432/smartcommune``
``SECRET_KEY``     required unless ``DEBUG=1``
``DEBUG``          ``1``/``true`` to turn on development mode
``ALLOWED_HOSTS``  comma-separated host names (default: ``localhost,127.0.0.1``)
``SMARTCOMMUNE_VAR_DIR``  where SQLite, uploads and collected static files live (default ``./var``)
``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_PORT``, ``DEFAULT_FROM_EMAIL``  notification mail
                   (default: printed to the console, nothing sent)

Settings of the yearly round (``smartcommune.rounds``), plain values below:

``SMARTCOMMUNE_UPLOAD_MAX_BYTES``  largest evidence file accepted, in bytes (default 20 MB;
                                   system check ``smartcommune.E010``)
``SMARTCOMMUNE_ANOMALY_POINTS``    a ratio moving by more than this many percentage points
                                   from the year before is flagged (default 20)
``SMARTCOMMUNE_IMPORT_MAX_BYTES``  largest import file (template or long CSV) accepted, in
                                   bytes (default 10 MB, never above the evidence limit)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(os.environ.get("SMARTCOMMUNE_VAR_DIR", Path.cwd() / "var")).resolve()

DEBUG = _env_bool("DEBUG", default=False)

# Outside development an empty key is refused by check smartcommune.E001 rather
# than replaced by a guessable default.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "smartcommune.core",
    "smartcommune.units",
    "smartcommune.accounts",
    "smartcommune.rounds",
    "smartcommune.results",
    "smartcommune.imports",
    "smartcommune.api",
    "smartcommune.demo",
    # django-ninja as an app: its docs page then uses the Swagger UI files bundled in the
    # package (served as static files), never a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files from the application server itself, so
    # `smartcommune serve` needs no separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "smartcommune.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smartcommune.rounds.context_processors.navigation",
                "smartcommune.demo.context_processors.synthetic_data",
            ],
        },
    },
]

WSGI_APPLICATION = "smartcommune.wsgi.application"

if "DATABASE_URL" not in os.environ:
    # The embedded default keeps its file here; create the folder on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'smartcommune.sqlite3'}",
        conn_max_age=60,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "uploads"

# The yearly round (see the module docstring).
SMARTCOMMUNE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
SMARTCOMMUNE_ANOMALY_POINTS = 20
SMARTCOMMUNE_IMPORT_MAX_BYTES = 10 * 1024 * 1024

# The JSON API (smartcommune.api): requests per minute, per token and per client IP
# without a token (see smartcommune/api/ratelimit.py; counted in the default cache, which
# is per process unless CACHES names a shared one).
SMARTCOMMUNE_API_TOKEN_RATE = int(os.environ.get("SMARTCOMMUNE_API_TOKEN_RATE", "600"))
SMARTCOMMUNE_API_ANONYMOUS_RATE = int(os.environ.get("SMARTCOMMUNE_API_ANONYMOUS_RATE", "120"))

# "default": per process (the API's rate counters).  "results": the rendered results pages
# (smartcommune/results/caching.py), in a directory shared by the server's worker
# processes so a page is computed once for all of them; `smartcommune serve` clears it on
# start.  Nothing is kept in development (DEBUG), so an edited template shows at once.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "results": {
        "BACKEND": (
            "django.core.cache.backends.dummy.DummyCache"
            if DEBUG
            else "django.core.cache.backends.filebased.FileBasedCache"
        ),
        "LOCATION": str(VAR_DIR / "cache" / "results"),
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Outgoing mail (notifications). The console backend by default, so nothing is
# sent by accident; set EMAIL_BACKEND, EMAIL_HOST and EMAIL_PORT in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "smartcommune@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind TLS in production, set SECURE_COOKIES=1.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
}
