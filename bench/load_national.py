"""Load a synthetic national world into a fresh database, for the results-overview benchmark.

    .venv/bin/python bench/load_national.py --database-url sqlite:////tmp/bench-national.sqlite3 --reset
    .venv/bin/python bench/load_national.py --database-url postgres://postgres@127.0.0.1:5432/h_bench --reset

What it writes (after ``migrate``), deterministically from ``--seed``:

* **Units.** ``--provinces`` provinces (63) sharing ``--communes`` communes (10,600), each with
  districts, communes under their district, and coordinates, all valid from 1 January 2021
  to 30 June 2025 -- the pre-reform generation, like the real old units.  One province is
  the *real* Bến Tre (code 83, its real districts and ~148 communes, and the new Vĩnh Long
  it joined, from ``smartcommune units load``) unless ``--no-real-ben-tre``; the others are
  synthetic, named "… Mô phỏng …", with codes outside the real GSO ranges (provinces
  ``901``…, districts ``1001``…, communes ``40001``…) so they can never be taken for, or
  collide with, real units.
* **Rounds.** One round of the set ``ben-tre-2021-2025`` per province and year, each marked
  synthetic with a :class:`~smartcommune.demo.models.SyntheticRound` row.
* **Assessments.** One per commune and year, most of them published: every year before the
  last two entirely published, the year before last 85 % published (the rest decided or
  appraised), the last year about half published and the rest spread over every stage
  of the workflow (draft to decided, some returned).  Decided ones carry the decision the
  engine's result calls for.
* **Values.** One :class:`~smartcommune.rounds.models.CriterionValue` per criterion
  (23 per assessment, ≈ 1.2 M in all) from :func:`smartcommune.demo.synthetic.generate`
  (plausible trajectories: a quarter recognised by the end, a group one field short …),
  with the review status the assessment's stage implies (verified from the agencies'
  step on; one or two items returned in returned files).
* **Audit.** The "created" entry :func:`~smartcommune.rounds.actions.do_open_round` writes,
  and one status entry for the stage reached; the intermediate steps are not replayed.

Why ``bulk_create`` and not the ``do_*`` actions: this is a *benchmark fixture*, not
product data.  Driving 53,000 assessments through the real workflow (as the demo does for
one province) would take hours; what the overview reads -- units, rounds, assessments,
statuses, decisions and values -- has exactly the shape the actions give it, which is what
the benchmark needs.  Every round is marked synthetic so the pages say "Dữ liệu mô phỏng".

Three users without a usable password and without roles stand in as the round opener, the
commune officer and the verifier (``opened_by``, ``updated_by``, ``reviewed_by``).

The target must be fresh: the loader refuses a database that already holds rounds,
unless ``--reset`` (SQLite: the file is deleted; PostgreSQL: schema ``public`` is dropped
and created again -- use a database of its own).  The project's default SQLite file
``var/smartcommune.sqlite3`` is always refused.  Timings and row counts go to stdout.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "smartcommune-bench-only-key-not-a-secret"
"""Used when ``SECRET_KEY`` is not set: the data hold no password derived from it."""

SET_CODE = "ben-tre-2021-2025"
REAL_PROVINCE = "83"
VALID_FROM = date(2021, 1, 1)
VALID_TO = date(2025, 6, 30)
DATA_SOURCE = "Số liệu mô phỏng đo hiệu năng (synthetic benchmark data)"
MARK = "(mô phỏng)"
VALUE_BATCH = 5000
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Stage reached by the share of the commune-years of a year; the rest are published.
# Keys of STAGES are the last years counted from the end: 0 = the last year.
DECIDED = "decided"
RETURNED_DISTRICT = "returned_district"
RETURNED_AGENCY = "returned_agency"
STAGES_BY_YEAR_FROM_END = {
    0: (("draft", 0.06), ("submitted", 0.07), (RETURNED_DISTRICT, 0.02), (RETURNED_AGENCY, 0.02),
        ("district_reviewed", 0.08), ("agency_verified", 0.07), ("appraised", 0.08), (DECIDED, 0.10)),
    1: (("appraised", 0.07), (DECIDED, 0.08)),
}
VERSION = {"draft": 2, "submitted": 3, RETURNED_DISTRICT: 4, "district_reviewed": 4, RETURNED_AGENCY: 20,
           "agency_verified": 27, "appraised": 28, DECIDED: 29, "published": 30}
VERIFIED_FROM = ("agency_verified", "appraised", DECIDED, "published")


# -- the world, in plain Python --------------------------------------------------------------


@dataclass
class PlannedUnit:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    latitude: Decimal
    longitude: Decimal
    children: list[PlannedUnit] = field(default_factory=list)


def _centre(rng: random.Random) -> tuple[float, float]:
    """A point roughly inside Việt Nam (north, centre or south), for a province's centre."""
    part = rng.random()
    if part < 0.45:
        return rng.uniform(19.5, 22.8), rng.uniform(103.4, 107.4)
    if part < 0.7:
        lat = rng.uniform(11.5, 19.5)
        return lat, rng.uniform(105.2 + (19.5 - lat) * 0.25, 106.2 + (19.5 - lat) * 0.35)
    return rng.uniform(8.9, 11.5), rng.uniform(104.8, 107.2)


def _split(total: int, parts: int, rng: random.Random, low: float, high: float) -> list[int]:
    """``total`` split into ``parts`` positive sizes, each weighted by uniform(low, high)."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    i = 0
    while sum(sizes) != total:
        step = 1 if sum(sizes) < total else -1
        if sizes[i % parts] + step >= 1:
            sizes[i % parts] += step
        i += 1
    return sizes


def plan_provinces(n_provinces: int, n_communes: int, *, seed: int) -> list[PlannedUnit]:
    """Synthetic provinces → districts → communes (Bến Tre-like: ~15 communes a district)."""
    rng = random.Random(f"smartcommune-bench-units:{seed}")
    sizes = _split(n_communes, n_provinces, rng, 0.55, 1.6)
    district_code, commune_code = 1001, 40001
    provinces = []
    for i, size in enumerate(sizes, start=1):
        lat, lon = _centre(rng)
        number = f"{i:02d}"
        province = PlannedUnit(f"9{number}", f"Tỉnh Mô phỏng {number}", f"Mô phỏng {number}", "tinh", "Tỉnh",
                               _deg(lat), _deg(lon))
        n_districts = max(2, round(size / 16))
        for j, d_size in enumerate(_split(size, n_districts, rng, 0.6, 1.5), start=1):
            d_lat, d_lon = lat + rng.uniform(-0.35, 0.35), lon + rng.uniform(-0.35, 0.35)
            d_kind = "Thành phố" if j == 1 else "Huyện"
            district = PlannedUnit(str(district_code), f"{d_kind} Mô phỏng {number}-{j:02d}",
                                   f"Mô phỏng {number}-{j:02d}", "huyen", d_kind, _deg(d_lat), _deg(d_lon))
            district_code += 1
            for k in range(d_size):
                kind = "Phường" if d_kind == "Thành phố" else ("Thị trấn" if k == 0 else "Xã")
                code = f"{commune_code:05d}"
                district.children.append(PlannedUnit(
                    code, f"{kind} Mô phỏng {code}", f"Mô phỏng {code}", "xa", kind,
                    _deg(d_lat + rng.uniform(-0.12, 0.12)), _deg(d_lon + rng.uniform(-0.12, 0.12)),
                ))
                commune_code += 1
            province.children.append(district)
        provinces.append(province)
    return provinces


def _deg(x: float) -> Decimal:
    return Decimal(f"{x:.6f}")


def _at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, dtime(hour, minute), tzinfo=TZ)


# -- the load --------------------------------------------------------------------------------


@dataclass
class Report:
    provinces: int = 0
    districts: int = 0
    communes: int = 0
    rounds: int = 0
    assessments: int = 0
    values: int = 0
    audit_entries: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    real_province: str | None = None


def build(*, provinces: int, communes: int, years: tuple[int, ...], seed: int, real_ben_tre: bool = True,
          log=print) -> Report:
    """Write the world into the configured, migrated, empty database; see the module docstring."""
    from django.db import transaction

    from smartcommune.units.models import Level, Unit

    report = Report()
    t0 = time.perf_counter()

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        report.seconds[name] = round(now - since, 2)
        log(f"  {name}: {now - since:.1f} s")
        return now

    t = t0
    province_units: list[Unit] = []
    if real_ben_tre:
        from smartcommune.units.actions import OLD_VALID_FROM, do_load_units

        do_load_units(old_province_code=REAL_PROVINCE)
        real = Unit.objects.get(level=Level.PROVINCE, code=REAL_PROVINCE, valid_from=OLD_VALID_FROM)
        province_units.append(real)
        report.real_province = real.code
        t = lap("real units (Bến Tre, units load)", t)
    real_communes = (Unit.objects.filter(level=Level.COMMUNE, parent__parent__in=province_units).count()
                     if province_units else 0)
    synthetic = plan_provinces(provinces - len(province_units), communes - real_communes, seed=seed)
    with transaction.atomic():
        province_units += _write_units(synthetic)
    t = lap("synthetic units", t)

    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of model instances, no cycles worth collecting
    try:
        _Loader(province_units, years, seed, report, log).run()
    finally:
        if gc_was_enabled:
            gc.enable()
    t = lap("rounds, assessments, values", t)
    _analyze()
    lap("analyze", t)
    report.seconds["total"] = round(time.perf_counter() - t0, 2)

    report.provinces = Unit.objects.filter(level=Level.PROVINCE, valid_from=VALID_FROM).count()
    report.districts = Unit.objects.filter(level=Level.DISTRICT).count()
    report.communes = Unit.objects.filter(level=Level.COMMUNE, valid_from=VALID_FROM).count()
    return report


def _write_units(planned: list[PlannedUnit]) -> list:
    from smartcommune.units.models import Unit

    def make(p: PlannedUnit, parent):
        return Unit(code=p.code, name=p.name, short_name=p.short_name, level=p.level, kind=p.kind, parent=parent,
                    latitude=p.latitude, longitude=p.longitude, valid_from=VALID_FROM, valid_to=VALID_TO)

    provinces = Unit.objects.bulk_create([make(p, None) for p in planned])
    districts = Unit.objects.bulk_create(
        [make(d, u) for p, u in zip(planned, provinces) for d in p.children], batch_size=2000
    )
    planned_districts = [d for p in planned for d in p.children]
    Unit.objects.bulk_create(
        [make(c, u) for d, u in zip(planned_districts, districts) for c in d.children], batch_size=2000
    )
    return provinces


class _Loader:
    def __init__(self, provinces, years, seed, report: Report, log):
        from smartcommune.criteria.registry import get_criteria_set

        self.provinces = provinces
        self.years = tuple(sorted(years))
        self.seed = seed
        self.report = report
        self.log = log
        self.criteria_set = get_criteria_set(SET_CODE)
        self.criteria = [c.code for c in self.criteria_set.criteria]

    def run(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from smartcommune.demo import synthetic
        from smartcommune.units.models import Level, Unit

        User = get_user_model()
        self.users = {}
        for username, name in (("bench-thuky", "Thư ký đo hiệu năng"), ("bench-xa", "Cán bộ xã đo hiệu năng"),
                               ("bench-so", "Người xác minh đo hiệu năng")):
            user = User(username=username, first_name=f"{name} {MARK}")
            user.set_unusable_password()
            user.save()
            self.users[username] = user

        self.communes = {}
        for province in self.provinces:
            self.communes[province.pk] = list(
                Unit.objects.in_force(date(self.years[-1], 12, 31) if province.valid_to is None
                                      else min(province.valid_to, date(self.years[-1], 12, 31)))
                .filter(parent__parent=province, level=Level.COMMUNE).order_by("code")
            )
        codes = [u.code for us in self.communes.values() for u in us]
        t = time.perf_counter()
        self.inputs = synthetic.generate(self.criteria_set, codes, self.years, seed=self.seed)
        evaluations = synthetic.evaluate_generated(self.criteria_set, self.inputs)
        self.recognised = {(e.unit_code, e.year): e.smart_commune for e in evaluations}
        self.log(f"  values generated and evaluated: {time.perf_counter() - t:.1f} s ({len(self.inputs)} commune-years)")
        self.rng = random.Random(f"smartcommune-bench-stages:{self.seed}")
        self.pending_values = []
        for year in self.years:
            t = time.perf_counter()
            with transaction.atomic():
                for province in self.provinces:
                    self._round(province, year)
                self._flush(force=True)
            self.log(f"  {year}: {time.perf_counter() - t:.1f} s")

    def _stage(self, year: int) -> str:
        shares = STAGES_BY_YEAR_FROM_END.get(self.years[-1] - year, ())
        r = self.rng.random()
        for stage, share in shares:
            if r < share:
                return stage
            r -= share
        return "published"

    def _round(self, province, year: int) -> None:
        from smartcommune.demo.actions import calendar, key_check
        from smartcommune.demo.models import SyntheticRound
        from smartcommune.rounds.models import Assessment, AuditAction, AuditEntry, Round

        cal = calendar(year)
        communes = self.communes[province.pk]
        round_ = Round.objects.create(
            criteria_set_code=SET_CODE, year=year, province=province, submission_deadline=cal.submission,
            review_deadline=cal.review, verification_deadline=cal.verification, opened_by=self.users["bench-thuky"],
        )
        Round.objects.filter(pk=round_.pk).update(opened_at=_at(cal.opened, 9))
        SyntheticRound.objects.create(round=round_, seed=self.seed, key_check=key_check())
        planned = []
        for unit in communes:
            stage = self._stage(year)
            planned.append((unit, stage, self._assessment(round_, unit, stage, cal)))
        assessments = Assessment.objects.bulk_create([a for _, _, a in planned], batch_size=2000)
        audit = []
        opened = _at(cal.opened, 9)
        for (unit, stage, _), a in zip(planned, assessments):
            self.report.statuses[a.status] = self.report.statuses.get(a.status, 0) + 1
            audit.append(AuditEntry(assessment=a, version=1, actor=self.users["bench-thuky"], at=opened,
                                    action=AuditAction.CREATED, field="status", new_value="draft"))
            if a.status != "draft":
                audit.append(AuditEntry(
                    assessment=a, version=a.version, actor=self.users["bench-thuky"],
                    at=a.published_at or a.submitted_at or opened, action=AuditAction.STATUS_CHANGED,
                    field="status", old_value="draft", new_value=a.status,
                    reason=f"Dữ liệu đo hiệu năng: các bước trung gian không được ghi lại {MARK}",
                ))
            self.pending_values += self._values(a, unit.code, year, stage, cal)
        AuditEntry.objects.bulk_create(audit, batch_size=2000)
        self.report.rounds += 1
        self.report.assessments += len(assessments)
        self.report.audit_entries += len(audit)
        self._flush()

    def _assessment(self, round_, unit, stage: str, cal):
        from smartcommune.rounds.models import Assessment

        rng = self.rng
        a = Assessment(round=round_, unit=unit, version=VERSION[stage])
        a.status = {DECIDED: "recognised" if self.recognised[unit.code, round_.year] else "not_recognised",
                    RETURNED_DISTRICT: "returned", RETURNED_AGENCY: "returned"}.get(stage, stage)
        if stage == "draft":
            return a
        late = rng.random() < 0.12
        day = (cal.submission + timedelta(days=rng.randint(1, 10)) if late
               else cal.fill_from + timedelta(days=rng.randrange((cal.fill_to - cal.fill_from).days + 1)))
        a.submitted_at = _at(day, rng.randrange(8, 17), rng.randrange(60))
        a.late = late
        if stage == RETURNED_DISTRICT:
            a.returned_stage = "district"
        elif stage == RETURNED_AGENCY:
            a.returned_stage = "agency"
        if stage in (DECIDED, "published"):
            a.decision_number = f"{100 + (cal.year - 2020) * 37}/QĐ-UBND {MARK}"
            a.decision_date = cal.decision
            a.decision_signer = f"Phó Chủ tịch UBND tỉnh {MARK}"
            a.decision_recognised = self.recognised[unit.code, round_.year]
        if stage == "published":
            a.published_at = _at(cal.publish, 9)
        return a

    def _values(self, a, code: str, year: int, stage: str, cal) -> list:
        from smartcommune.rounds.models import CriterionValue

        rng = self.rng
        inputs = self.inputs[code, year]
        officer, verifier = self.users["bench-xa"], self.users["bench-so"]
        filled = (a.submitted_at - timedelta(hours=1)) if a.submitted_at else _at(cal.fill_from, 10)
        verified = stage in VERIFIED_FROM
        returned = set()
        if stage in (RETURNED_DISTRICT, RETURNED_AGENCY):
            returned = set(rng.sample(self.criteria, rng.choice((1, 1, 2))))
        review_at = _at(cal.verify_from) + timedelta(hours=rng.uniform(0, 240))
        rows = []
        for criterion in self.criteria:
            given = inputs[criterion]
            reported = not (given.numerator is None and given.denominator is None and given.met is None)
            v = CriterionValue(assessment=a, criterion_code=criterion, numerator=given.numerator,
                               denominator=given.denominator, met=given.met)
            if reported:
                v.source, v.updated_by, v.updated_at = DATA_SOURCE, officer, filled
            if verified:
                v.review_status, v.reviewed_by, v.reviewed_at = "verified", verifier, review_at
            elif criterion in returned:
                v.review_status, v.reviewed_by, v.reviewed_at = "returned", verifier, review_at
                v.review_comment = f"Đề nghị xã kiểm tra lại số liệu tiêu chí {criterion} {MARK}"
            rows.append(v)
        return rows

    def _flush(self, *, force: bool = False) -> None:
        from smartcommune.rounds.models import CriterionValue

        if self.pending_values and (force or len(self.pending_values) >= VALUE_BATCH * 4):
            CriterionValue.objects.bulk_create(self.pending_values, batch_size=VALUE_BATCH)
            self.report.values += len(self.pending_values)
            self.pending_values = []


def _analyze() -> None:
    """Planner statistics, as autovacuum (PostgreSQL) would gather them soon after a load."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# -- command line ------------------------------------------------------------------------------


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def _configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    import django

    django.setup()


def _sqlite_path(database_url: str) -> Path | None:
    import dj_database_url

    config = dj_database_url.parse(database_url)
    return Path(config["NAME"]) if config["ENGINE"].endswith("sqlite3") else None


def _prepare(database_url: str, *, reset: bool) -> None:
    """Refuse the default file and a database with rounds in it; ``reset`` empties it first."""
    path = _sqlite_path(database_url)
    if path is not None:
        if path.resolve() == (ROOT / "var" / "smartcommune.sqlite3").resolve():
            sys.exit("Refusing the project's default database var/smartcommune.sqlite3: give a file of its own.")
        if reset:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    _configure(database_url)
    from django.db import connection

    if reset and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    elif "rounds_round" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM rounds_round")
            if cursor.fetchone()[0]:
                sys.exit("The database already holds rounds: pass --reset to empty it first (it must be one of "
                         "the benchmark's own).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="sqlite:////tmp/x.sqlite3 or postgres://…/h_bench")
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--communes", type=int, default=10600, help="communes in all, real Bến Tre included")
    parser.add_argument("--years", type=_years, default=_years("2021-2025"), help="e.g. 2021-2025")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="empty the database first (see the docstring)")
    parser.add_argument("--no-real-ben-tre", dest="real_ben_tre", action="store_false",
                        help="all provinces synthetic (default: one is the real Bến Tre)")
    args = parser.parse_args(argv)
    if args.provinces < 1 or args.communes < args.provinces * 2:
        parser.error("need at least one province and two communes a province")

    started = time.perf_counter()
    _prepare(args.database_url, reset=args.reset)
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    print(f"  migrate: {time.perf_counter() - started:.1f} s")
    report = build(provinces=args.provinces, communes=args.communes, years=args.years, seed=args.seed,
                   real_ben_tre=args.real_ben_tre)
    print(f"provinces {report.provinces}, districts {report.districts}, communes {report.communes} "
          f"(pre-reform generation), rounds {report.rounds}, assessments {report.assessments}, "
          f"values {report.values}, audit entries {report.audit_entries}")
    print("assessments by status: " + ", ".join(f"{k} {v}" for k, v in sorted(report.statuses.items())))
    print(f"total {time.perf_counter() - started:.1f} s (load {report.seconds['total']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
