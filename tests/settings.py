"""Settings for the test suite: the production settings, with a throw-away key.

DEBUG stays off, as in production. The database is SQLite unless DATABASE_URL
names PostgreSQL (.ci/run runs the suite on both).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ["DEBUG"] = "0"

from smartcommune.settings import *  # noqa: E402,F403

# Production serves hashed names from collectstatic's manifest; tests render
# pages without running collectstatic, so they use the plain storage.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# The rendered results pages are kept in a throw-away folder, never in the checkout's var/.
import tempfile  # noqa: E402

CACHES = {**CACHES, "results": {**CACHES["results"], "LOCATION": tempfile.mkdtemp(prefix="smartcommune-test-results-")}}  # noqa: F405

# Django's flush on SQLite empties tables with DELETE, which the audit log's append-only
# trigger refuses; the test app's flush lifts that guard for its own transaction only.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.support"]  # noqa: F405
