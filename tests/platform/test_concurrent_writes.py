"""Many writers saving or submitting the same version of an assessment at the same moment
(issue 16 item 8): exactly one wins, every other gets the edit conflict (the API's 409, the
web's "changed meanwhile"), and none fails -- no "database is locked" on SQLite, as on
PostgreSQL.

The writers are separate processes, as gunicorn's workers are, on the test database: on
PostgreSQL the test database itself, on SQLite a file copy of it (pytest-django's SQLite
test database lives in this process's memory, where SQLite's locking is not the one a
server meets)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from smartcommune.rounds.models import Assessment
from tests.imports.subprocess_db import ROOT, SubprocessDatabase
from tests.rounds.fixtures import assessment_of, fill

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

WRITERS = 8


def race(db: SubprocessDatabase, mode: str, assessment: Assessment, username: str, version: int) -> list[dict]:
    """Start the writers, wait until each is ready, let them all go at once; their outcomes."""
    writers = [
        subprocess.Popen([sys.executable, "-m", "tests.platform.concurrent_writer", mode, str(assessment.pk),
                          username, str(version), f"người ghi {i}"],
                         cwd=ROOT, env=db.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, encoding="utf-8")
        for i in range(WRITERS)
    ]
    try:
        for w in writers:
            line = w.stdout.readline()
            assert line.strip() == "ready", (line, w.stderr.read() if w.poll() is not None else "")
        for w in writers:
            w.stdin.write("go\n")
        for w in writers:
            w.stdin.flush()
        outcomes = []
        for w in writers:
            out, err = w.communicate(timeout=120)
            assert w.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
        return outcomes
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()


@pytest.fixture
def shared(tmp_path):
    return SubprocessDatabase(tmp_path)


def test_simultaneous_saves_of_one_version(shared, world, round_bt):
    a = assessment_of(round_bt, world.a)
    version = a.version
    shared.share()
    outcomes = race(shared, "save", a, "officer_a", version)
    assert [o["outcome"] for o in outcomes].count("error") == 0, outcomes
    assert sorted(o["outcome"] for o in outcomes) == ["conflict"] * (WRITERS - 1) + ["saved"], outcomes
    _values, versions, _audit, _batches = shared.snapshot()
    assert dict((v[0], v[1]) for v in versions)[a.pk] == version + 1


def test_simultaneous_submits(shared, world, round_bt):
    a = fill(assessment_of(round_bt, world.a), world.officer_a)
    version = a.version
    shared.share()
    outcomes = race(shared, "submit", a, "officer_a", version)
    assert [o["outcome"] for o in outcomes].count("error") == 0, outcomes
    assert sorted(o["outcome"] for o in outcomes) == ["conflict"] * (WRITERS - 1) + ["saved"], outcomes
    _values, versions, _audit, _batches = shared.snapshot()
    assert dict((v[0], (v[1], v[2])) for v in versions)[a.pk] == (version + 1, "submitted")
