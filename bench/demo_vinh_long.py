"""What the demo's 2026 round of the merged Vĩnh Long (issue 10.9) adds to ``smartcommune demo``.

    .venv/bin/python bench/demo_vinh_long.py [--repeat 3]

A benchmark, not a test: it prints what it measured, with the machine and its load average.
Each run, on a fresh SQLite file in ``bench/out/`` (migrated once, then copied): loads the
units (not timed), then times :func:`smartcommune.demo.actions.load_vinh_long_round` -- the
people (nine logins hashed), the round of 124 communes, every value, every workflow step
with its audit entries and notifications -- in this process, wall clock.  The whole demo
(Bến Tre's five rounds and this one) is ``smartcommune demo``; time that with ``time``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
SECRET = "smartcommune-bench-only-key-not-a-secret-0123456789"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    template, run = OUT / "demo-vinh-long-template.sqlite3", OUT / "demo-vinh-long.sqlite3"
    os.environ["SECRET_KEY"] = SECRET
    os.environ["DJANGO_SETTINGS_MODULE"] = "smartcommune.settings"
    os.environ["SMARTCOMMUNE_VAR_DIR"] = str(OUT / "demo-vinh-long-var")
    os.environ["DATABASE_URL"] = f"sqlite:///{run}"
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    if not template.exists():
        call_command("migrate", verbosity=0)
        from smartcommune.units.actions import do_load_units

        do_load_units()
        connections.close_all()
        shutil.copy(run, template)
    from smartcommune.demo.actions import load_vinh_long_round

    load = os.getloadavg()
    seconds = []
    for _ in range(args.repeat):
        connections.close_all()
        shutil.copy(template, run)
        started = time.perf_counter()
        assert load_vinh_long_round(seed=2021)
        seconds.append(time.perf_counter() - started)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after; SQLite")
    print(f"load_vinh_long_round, {args.repeat} runs: best {min(seconds):.1f} s, "
          f"median {statistics.median(seconds):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
