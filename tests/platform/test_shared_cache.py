"""The cache is shared by every worker process and server (issue 16 items 7 and 13): the
API's rate limit holds for all of them together, and the caches and sessions are in the
database by default."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from smartcommune.api import ratelimit
from tests.imports.subprocess_db import ROOT, SubprocessDatabase

PROCESSES = 3
HITS = 100
LIMIT = 120


def test_the_default_caches_are_database_tables_and_sessions_are_rows():
    assert settings.CACHES["default"]["BACKEND"] == "smartcommune.core.cache.DatabaseCache"
    assert settings.CACHES["results"]["BACKEND"] == "smartcommune.core.cache.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] != settings.CACHES["results"]["LOCATION"]
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_incr_counts_and_refuses_a_missing_key():
    cache.set("n", 1)
    assert cache.incr("n") == 2 and cache.incr("n", 5) == 7 and cache.get("n") == 7
    with pytest.raises(ValueError):
        cache.incr("missing")
    caches["default"].set("gone", 1, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("gone")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_anonymous_limit_holds_across_processes(tmp_path):
    # Counters are per minute: start well inside one, so the count is one window's.
    if time.time() % ratelimit.WINDOW_SECONDS > ratelimit.WINDOW_SECONDS - 25:
        time.sleep(ratelimit.WINDOW_SECONDS - time.time() % ratelimit.WINDOW_SECONDS + 0.5)
    db = SubprocessDatabase(tmp_path)
    db.share()
    workers = [subprocess.Popen([sys.executable, "-m", "tests.platform.rate_counter", "anon:203.0.113.9", str(LIMIT),
                                 str(HITS)], cwd=ROOT, env=db.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
               for _ in range(PROCESSES)]
    try:
        for w in workers:
            assert w.stdout.readline().strip() == "ready", w.stderr.read() if w.poll() is not None else ""
        for w in workers:
            w.stdin.write("go\n")
        for w in workers:
            w.stdin.flush()
        passed = []
        for w in workers:
            out, err = w.communicate(timeout=120)
            assert w.returncode == 0, err
            passed.append(int(out.strip()))
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    # 300 requests from three workers at once, 120 a minute in all: exactly 120 let through.
    assert sum(passed) == LIMIT, passed


@pytest.mark.slow
def test_migrate_creates_the_cache_tables(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SMARTCOMMUNE_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": settings.SECRET_KEY}
    result = subprocess.run([sys.executable, "-m", "smartcommune.cli", "migrate"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"smartcommune_cache", "smartcommune_results_cache", "django_session", "axes_accessattempt"} <= tables
    assert journal == "wal"  # set by the settings' init_command, kept in the file
