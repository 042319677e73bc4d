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

Production and several servers (README, "In production"):

``SMARTCOMMUNE_HTTPS``           ``1`` behind a TLS proxy: secure cookies, HTTPS redirect, HSTS
                                 (``SECURE_COOKIES=1`` is the older name)
``SMARTCOMMUNE_HSTS_SECONDS``    HSTS lifetime (default a year)
``SMARTCOMMUNE_TRUSTED_PROXIES`` reverse proxies in front that append to X-Forwarded-For (default 0)
``SMARTCOMMUNE_CACHE_URL``       ``redis://…`` for the shared cache (default: database tables)
``SMARTCOMMUNE_S3_BUCKET``       uploaded files in S3-compatible storage (with ``…_ENDPOINT_URL``,
                                 ``…_REGION``, ``…_PREFIX``; default: files in the var folder)
``SMARTCOMMUNE_LOGIN_FAILURE_LIMIT``, ``SMARTCOMMUNE_LOGIN_COOLOFF_MINUTES``  sign-in lock-out
                                 (default 10 failures, 15 minutes)

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
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# A directory of criteria-set files (*.toml) the administrator adds to the shipped ones;
# a bad file there is listed as invalid and never breaks another set.
SMARTCOMMUNE_CRITERIA_DIR = os.environ.get("SMARTCOMMUNE_CRITERIA_DIR", "").strip()
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
    "smartcommune.criteriasets",
    "smartcommune.results",
    "smartcommune.imports",
    "smartcommune.surveys",
    "smartcommune.api",
    "smartcommune.disclosure",
    "smartcommune.demo",
    "smartcommune.documents",
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
    # Vietnamese unless English was chosen in the language menu; never the browser's
    # Accept-Language (smartcommune/core/language.py).
    "smartcommune.core.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "smartcommune.core.input_guard.RefuseNulMiddleware",
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

# -- Surviving the database (operations; docs/deployment.md) --------------------------
# A kept connection is checked before reuse, so a database restart costs no request.
# On PostgreSQL a connection attempt gives up after SMARTCOMMUNE_DB_CONNECT_TIMEOUT
# seconds (default 5) and a statement is cancelled after SMARTCOMMUNE_DB_STATEMENT_TIMEOUT
# seconds (default 30; 0 = none), so a frozen or overloaded database answers 503 quickly
# (smartcommune/core/errors.py) instead of holding every worker.  Options given in
# DATABASE_URL (?connect_timeout=…&options=…) win.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", int(os.environ.get("SMARTCOMMUNE_DB_CONNECT_TIMEOUT", "5")))
    _db_options.setdefault(
        "options", f"-c statement_timeout={int(os.environ.get('SMARTCOMMUNE_DB_STATEMENT_TIMEOUT', '30')) * 1000}"
    )
# The product's own CSRF failure page (the other error pages are handler* in urls.py).
CSRF_FAILURE_VIEW = "smartcommune.core.errors.csrf_failure"
# -- end of "Surviving the database" --------------------------------------------------

# -- SQLite under concurrent writers (issue 16, item 8) ---------------------------------
# SQLite starts a transaction as a reader and upgrades it to a writer at its first write;
# two requests doing that at once deadlock, and SQLite answers one with "database is
# locked" at once, whatever the timeout.  Taking the write lock when the transaction
# begins (IMMEDIATE) makes writers queue instead, waiting up to the timeout (seconds; the
# busy timeout), so a conflicting save meets the version check and answers 409 as it does
# on PostgreSQL.  WAL lets readers go on while one writes; synchronous=NORMAL is WAL's
# usual durability setting (a power cut may lose the last commits, never corrupt the file).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })

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

# -- Uploaded files in object storage (issue 16, item 13) -------------------------------
# By default uploaded evidence is kept in MEDIA_ROOT, on this server's disk: with several
# app servers, set SMARTCOMMUNE_S3_BUCKET to keep it in S3-compatible object storage
# (MinIO, Ceph, a cloud provider) through django-storages -- installed separately:
# pip install 'smartcommune[s3]' (check smartcommune.E004 says so when missing).
# Credentials come from the environment as for every S3 client (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY), never from this file.  Files stay private: downloads go through
# the product's views, which check who may see them.
SMARTCOMMUNE_S3_BUCKET = os.environ.get("SMARTCOMMUNE_S3_BUCKET", "").strip()
if SMARTCOMMUNE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SMARTCOMMUNE_S3_BUCKET,
            "endpoint_url": os.environ.get("SMARTCOMMUNE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SMARTCOMMUNE_S3_REGION") or None,
            "location": os.environ.get("SMARTCOMMUNE_S3_PREFIX", "uploads"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# The yearly round (see the module docstring).
SMARTCOMMUNE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
SMARTCOMMUNE_ANOMALY_POINTS = 20
SMARTCOMMUNE_IMPORT_MAX_BYTES = 10 * 1024 * 1024
# The citizen survey of field 4 (smartcommune/surveys): a province's own questionnaire
# templates (directories of *.toml, separated by the path separator), the public form's
# limits (answers per survey per minute, per client address and survey per 10 minutes,
# seconds a person takes at least) and the largest answer file imported.
SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS = [
    d for d in os.environ.get("SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS", "").split(os.pathsep) if d.strip()
]
SMARTCOMMUNE_SURVEY_RATE = int(os.environ.get("SMARTCOMMUNE_SURVEY_RATE", "600"))
SMARTCOMMUNE_SURVEY_ADDRESS_RATE = int(os.environ.get("SMARTCOMMUNE_SURVEY_ADDRESS_RATE", "30"))
SMARTCOMMUNE_SURVEY_MIN_SECONDS = int(os.environ.get("SMARTCOMMUNE_SURVEY_MIN_SECONDS", "3"))
SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES = int(os.environ.get("SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES", str(64 * 1024 * 1024)))

# The JSON API (smartcommune.api): requests per minute, per token and per client IP
# without a token (see smartcommune/api/ratelimit.py; counted in the shared default cache,
# so a limit holds for all workers and servers together).
SMARTCOMMUNE_API_TOKEN_RATE = int(os.environ.get("SMARTCOMMUNE_API_TOKEN_RATE", "600"))
SMARTCOMMUNE_API_ANONYMOUS_RATE = int(os.environ.get("SMARTCOMMUNE_API_ANONYMOUS_RATE", "120"))
# The shared secret of the SMS and e-mail gateways posting to /api/v1/disclosure/inbound/
# (docs/disclosure.md); empty: the adapter is off.  Only ever from the environment.
SMARTCOMMUNE_INBOUND_SECRET = os.environ.get("SMARTCOMMUNE_INBOUND_SECRET", "").strip()

# -- Shared cache and sessions (issue 16, items 7 and 13) ---------------------------------
# Nothing a server needs may live only in its own memory or on its own disk: several worker
# processes (and several app servers behind a proxy) share one cache.  By default it is the
# database (Django's DatabaseCache: no extra server; `smartcommune migrate` creates its
# tables); set SMARTCOMMUNE_CACHE_URL=redis://host:6379/0 to use Redis instead (Django's
# RedisCache; needs the `redis` package: pip install 'smartcommune[redis]').
#
# "default": the API's rate counters (smartcommune/api/ratelimit.py) and anything else
# short-lived; a DatabaseCache whose incr() is atomic (smartcommune/core/cache.py), so the
# limits hold across workers and servers.
# "results": the rendered results pages (smartcommune/results/caching.py), computed once for
# every worker and server; a table of its own, so culling big pages never drops a rate
# counter.  Nothing is kept in development (DEBUG), so an edited template shows at once.
SMARTCOMMUNE_CACHE_URL = os.environ.get("SMARTCOMMUNE_CACHE_URL", "").strip()


def _shared_cache(table: str, prefix: str, **extra) -> dict:
    if SMARTCOMMUNE_CACHE_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": SMARTCOMMUNE_CACHE_URL, "KEY_PREFIX": prefix, **extra}
    return {"BACKEND": "smartcommune.core.cache.DatabaseCache", "LOCATION": table,
            "KEY_PREFIX": prefix, **extra}


CACHES = {
    "default": _shared_cache("smartcommune_cache", "default", OPTIONS={"MAX_ENTRIES": 20000}
                             if not SMARTCOMMUNE_CACHE_URL else {}),
    "results": (
        {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        if DEBUG
        else _shared_cache("smartcommune_results_cache", "results", TIMEOUT=600,
                           OPTIONS={"MAX_ENTRIES": 5000} if not SMARTCOMMUNE_CACHE_URL else {})
    ),
}
# Sessions are rows of the database (Django's default, said here so nobody moves them to a
# per-process store): every worker and server sees the same sign-ins.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

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

# -- Behind TLS (issue 16, item 10) ----------------------------------------------------
# SMARTCOMMUNE_HTTPS=1 (or the older SECURE_COOKIES=1) says the product is reached over
# HTTPS through a reverse proxy that ends TLS and sets X-Forwarded-Proto (overwriting any
# the client sent): then cookies are sent over HTTPS only, plain-HTTP requests are
# redirected, and browsers are told to use HTTPS for a year (HSTS).  Not set: plain HTTP
# (development, or a closed network).  The proxy's health probe of /healthz is never
# redirected, so it may talk plain HTTP to the app server on loopback.
SMARTCOMMUNE_HTTPS = _env_bool("SMARTCOMMUNE_HTTPS", default=_env_bool("SECURE_COOKIES", default=False))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SMARTCOMMUNE_HTTPS
if SMARTCOMMUNE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SMARTCOMMUNE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Entering the browsers' HSTS preload list is a decision for the whole domain (often a
# province's gov.vn), not for one application: the deploy check's reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# -- Content-Security-Policy (issue 16, item 10; django-csp) ---------------------------
# Every script, style sheet, image and font comes from this server (htmx and the Swagger
# UI included); no inline script, no inline event handler, no eval, no inline style
# (templates keep scripts and styles in static files; the map draws colours as SVG
# attributes).  The API's docs page adds data: images (Swagger UI's icons; see api/api.py).
INSTALLED_APPS += ["csp"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# -- Failed sign-ins (issue 16, item 7; django-axes) -----------------------------------
# After SMARTCOMMUNE_LOGIN_FAILURE_LIMIT failed sign-ins for one account, or from one
# client address, further attempts for it are refused for SMARTCOMMUNE_LOGIN_COOLOFF_MINUTES
# (the count restarts after a successful sign-in).  Counted in the database (shared by
# every worker and server) on the product's sign-in page and the admin's alike; the API's
# bearer tokens do not sign in and are not counted.  Every failure, lock-out and sign-in
# is recorded in axes' tables, shown in the admin (Axes: access attempts, failures, logs).
# The client address: REMOTE_ADDR, or behind SMARTCOMMUNE_TRUSTED_PROXIES reverse proxies the
# entry of X-Forwarded-For the outermost one appended (smartcommune/core/clients.py; the
# API's rate limits count the same address).
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes requires
AUTHENTICATION_BACKENDS = [
    "smartcommune.accounts.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("SMARTCOMMUNE_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SMARTCOMMUNE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "smartcommune.accounts.throttling.locked_out"
AXES_USERNAME_CALLABLE = "smartcommune.accounts.throttling.username_of"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "smartcommune.core.clients.client_address"
# No banner on every command's start; lock-outs are still logged (as warnings).
AXES_VERBOSE = False
SMARTCOMMUNE_TRUSTED_PROXIES = int(os.environ.get("SMARTCOMMUNE_TRUSTED_PROXIES", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
}

# Who runs the site, said in every page's footer and on the accessibility statement
# (core/templates/core/footer.html): the owning agency and how to reach it.  By default
# Vĩnh Long's Department of Science and Technology: since 1 July 2025 Bến Tre is part of
# Vĩnh Long, whose department now holds Bến Tre's 2021–2025 results as well as its own
# rounds (and took over Information & Communications on 1 March 2025).
SMARTCOMMUNE_OWNER = os.environ.get("SMARTCOMMUNE_OWNER", "").strip() or "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
SMARTCOMMUNE_CONTACT_EMAIL = os.environ.get("SMARTCOMMUNE_CONTACT_EMAIL", "").strip()
SMARTCOMMUNE_CONTACT_PHONE = os.environ.get("SMARTCOMMUNE_CONTACT_PHONE", "").strip()
