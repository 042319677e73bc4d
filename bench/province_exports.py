"""Province workbook and PDF report for Bến Tre's 148 communes: cold, warm, and after a change.

    .venv/bin/python bench/province_exports.py [--database bench/out/exports.sqlite3] [--repeat 5]

Builds the demo (``smartcommune migrate`` and ``smartcommune demo``: Bến Tre's real units,
148 communes, synthetic assessments walked through the workflow) into its own SQLite file
under ``bench/out/`` the first time (about a minute; reused afterwards), then, in this
process, with Django's test client signed in as the province secretariat (``thuky``) and
the production settings (the results cache in the database):

* **cold**: the first download of ``/exports/83/<year>/ket-qua.xlsx`` and ``…/bao-cao.pdf``
  after the results cache is cleared (the file is built);
* **warm**: ``--repeat`` further downloads, unchanged data (the kept file is sent);
* **after a change**: one assessment's version bumped, as every audited write does -- the
  stamp moves, so the next download builds the file again, and the one after is warm.

Prints a Markdown table (best and median milliseconds) and the machine's load average
before and after, for the README. Target (issue 13): warm under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def build(database: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench-" + "x" * 50}
    smartcommune = [sys.executable, "-m", "smartcommune.cli"]
    subprocess.run([*smartcommune, "migrate"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([*smartcommune, "demo"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=OUT / "exports.sqlite3")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    database = args.database.resolve()
    if not database.exists():
        print(f"building the demo into {database} …", file=sys.stderr)
        build(database)
    os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench-" + "x" * 50,
                       "DJANGO_SETTINGS_MODULE": "smartcommune.settings", "ALLOWED_HOSTS": "testserver"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.test import Client

    from smartcommune.results import caching
    from smartcommune.rounds.models import Assessment, Round

    round_ = Round.objects.filter(province__code="83").order_by("-year").first()
    client = Client()
    client.force_login(get_user_model().objects.get(username="thuky"))
    communes = round_.assessments.count()
    load_before = os.getloadavg()

    def timed(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    rows = []
    for name in ("ket-qua.xlsx", "bao-cao.pdf"):
        url = f"/exports/83/{round_.year}/{name}"
        caching.clear()
        cold = timed(url)
        warm = [timed(url) for _ in range(args.repeat)]
        Assessment.objects.filter(pk=round_.assessments.order_by("pk").values("pk")[:1]).update(version=F("version") + 1)
        changed = timed(url)
        after = timed(url)
        rows.append((name, cold, min(warm), statistics.median(warm), changed, after))
    load_after = os.getloadavg()

    print(f"Bến Tre {round_.year}: {communes} communes; signed in as the secretariat; SQLite; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} cores)\n")
    print("| file | cold (ms) | warm best (ms) | warm median (ms) | after a change (ms) | warm again (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, cold, best, median, changed, after in rows:
        print(f"| {name} | {cold:.0f} | {best:.1f} | {median:.1f} | {changed:.0f} | {after:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
