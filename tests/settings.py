"""Settings for the test suite: the production settings, with a throw-away key.

DEBUG stays off, as in production. The database is SQLite unless DATABASE_URL
names PostgreSQL (.ci/run runs the suite on both).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ["DEBUG"] = "0"

from smartcommune.settings import *  # noqa: E402,F403
