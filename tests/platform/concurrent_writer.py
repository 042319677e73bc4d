"""One writer process of the concurrency tests (tests/platform/test_concurrent_writes.py).

``python -m tests.platform.concurrent_writer MODE ASSESSMENT_ID USERNAME EXPECTED_VERSION TAG``
with ``DATABASE_URL`` naming the test database.  It sets Django up, reads what it needs,
prints ``ready`` and waits for a line on stdin, so that every writer starts its write at
the same moment; then it saves (MODE ``save``: a source text ``TAG`` on the first
criterion) or submits (MODE ``submit``) through the ``do_*`` action and prints one JSON
line: ``{"outcome": "saved" | "conflict" | "error", "detail": …}``.
"""

from __future__ import annotations

import json
import os
import sys


def main(mode: str, assessment_id: str, username: str, expected_version: str, tag: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from smartcommune.rounds.actions import do_save_values, do_transition
    from smartcommune.rounds.exceptions import EditConflict
    from smartcommune.rounds.models import Assessment

    actor = get_user_model().objects.get(username=username)
    assessment = Assessment.objects.get(pk=int(assessment_id))
    code = assessment.values.order_by("criterion_code").first().criterion_code
    connection.close()  # every writer opens its connection at the start, as a request does
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        if mode == "save":
            do_save_values(actor=actor, assessment=assessment, expected_version=int(expected_version),
                           values={code: {"source": tag}})
        else:
            do_transition(actor=actor, assessment=assessment, transition_name="submit",
                          expected_version=int(expected_version))
        outcome = {"outcome": "saved"}
    except EditConflict as exc:
        outcome = {"outcome": "conflict", "detail": str(exc)}
    except Exception as exc:  # noqa: BLE001 -- what the test must not see, reported
        outcome = {"outcome": "error", "detail": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
