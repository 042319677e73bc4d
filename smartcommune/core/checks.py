"""System checks for configuration errors, with stable IDs.

============================  ===============================================
ID                            what is wrong
============================  ===============================================
``smartcommune.E001``         ``SECRET_KEY`` is empty while ``DEBUG`` is off
``smartcommune.E002``         the database is neither SQLite nor PostgreSQL
``smartcommune.E003``         ``SECRET_KEY`` is short or guessable while ``DEBUG`` is off
``smartcommune.E004``         a configured cache or storage needs a package that is not installed
``smartcommune.W001``         ``DEBUG`` is on with hosts other than loopback
============================  ===============================================
"""

from __future__ import annotations

import importlib.util

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.checks import Error, Warning, register

_LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}
_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


@register()
def check_secret_key(app_configs=None, **kwargs):
    # settings.SECRET_KEY raises on an empty value; this check exists to
    # explain that in plain words, with a stable ID.
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    if not settings.DEBUG and not key:
        return [
            Error(
                "SECRET_KEY chưa được đặt (SECRET_KEY is not set).",
                hint="Đặt biến môi trường SECRET_KEY thành một chuỗi ngẫu nhiên dài, "
                "hoặc DEBUG=1 khi phát triển. (Set the SECRET_KEY environment variable "
                "to a long random string, or DEBUG=1 for development.)",
                id="smartcommune.E001",
            )
        ]
    return []


@register()
def check_database_engine(app_configs=None, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in _ENGINES:
        return [
            Error(
                f"Cơ sở dữ liệu {engine!r} không được hỗ trợ (unsupported database).",
                hint="DATABASE_URL phải là sqlite:///… hoặc postgres://… "
                "(DATABASE_URL must be sqlite:///… or postgres://…).",
                id="smartcommune.E002",
            )
        ]
    return []


@register()
def check_debug_hosts(app_configs=None, **kwargs):
    public = [h for h in settings.ALLOWED_HOSTS if h not in _LOOPBACK]
    if settings.DEBUG and public:
        return [
            Warning(
                "DEBUG đang bật trong khi ALLOWED_HOSTS có máy ngoài "
                f"{', '.join(public)} (DEBUG is on for non-loopback hosts).",
                hint="Tắt DEBUG khi phục vụ người dùng thật (turn DEBUG off in production).",
                id="smartcommune.W001",
            )
        ]
    return []


# Django's own deploy check (security.W009) asks for this much, but only as a warning and
# only under --deploy; a key that signs sessions and derives the demo passwords must not be
# weak in production at all.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5


@register()
def check_secret_key_strength(app_configs=None, **kwargs):
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        return []  # empty: E001 says so
    if settings.DEBUG or not key:
        return []
    if (len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE
            or key.startswith("django-insecure-")):
        return [
            Error(
                f"SECRET_KEY quá ngắn hoặc dễ đoán (cần ít nhất {SECRET_KEY_MIN_LENGTH} ký tự, "
                f"{SECRET_KEY_MIN_UNIQUE} ký tự khác nhau) "
                "(SECRET_KEY is too short or guessable).",
                hint="Tạo khoá mới, ví dụ: python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
                "(generate a new key, for example with that command).",
                id="smartcommune.E003",
            )
        ]
    return []


# Optional back ends (README, Configuration): the package each needs.
_OPTIONAL_PACKAGES = {
    "django.core.cache.backends.redis.RedisCache": ("redis", "pip install 'smartcommune[redis]'"),
    "storages.backends.s3.S3Storage": ("storages", "pip install 'smartcommune[s3]'"),
}


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@register()
def check_optional_packages(app_configs=None, **kwargs):
    backends = [c.get("BACKEND", "") for c in settings.CACHES.values()]
    backends += [c.get("BACKEND", "") for c in settings.STORAGES.values()]
    errors = []
    for backend in dict.fromkeys(backends):
        if backend in _OPTIONAL_PACKAGES and not _installed(_OPTIONAL_PACKAGES[backend][0]):
            module, command = _OPTIONAL_PACKAGES[backend]
            errors.append(Error(
                f"{backend} cần gói {module!r} nhưng gói chưa được cài (the package it needs is not installed).",
                hint=f"Cài gói ({command}) hoặc bỏ cấu hình tương ứng "
                "(install it, or remove SMARTCOMMUNE_CACHE_URL / SMARTCOMMUNE_S3_BUCKET).",
                id="smartcommune.E004",
            ))
    return errors
