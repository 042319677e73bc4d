"""``python -m tests.imports.paused_cli MARKER ARGS…``: run ``smartcommune ARGS…`` with
``do_import`` stopped at the last moment of its transaction -- every row written, the
commit not yet sent.

The test that kills an import inside its transaction needs the real process stopped at a
known point; the product has no hook for it, so this runner wraps ``do_import`` in the
child process itself: while it runs, the connection's ``commit`` writes this process's id
to MARKER (atomically, via a rename) and sleeps, so the test can SIGKILL it there.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from unittest import mock


def main(marker: Path, argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    import django

    django.setup()
    from django.db import connection

    from smartcommune import cli
    from smartcommune.imports import actions

    real = actions.do_import

    def pause_before_commit() -> None:
        partial = Path(f"{marker}.partial")
        partial.write_text(str(os.getpid()))
        os.replace(partial, marker)
        time.sleep(120)
        raise SystemExit("the test never killed the paused import")

    def paused_do_import(**kwargs):
        with mock.patch.object(connection, "commit", pause_before_commit):
            return real(**kwargs)

    with mock.patch.object(actions, "do_import", paused_do_import):
        return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
