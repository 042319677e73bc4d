"""Benchmark: ``smartcommune evaluate`` on a national-scale long CSV.

What it measures
----------------
DESIGN.md "Targets" asks for the national scale — 10,600 communes × 5 years ×
23 criteria (≈1.22 M rows) — to be "evaluated from CSV in seconds"; the working
target is **evaluate within 3× of merely reading the file with Python's csv
module**. This script

1. generates that long CSV (DESIGN.md "Exchange format"), deterministically from
   ``--seed``, with the criteria of the shipped default set (read from the set,
   not hard-coded): 5-digit zero-padded GSO-like unit codes, ratio criteria with
   numerator ≤ denominator (some zero denominators, a few blank cells), pass/fail
   criteria with ``met`` in a mix of spellings (true/false/Đạt/x/0/...), and the
   criteria with both a ratio and a pass/fail condition (3.1–3.3) filling both.
   Rows are written year by year (as a province appending its yearly files
   would), so the evaluator's sort by unit then year does real work. The file is
   named after its parameters and reused when it already exists;
2. times, on that file, each command as a subprocess (so the interpreter start is
   included and every command's memory is measured the same way):

   * ``read``      — ``python -c 'for row in csv.reader(f): pass'`` (the baseline),
   * ``eval json`` — ``smartcommune evaluate FILE --format json --output bench/out/result.json``,
     into a new file (the last run's result is deleted first, untimed),
   * the same over the last run's result (for information: replacing a file makes ext4
     write the new one out at once, its ``auto_da_alloc``, a cost of the file system),
   * ``eval csv``  — ``--format csv`` into a new file (for information),
   * each with ``--jobs N`` when the benchmark is given ``--jobs N`` (``--jobs 1``: the
     one-process figure; without it, the command's automatic choice of processes),

   after compiling the package's bytecode (as installing it does; a checkout changed
   since would otherwise compile on every run), plus, for information, the interpreter
   start alone (``python -c pass``) and the csv read inside this process (no interpreter
   start). Each is repeated
   ``--repeat`` times (interleaved); the best and median wall times, CPU time and
   peak resident memory (max RSS, from ``os.wait4``'s per-child rusage) are
   reported, with the ratio eval json / read against the 3× target;
3. validates the JSON once: it parses, holds one object per commune-year, sorted
   by unit code then year, each with every field and criterion of the set;
4. prints a Markdown table ready to paste into a README, with the machine (CPU,
   cores, RAM, Python, OS), and saves the numbers as JSON under ``--out``.

How to run
----------
From the repository root, with the project's virtualenv::

    .venv/bin/python bench/evaluate_national.py                 # national scale, ~1-3 minutes
    .venv/bin/python bench/evaluate_national.py --communes 200  # a quick smoke run

Generated data goes to ``bench/out/`` (git-ignored). Nothing in ``smartcommune/``
is changed; the benchmark only runs the installed ``smartcommune`` command.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from smartcommune.criteria.model import Comparator, CriteriaSet  # noqa: E402
from smartcommune.criteria.registry import get_criteria_set  # noqa: E402

TARGET_RATIO = 3.0
HEADER = ("unit_code", "year", "criterion", "numerator", "denominator", "met")

# Accepted spellings of a pass/fail value (DESIGN.md "Exchange format"), in the
# mix a province's spreadsheets would produce.
TRUE_SPELLINGS = ("true", "TRUE", "True", "Đạt", "đạt", "ĐẠT", "x", "X", "1", "yes", "Yes", " Đạt ")
FALSE_SPELLINGS = ("false", "FALSE", "False", "Không đạt", "không đạt", "0", "no", "No")

READ_SNIPPET = (
    "import csv, sys\n"
    "with open(sys.argv[1], encoding='utf-8', newline='') as f:\n"
    "    for row in csv.reader(f):\n"
    "        pass\n"
)


# -- the data -----------------------------------------------------------------


def data_path(out: Path, criteria_set: CriteriaSet, communes: int, years: int, seed: int) -> Path:
    return out / f"national-{criteria_set.code}-c{communes}-y{years}-s{seed}.csv"


def generate(path: Path, criteria_set: CriteriaSet, communes: int, years: int, seed: int) -> int:
    """Write the long CSV to ``path`` (via a ``.partial`` file); return the data row count."""
    rng = random.Random(seed)
    # Distinct 5-digit codes from the range GSO commune codes use (00001–32248).
    if communes > 32248:
        raise SystemExit(f"--communes {communes}: at most 32248 distinct 5-digit GSO-like codes")
    codes = [f"{n:05d}" for n in sorted(rng.sample(range(1, 32249), communes))]
    first_year = criteria_set.period_start

    # Per criterion: what it has, its threshold, and the size of its counts
    # (a few public wifi points … thousands of households).
    plan = []
    for criterion in criteria_set.criteria:
        ratio = criterion.ratio
        scale = rng.choice(((0, 12), (3, 40), (200, 6000)))
        threshold = ratio.threshold if ratio is not None else None
        exact = ratio is not None and ratio.comparator is Comparator.EQUAL
        plan.append((criterion.code, ratio is not None, criterion.boolean is not None, scale, threshold, exact))

    # Each commune has a "capacity": the chance it meets any one criterion; it
    # drifts up a little each year, so recognition rates grow over the period.
    capacity = {code: rng.uniform(0.75, 1.0) for code in codes}

    rows = 0
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        random_ = rng.random
        randint = rng.randint
        choice = rng.choice
        for y in range(years):
            year = str(first_year + y)
            for unit in codes:
                p = min(1.0, capacity[unit] + 0.01 * y)
                batch = []
                for code, has_ratio, has_bool, (lo, hi), threshold, exact in plan:
                    numerator = denominator = met = ""
                    meets = random_() < p
                    if has_ratio:
                        d = 0 if (lo == 0 and random_() < 0.15) else randint(max(lo, 1), hi)
                        needed = _needed(threshold, d)
                        if d == 0:
                            n = 0
                        elif meets and needed <= d:
                            n = needed if exact else randint(needed, d)
                        else:
                            n = randint(max(0, needed - max(1, d // 5)), max(0, needed - 1)) if needed > 0 else 0
                            meets = n >= needed and not exact
                        numerator, denominator = str(n), str(d)
                        blank = random_()
                        if blank < 0.002:
                            numerator = ""
                        elif blank < 0.003:
                            numerator = denominator = ""
                    if has_bool:
                        # 3.1–3.3: met follows the counts most of the time.
                        ok = meets if not has_ratio or random_() < 0.95 else not meets
                        met = choice(TRUE_SPELLINGS) if ok else choice(FALSE_SPELLINGS)
                        if random_() < 0.003:
                            met = ""
                    batch.append((unit, year, code, numerator, denominator, met))
                writer.writerows(batch)
                rows += len(batch)
    os.replace(partial, path)
    return rows


def _needed(threshold: Decimal, denominator: int) -> int:
    """ceil(threshold × denominator / 100), exactly."""
    t_num, t_den = threshold.as_integer_ratio()
    return -((-t_num * denominator) // (100 * t_den))


# -- timing ---------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_kib: int


@dataclass
class Step:
    name: str
    command: str
    runs: list[Run] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu_best(self) -> float:
        return min(r.cpu for r in self.runs)

    @property
    def max_rss_mib(self) -> float | None:
        values = [r.max_rss_kib for r in self.runs if r.max_rss_kib]
        return max(values) / 1024 if values else None


def run_child(argv: list[str]) -> Run:
    """Run ``argv`` to completion; wall time, CPU time and peak RSS of exactly that child.

    ``os.wait4`` returns the rusage of the one child it reaps, so there is no
    need to diff ``RUSAGE_CHILDREN`` (whose ``ru_maxrss`` is a maximum over all
    children, not a sum) or to parse ``/usr/bin/time -v``.
    """
    with open(os.devnull, "wb") as devnull, _stderr_file() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=devnull, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(argv)}\n{err.read().decode(errors='replace')[-4000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)  # ru_maxrss is KiB on Linux


def _stderr_file():
    import tempfile

    return tempfile.TemporaryFile()


def read_in_process(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    rows = 0
    with open(path, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f):
            rows += 1
    return time.perf_counter() - start, rows


def compile_package(command: list[str]) -> None:
    """Write the bytecode of the package the command runs, as installing it does: without
    it (a changed checkout, ``PYTHONDONTWRITEBYTECODE``) every run would compile the
    changed modules again."""
    probe = "import compileall, os, smartcommune; compileall.compile_dir(os.path.dirname(smartcommune.__file__), quiet=1)"
    interpreter = [sys.executable]
    if len(command) == 1:  # a console script: its own interpreter, from its first line
        first = Path(command[0]).read_text(encoding="utf-8", errors="replace").splitlines()[:1]
        if first and first[0].startswith("#!"):
            interpreter = first[0][2:].split()
    subprocess.run([*interpreter, "-c", probe], check=True)


def smartcommune_command(given: str | None) -> list[str]:
    if given:
        return [given]
    beside = Path(sys.executable).parent / "smartcommune"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("smartcommune")
    return [found] if found else [sys.executable, "-m", "smartcommune.cli"]


# -- validation -----------------------------------------------------------------

_RATIO = re.compile(r"^\d+\.\d{2}$")


def validate_json(path: Path, criteria_set: CriteriaSet, expected: list[tuple[str, int]]) -> dict:
    """Check the evaluate JSON; return a few counts. Raises SystemExit on any failure."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    problems = []
    if not isinstance(data, list):
        raise SystemExit(f"{path}: not a JSON list")
    keys = [(o["unit_code"], o["year"]) for o in data]
    if len(data) != len(expected):
        problems.append(f"{len(data)} objects, expected {len(expected)} (one per commune-year)")
    if keys != sorted(keys):
        problems.append("not sorted by unit_code then year")
    if len(set(keys)) != len(keys):
        problems.append("duplicate commune-years")
    if set(keys) != set(expected):
        problems.append("commune-years differ from the generated file")
    groups = [g.code for g in criteria_set.groups]
    criteria = [c.code for c in criteria_set.criteria]
    statuses = {"met": 0, "not_met": 0, "not_applicable": 0, "missing": 0}
    smart = complete = 0
    for o in data:
        if [f["code"] for f in o["fields"]] != groups:
            problems.append(f"{o['unit_code']}/{o['year']}: fields {[f['code'] for f in o['fields']]}")
            break
        codes = [c["code"] for f in o["fields"] for c in f["criteria"]]
        if codes != criteria:
            problems.append(f"{o['unit_code']}/{o['year']}: criteria {codes}")
            break
        for f in o["fields"]:
            for c in f["criteria"]:
                statuses[c["status"]] += 1
                if c["ratio"] is not None and not _RATIO.match(c["ratio"]):
                    problems.append(f"{o['unit_code']}/{o['year']} {c['code']}: ratio {c['ratio']!r}")
        smart += o["smart_commune"]
        complete += o["complete"]
        if o["fields_met"] != sum(f["status"] == "met" for f in o["fields"]):
            problems.append(f"{o['unit_code']}/{o['year']}: fields_met disagrees with its fields")
    if problems:
        raise SystemExit(f"{path}: invalid result:\n  " + "\n  ".join(problems[:20]))
    return {"objects": len(data), "smart_commune": smart, "complete": complete, "criterion_statuses": statuses}


def count_csv_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


# -- the machine ----------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    os_name = platform.system()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gib": ram,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{os_name}, {platform.system()} {platform.release()} {platform.machine()}",
    }


def machine_line(m: dict) -> str:
    cores = f"{m['cores']} cores" if m["usable_cores"] == m["cores"] else f"{m['cores']} cores ({m['usable_cores']} usable)"
    ram = f"{m['ram_gib']:.1f} GiB RAM" if m["ram_gib"] else "RAM unknown"
    return f"{m['cpu']}, {cores}, {ram}; {m['python']}; {m['os']}"


# -- main -----------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time `smartcommune evaluate` on a generated national-scale long CSV against a plain csv read.",
    )
    parser.add_argument("--communes", type=int, default=10_600, help="number of communes (default: 10600, the national scale)")
    parser.add_argument("--years", type=int, default=5, help="number of years from the set's first year (default: 5, i.e. 2021–2025)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated data (default: 1)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="directory for the data, results and report (default: bench/out, git-ignored)")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions of each command (default: 3)")
    parser.add_argument("--criteria-set", default=None, metavar="CODE", help="criteria set code or .toml path (default: the shipped default set)")
    parser.add_argument("--smartcommune", default=None, metavar="PATH", help="the smartcommune command to run (default: the one beside this Python)")
    parser.add_argument("--regenerate", action="store_true", help="write the data file again even when it exists")
    parser.add_argument("--skip-csv", action="store_true", help="do not time --format csv")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="pass --jobs N to evaluate (default: none, the command's automatic choice; 1: one process)")
    args = parser.parse_args(argv)
    if args.communes < 1 or args.years < 1 or args.repeat < 1 or (args.jobs is not None and args.jobs < 1):
        parser.error("--communes, --years, --repeat and --jobs must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    criteria_set = get_criteria_set(args.criteria_set)
    period = criteria_set.period_end - criteria_set.period_start + 1
    if args.years > period:
        raise SystemExit(f"--years {args.years}: the set {criteria_set.code} covers only {period} years")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    n_criteria = len(criteria_set.criteria)

    path = data_path(out, criteria_set, args.communes, args.years, args.seed)
    if path.exists() and not args.regenerate:
        print(f"data: reusing {path}", file=sys.stderr)
    else:
        print(f"data: generating {path} ({args.communes} communes × {args.years} years × {n_criteria} criteria) …", file=sys.stderr)
        start = time.perf_counter()
        rows = generate(path, criteria_set, args.communes, args.years, args.seed)
        print(f"data: {rows:,} rows in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    size_mb = path.stat().st_size / 1e6

    # Warm the page cache and count rows (untimed), so the first timed read is not a cold read.
    _, total_rows = read_in_process(path)
    data_rows = total_rows - 1
    expected_rows = args.communes * args.years * n_criteria
    if data_rows != expected_rows:
        raise SystemExit(f"{path}: {data_rows} data rows, expected {expected_rows}; delete it or pass --regenerate")

    python = sys.executable
    sc = smartcommune_command(args.smartcommune)
    json_out, csv_out = out / "result.json", out / "result.csv"
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    shown = " ".join(jobs)
    steps = {
        "startup": Step("python start only", "python -c pass"),
        "read": Step("csv read (baseline)", "python -c 'for row in csv.reader(f): pass'"),
        "json": Step(f"evaluate --format json {shown}".strip(),
                     f"smartcommune evaluate FILE --format json --output result.json {shown}".strip()),
        "json over": Step(f"the same, replacing the last result {shown}".strip(),
                          f"smartcommune evaluate FILE --format json --output result.json {shown}".strip()),
    }
    argvs = {
        "startup": [python, "-c", "pass"],
        "read": [python, "-c", READ_SNIPPET, str(path)],
        "json": [*sc, "evaluate", str(path), "--format", "json", "--output", str(json_out), *jobs],
        "json over": [*sc, "evaluate", str(path), "--format", "json", "--output", str(json_out), *jobs],
    }
    # Each step but "json over" writes a new file: the one of the run before is deleted first
    # (untimed), because replacing a file makes some file systems write the new one out at
    # once (ext4's auto_da_alloc): "json over" times that case.
    fresh = {"json": json_out}
    if not args.skip_csv:
        steps["csv"] = Step(f"evaluate --format csv {shown}".strip(),
                            f"smartcommune evaluate FILE --format csv --output result.csv {shown}".strip())
        argvs["csv"] = [*sc, "evaluate", str(path), "--format", "csv", "--output", str(csv_out), *jobs]
        fresh["csv"] = csv_out
    in_process: list[float] = []
    compile_package(sc)

    for rep in range(1, args.repeat + 1):
        seconds, _ = read_in_process(path)
        in_process.append(seconds)
        for key, step in steps.items():
            if key in fresh:
                fresh[key].unlink(missing_ok=True)
            run = run_child(argvs[key])
            step.runs.append(run)
            print(f"rep {rep}/{args.repeat}: {step.name:<24} {run.wall:7.2f} s wall, {run.cpu:7.2f} s CPU, "
                  f"{run.max_rss_kib / 1024:7.1f} MiB max RSS", file=sys.stderr)

    expected_keys = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        expected_keys = sorted({(r[0], int(r[1])) for r in reader})
    check = validate_json(json_out, criteria_set, expected_keys)
    if not args.skip_csv:
        csv_rows = count_csv_rows(csv_out)
        if csv_rows != len(expected_keys) * n_criteria:
            raise SystemExit(f"{csv_out}: {csv_rows} rows, expected {len(expected_keys) * n_criteria}")
        check["csv_rows"] = csv_rows
    print(f"validated: {check}", file=sys.stderr)

    m = machine()
    read_best = steps["read"].best
    ratio = steps["json"].best / read_best
    ratio_median = steps["json"].median / steps["read"].median

    lines = [
        f"`smartcommune evaluate` on the national-scale long CSV: {args.communes:,} communes × {args.years} years × "
        f"{n_criteria} criteria = {data_rows:,} rows ({size_mb:.1f} MB), {len(expected_keys):,} commune-years; "
        f"best and median of {args.repeat} runs, each a fresh process writing a new file, but for the row "
        f"\"replacing the last result\".",
        "",
        "| step | best (s) | median (s) | × csv read | CPU, best (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, step in steps.items():
        times = f"{step.best / read_best:.2f}×" if key != "startup" else "—"
        lines.append(f"| {step.name} (`{step.command}`) | {step.best:.2f} | {step.median:.2f} | {times} | "
                     f"{step.cpu_best:.2f} | {step.max_rss_mib:.0f} |")
    lines.append(f"| csv read inside the benchmark process (no interpreter start) | {min(in_process):.2f} | "
                 f"{statistics.median(in_process):.2f} | {min(in_process) / read_best:.2f}× | — | — |")
    verdict = "within" if ratio <= TARGET_RATIO else "over"
    lines += [
        "",
        f"Ratio evaluate --format json / csv read: **{ratio:.2f}×** best-to-best ({ratio_median:.2f}× median-to-median), "
        f"{verdict} the {TARGET_RATIO:.0f}× target; replacing the last result: "
        f"{steps['json over'].best / read_best:.2f}× ({steps['json over'].median / steps['read'].median:.2f}×). "
        f"Peak memory of evaluate --format json: "
        f"{steps['json'].max_rss_mib:.0f} MiB (csv read: {steps['read'].max_rss_mib:.0f} MiB).",
        "",
        f"Machine: {machine_line(m)}.",
    ]
    report = "\n".join(lines)
    print(report)

    stem = path.stem.replace("national-", "evaluate_national-")
    (out / f"{stem}.md").write_text(report + "\n", encoding="utf-8")
    (out / f"{stem}.json").write_text(json.dumps({
        "parameters": {"communes": args.communes, "years": args.years, "seed": args.seed, "repeat": args.repeat,
                       "criteria_set": criteria_set.code},
        "file": {"path": str(path), "rows": data_rows, "bytes": path.stat().st_size, "commune_years": len(expected_keys)},
        "steps": {k: {"name": s.name, "command": s.command, "best_s": s.best, "median_s": s.median,
                      "cpu_best_s": s.cpu_best, "max_rss_mib": s.max_rss_mib,
                      "runs": [vars(r) for r in s.runs]} for k, s in steps.items()},
        "read_in_process_s": in_process,
        "ratio_json_vs_read_best": ratio,
        "ratio_json_vs_read_median": ratio_median,
        "target_ratio": TARGET_RATIO,
        "validation": check,
        "machine": m,
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
