"""A province's year of field 3: 150 communes × 300 information items on 3 channels and
100,000 citizen feedback messages; times the register import and the yearly statistics.

    .venv/bin/python bench/disclosure_scale.py --database-url postgres://postgres@127.0.0.1:5432/h12
    .venv/bin/python bench/disclosure_scale.py                   # SQLite file in bench/out/

Target (issue 12): each within 5 s on PostgreSQL on the project's 2-core machine.

1. on the database ``--database-url`` names (migrated), makes a bench province "Tỉnh Thử
   Nghiệm công khai (bench)" (code 98, not a real code) with ``--communes`` communes and
   one officer holding them all, or reuses them; loads ``--feedback`` feedback messages of
   2024 spread over the communes (bulk, once, not timed), in every state;
2. writes the province's register file (CSV, one row per item: ``--items`` items per
   commune, each published, broadcast and posted — three channels);
3. ``--repeat`` times: removes the year's items (not timed), then times ``read_register``
   (parse and check every row) and ``do_import_register`` (all rows at once: items,
   broadcasts, postings, the log), and the yearly statistics of the whole province:
   :func:`computed_values` (3.1–3.3 of every commune: the register's counts and the
   feedback condition), :func:`stats_by_unit` (every commune's feedback figures, as the
   queues show them) and :func:`feedback_stats` over the province's year (the report's
   counts by kind, channel and state, answer times, share within the deadline);
4. prints a Markdown table (best and median per step) with the machine and its load
   average (the machine is shared: figures are what they are), and the CPU time each step
   took in this process and, on a local PostgreSQL, in its server process (read from
   ``/proc``): their sum is what the step costs whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from bench.import_province import _machine, _setup_django  # noqa: E402  (the benches' shared set-up)

YEAR = 2024
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _world(communes: int, feedback: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from smartcommune.accounts.models import Role, RoleAssignment
    from smartcommune.disclosure.actions import CODE_ALPHABET
    from smartcommune.disclosure.models import Feedback, FeedbackChannel, FeedbackStatus
    from smartcommune.disclosure.workdays import add_working_days
    from smartcommune.units.models import Level, Unit

    start = date(2021, 1, 1)
    with transaction.atomic():
        province, _ = Unit.objects.get_or_create(
            level=Level.PROVINCE, code="98", valid_from=start,
            defaults=dict(name="Tỉnh Thử Nghiệm công khai (bench)", short_name="Thử Nghiệm", kind="Tỉnh"))
        officer, _ = get_user_model().objects.get_or_create(username="bench-congkhai")
        units = list(Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"))
        for n in range(len(units), communes):
            unit = Unit.objects.create(level=Level.COMMUNE, code=f"98{n:03d}", valid_from=start, parent=province,
                                       name=f"Xã Thử {n} (bench)", short_name=f"Thử {n}", kind="Xã")
            RoleAssignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=unit)
            units.append(unit)
        units = units[:communes]
        have = Feedback.objects.filter(unit__in=units, year=YEAR).count()
        rng = random.Random(12)
        rows = []
        for n in range(have, feedback):
            received = date(YEAR, 1, 2) + timedelta(days=rng.randrange(360))
            due = add_working_days(received, 10)
            f = Feedback(unit=units[n % len(units)], year=YEAR, kind=rng.choice(["dich-vu-cong", "quy-hoach",
                                                                                 "ngan-sach", ""]),
                         channel=rng.choice(FeedbackChannel.values),
                         tracking_code="PB-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(12)),
                         message=f"Phản hồi thử {n} (bench)",
                         received_at=datetime.combine(received, datetime.min.time(), tzinfo=VN), due_on=due)
            if rng.random() < 0.8:
                f.status = rng.choice([FeedbackStatus.ANSWERED, FeedbackStatus.FORWARDED])
                f.handled_at = f.received_at + timedelta(days=rng.randrange(1, 25))
            rows.append(f)
        Feedback.objects.bulk_create(rows, batch_size=5000)
    return province, officer, units


def _register_csv(units, items: int) -> bytes:
    kinds = ["dich-vu-cong", "quy-hoach", "ngan-sach"]
    lines = ["ma_xa,nam,loai,tieu_de,so_van_ban,ngay_van_ban,dang_trang_xa,ngay_phat_loa,ap_khu_pho,"
             "noi_dung_loa,ngay_niem_yet,ngay_go"]
    for unit in units:
        for n in range(items):
            day = date(YEAR, 1, 2) + timedelta(days=n % 300)
            d = f"{day:%d/%m/%Y}"
            lines.append(f"{unit.code},{YEAR},{kinds[n % 3]},Thông tin số {n} của {unit.code},{n}/QĐ-UBND,{d},x,"
                         f"{d},Ấp 1; Ấp 2,Thông báo thông tin số {n},{d},")
    return ("\n".join(lines) + "\n").encode()


def _server_pid(connection) -> int | None:
    """The local PostgreSQL server process of ``connection`` (``None`` elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) the server process has used so far; 0 when unknown."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'disclosure_scale.sqlite3'}")
    parser.add_argument("--communes", type=int, default=150)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--feedback", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    _setup_django(args.database_url)

    from django.db import connection
    from django.utils import timezone

    from smartcommune.disclosure import selectors
    from smartcommune.disclosure.actions import do_import_register
    from smartcommune.disclosure.models import Feedback, Item
    from smartcommune.disclosure.register_import import read_register

    province, officer, units = _world(args.communes, args.feedback)
    unit_ids = [u.pk for u in units]
    data = _register_csv(units, args.items)
    today = date(YEAR + 1, 1, 15)
    # (wall, this process's CPU, the database server's CPU) seconds per step and run.
    server = _server_pid(connection)
    steps = ["read_register", "do_import_register", "import total", "computed_values (3.1–3.3)", "stats_by_unit",
             "feedback_stats (province)", "statistics total"]
    times: dict[str, list[tuple[float, ...]]] = {name: [] for name in steps}
    loads = []
    for _ in range(args.repeat):
        Item.objects.filter(unit__in=units, year=YEAR).delete()
        loads.append(os.getloadavg()[0])
        marks = [(time.perf_counter(), time.process_time(), _server_cpu(server))]
        rows = read_register(data, "so-cong-khai.csv")
        marks.append((time.perf_counter(), time.process_time(), _server_cpu(server)))
        added = do_import_register(actor=officer, rows=rows, file_name="so-cong-khai.csv")
        marks.append((time.perf_counter(), time.process_time(), _server_cpu(server)))
        values = selectors.computed_values(unit_ids, YEAR, "ben-tre-2021-2025", today)
        marks.append((time.perf_counter(), time.process_time(), _server_cpu(server)))
        per_unit = selectors.stats_by_unit(unit_ids, YEAR, today)
        marks.append((time.perf_counter(), time.process_time(), _server_cpu(server)))
        stats = selectors.feedback_stats(Feedback.objects.filter(unit__in=units, year=YEAR), today)
        marks.append((time.perf_counter(), time.process_time(), _server_cpu(server)))
        assert added == len(units) * args.items
        assert sum(v["3.1"]["denominator"] for v in values.values()) == len(units) * ((args.items + 2) // 3)
        assert stats.received == args.feedback and len(per_unit) == len(units)
        spans = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (2, 5)]
        for name, (a, b) in zip(times, spans):
            times[name].append(tuple(marks[b][i] - marks[a][i] for i in range(3)))
    database = connection.vendor + (f" {connection.pg_version // 10000}" if connection.vendor == "postgresql" else "")
    lines = [
        f"`bench/disclosure_scale.py` — {len(units)} communes × {args.items} items × 3 channels "
        f"({len(units) * args.items:,} items, file {len(data) / 1e6:.1f} MB), {args.feedback:,} feedback messages; "
        f"{database}; load average (1 min) at the runs: {', '.join(f'{x:.2f}' for x in loads)}; "
        f"{args.repeat} runs, {timezone.now():%d/%m/%Y}.",
        "",
        "| step | wall best (s) | wall median (s) | CPU of this process, best (s) | CPU of the database server, "
        "best (s) | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, runs in times.items():
        target = "≤ 5 s" if name in ("import total", "statistics total") else ""
        wall = [w for w, _cpu, _server in runs]
        server_cpu = f"{min(s for _w, _c, s in runs):.2f}" if server else "—"
        lines.append(f"| {name} | {min(wall):.2f} | {statistics.median(wall):.2f} | {min(c for _w, c, _s in runs):.2f} "
                     f"| {server_cpu} | {target} |")
    lines += ["", _machine()]
    report = "\n".join(lines)
    print(report)
    (OUT / f"disclosure_scale-{connection.vendor}.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
