"""Settings for the test suite: the production settings, with a throw-away key.

DEBUG stays off, as in production. The database is SQLite unless DATABASE_URL
names PostgreSQL (.ci/run runs the suite on both).
"""

import os

# Long enough for check smartcommune.E003 (production rules apply to the tests too).
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789-abcdef")
os.environ["DEBUG"] = "0"

from smartcommune.settings import *  # noqa: E402,F403

# Production serves hashed names from collectstatic's manifest; tests render
# pages without running collectstatic, so they use the plain storage.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# The caches are the production ones: tables of the test database, which Django's test
# database creation makes (createcachetable) on SQLite and PostgreSQL alike.

# Django's flush on SQLite empties tables with DELETE, which the audit log's append-only
# trigger refuses; the test app's flush lifts that guard for its own transaction only.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.support"]  # noqa: F405
