"""Run the ``smartcommune`` command in a subprocess against the test database.

The tests that use it are ``transaction=True`` tests, so what they create is committed
and a second process can see it.  On PostgreSQL the subprocess connects to the test
database itself; pytest-django's SQLite test database lives in this process's memory, so
it is copied into a file (SQLite's online backup) that the subprocess opens, and read
back from there.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SNAPSHOT_SQL = (
    "SELECT assessment_id, criterion_code, numerator, denominator, met, source FROM rounds_criterionvalue "
    "ORDER BY assessment_id, criterion_code",
    "SELECT id, version, status FROM rounds_assessment ORDER BY id",
    "SELECT COUNT(*) FROM rounds_auditentry",
    "SELECT COUNT(*) FROM imports_importbatch",
)


class SubprocessDatabase:
    def __init__(self, tmp_path: Path):
        self.sqlite_file: Path | None = None
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            self.sqlite_file = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.sqlite_file}"
        else:
            auth = quote(settings["USER"] or "")
            if settings.get("PASSWORD"):
                auth += ":" + quote(settings["PASSWORD"])
            self.url = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"

    def share(self) -> None:
        """Make what this process committed visible to the subprocess."""
        if self.sqlite_file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            connection.connection.backup(target)
            # As `smartcommune migrate` leaves a production file (settings: WAL).  The copy of
            # the in-memory test database is not in WAL yet, and processes that open it at once
            # would each try to switch it, which SQLite refuses to all but one ("database is
            # locked", without waiting) -- a race a migrated database never meets.
            target.execute("PRAGMA journal_mode=WAL")
            target.close()

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env["DATABASE_URL"] = self.url
        env["SECRET_KEY"] = "test-only-secret-key-not-for-production"
        env.update(extra)
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "smartcommune.cli", *args]

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), cwd=ROOT, env=self.env(**extra_env), capture_output=True,
                              text=True, encoding="utf-8", timeout=120)

    def snapshot(self) -> tuple:
        """Values, versions, audit and batch counts as the database holds them now."""
        if self.sqlite_file is not None:
            db = sqlite3.connect(self.sqlite_file)
            try:
                rows = [db.execute(sql).fetchall() for sql in SNAPSHOT_SQL]
            finally:
                db.close()
        else:
            rows = []
            with connection.cursor() as cursor:
                for sql in SNAPSHOT_SQL:
                    cursor.execute(sql)
                    rows.append(cursor.fetchall())
        values, versions, (audit,), (batches,) = ([tuple(r) for r in found] for found in rows)
        return values, versions, audit[0], batches[0]
