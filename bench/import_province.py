"""Import a whole province (~150 communes × 23 criteria) from a filled template and from the
long CSV: parse and validate, preview, commit — timed step by step.

    .venv/bin/python bench/import_province.py                       # SQLite file in bench/out/
    .venv/bin/python bench/import_province.py --database-url postgres://postgres@127.0.0.1:5432/h_imports

Target (DESIGN.md "Targets", issue 5): a whole province validates and imports in under a
second.  What it does:

1. on the database ``--database-url`` names (default: ``bench/out/import_province.sqlite3``,
   created and migrated), makes a bench province "Tỉnh Thử Nghiệm (bench)" (code 99, not a
   real code) with ``--communes`` communes (default 148, like Bến Tre) under 9 districts,
   one data-entry user holding the commune-officer role for every commune (the only role
   that may enter data, so the one a province-wide file is imported by) and a 2024 round of
   the default criteria set — or reuses them when they exist;
2. writes two filled templates and two long CSVs of the whole province, A and B, with
   different values everywhere (so every run changes every value: 148 × 23 criteria,
   ≈ 6,300 values and as many audit rows);
3. ``--repeat`` times (default 5), alternating A and B, for xlsx and for csv: times
   ``read_upload`` (detect, bound, parse and check every cell), ``build_preview`` (load the
   round's values, apply the edit rules, diff, evaluate before and after) and
   ``do_import`` (lock, re-check, bulk write values and audit rows), in this process,
   wall clock;
4. prints a Markdown table (best and median per step, total) with the machine (``nproc``,
   ``lscpu``), the database and the sizes; saved as ``bench/out/import_province-<db>.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "smartcommune-bench-only-key-not-a-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "smartcommune.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _world(communes: int):
    """The bench province, its data-entry user and its 2024 round (made once, in one transaction)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from smartcommune.accounts.models import Role, RoleAssignment
    from smartcommune.rounds.actions import do_open_round
    from smartcommune.rounds.models import Round
    from smartcommune.units.models import Level, Unit

    User = get_user_model()
    start = date(2021, 1, 1)
    with transaction.atomic():
        province, _ = Unit.objects.get_or_create(
            level=Level.PROVINCE, code="99", valid_from=start,
            defaults=dict(name="Tỉnh Thử Nghiệm (bench)", short_name="Thử Nghiệm", kind="Tỉnh"))
        secretariat, _ = User.objects.get_or_create(username="bench-thuky")
        RoleAssignment.objects.get_or_create(user=secretariat, role=Role.SECRETARIAT, unit=province, agency="")
        officer, _ = User.objects.get_or_create(username="bench-nhaplieu")
        round_ = Round.objects.filter(province=province, year=2024).first()
        if round_ is not None:
            return round_, officer
        districts = [
            Unit.objects.create(level=Level.DISTRICT, code=f"99{d}", valid_from=start, name=f"Huyện {d} (bench)",
                                short_name=f"Huyện {d}", kind="Huyện", parent=province)
            for d in range(9)
        ]
        units = [
            Unit.objects.create(level=Level.COMMUNE, code=f"{90000 + i}", valid_from=start, name=f"Xã {i} (bench)",
                                short_name=f"Xã {i}", kind="Xã", parent=districts[i % 9])
            for i in range(communes)
        ]
        # bulk_create skips RoleAssignment.save, which fills unit_level.
        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=officer, role=Role.COMMUNE_OFFICER, unit=u, unit_level=Level.COMMUNE, agency="")
            for u in units
        ])
        round_ = do_open_round(actor=secretariat, criteria_set_code="ben-tre-2021-2025", year=2024,
                               province=province, submission_deadline=date(2026, 12, 31),
                               review_deadline=date(2026, 12, 31), verification_deadline=date(2026, 12, 31))
    return round_, officer


def _files(round_, variant: int) -> tuple[bytes, bytes]:
    """A filled template and a long CSV of the whole round, with values of ``variant``."""
    from openpyxl import load_workbook

    from smartcommune.imports import layout
    from smartcommune.imports.template import build_template

    assessments = list(round_.assessments.select_related("unit").order_by("unit__code"))
    criteria = round_.criteria_set.criteria
    wb = load_workbook(io.BytesIO(build_template(round_, assessments)))
    sheet = wb[layout.DATA_SHEET]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit_code", "year", "criterion", "numerator", "denominator", "met"])
    row = layout.FIRST_DATA_ROW
    for i, a in enumerate(assessments):
        for j, c in enumerate(criteria):
            d = 100 + (i + j) % 50 + variant
            n = d - (i * j + variant) % 12
            met = (i + j + variant) % 3 != 0
            if c.ratio:
                sheet[f"H{row}"], sheet[f"J{row}"] = n, d
            if c.boolean:
                sheet[f"L{row}"] = "Đạt" if met else "Không đạt"
            sheet[f"M{row}"] = f"Báo cáo năm 2024 ({variant})"
            writer.writerow([a.unit.code, 2024, c.code, n if c.ratio else "", d if c.ratio else "",
                             ("true" if met else "false") if c.boolean else ""])
            row += 1
    data = io.BytesIO()
    wb.save(data)
    return data.getvalue(), out.getvalue().encode()


def _machine() -> str:
    def run(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "?"

    lscpu = "\n".join(run("lscpu").splitlines()[:10])
    return f"nproc: {run('nproc')}; Python {platform.python_version()}; {platform.platform()}\n\n```\n{lscpu}\n```"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in bench/out/")
    parser.add_argument("--communes", type=int, default=148)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{OUT / 'import_province.sqlite3'}"
    _setup_django(url)

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from smartcommune.imports.actions import do_import
    from smartcommune.imports.preview import build_preview
    from smartcommune.imports.sources import read_upload

    print("setting up…", file=sys.stderr)
    round_, officer = _world(args.communes)
    files = {"xlsx": [], "csv": []}
    for variant in (1, 2):
        xlsx, long_csv = _files(round_, variant)
        files["xlsx"].append(xlsx)
        files["csv"].append(long_csv)
    n_assessments = round_.assessments.count()
    timings = {kind: {"parse": [], "preview": [], "commit": [], "total": [], "cpu": [], "values": [],
                      "queries": []} for kind in files}
    for kind, (first, second) in files.items():
        # Bring the data to variant B first, so the first timed run (A) changes every value.
        for warm in (second,):
            preview = build_preview(read_upload(warm, f"warm.{kind}"), officer, round_=round_)
            do_import(actor=officer, changes=preview.changes(), versions=preview.versions, file_name="warm")
        for i in range(args.repeat):
            data = (first, second)[i % 2]
            name = f"tinh-99-{i}.{kind}"
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                c0 = time.process_time()
                t0 = time.perf_counter()
                plan = read_upload(data, name, criteria_set_code=round_.criteria_set_code)
                t1 = time.perf_counter()
                preview = build_preview(plan, officer, round_=round_)
                t2 = time.perf_counter()
                result = do_import(actor=officer, changes=preview.changes(), versions=preview.versions,
                                   file_name=name)
                t3 = time.perf_counter()
                c3 = time.process_time()
            t = timings[kind]
            t["cpu"].append(c3 - c0)
            t["parse"].append(t1 - t0)
            t["preview"].append(t2 - t1)
            t["commit"].append(t3 - t2)
            t["total"].append(t3 - t0)
            t["values"].append(result.values)
            t["queries"].append(len(queries))
            print(f"{kind} run {i + 1}: {t3 - t0:.3f} s, {result.values} values", file=sys.stderr)

    db = connection.vendor
    sizes = {k: f"{len(v[0]) / 1024:.0f} KiB" for k, v in files.items()}
    lines = [
        f"### Import of a whole province ({n_assessments} communes × {len(round_.criteria_set.criteria)} criteria), "
        f"{'SQLite' if db == 'sqlite' else 'PostgreSQL'}",
        "",
        f"Files: xlsx {sizes['xlsx']}, csv {sizes['csv']}; every run changes every value "
        f"(≈ {max(timings['xlsx']['values'])} values and audit rows); best / median of {args.repeat} runs, seconds.",
        "",
        "| file | parse + check cells | preview | commit | **total** | CPU of this process | queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, t in timings.items():
        cell = lambda xs: f"{min(xs):.3f} / {statistics.median(xs):.3f}"  # noqa: E731
        lines.append(f"| {kind} | {cell(t['parse'])} | {cell(t['preview'])} | {cell(t['commit'])} | "
                     f"**{cell(t['total'])}** | {cell(t['cpu'])} | {statistics.median(t['queries']):.0f} |")
    load = os.getloadavg()
    lines += ["", f"Load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} (other work on the "
              "machine inflates wall times; the CPU column is this process's own time, which for PostgreSQL "
              "leaves out the server's).", "", "Machine: " + _machine()]
    report = "\n".join(lines)
    print(report)
    (OUT / f"import_province-{db}.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
