"""Drive the results overview under load: 50 concurrent clients on loopback, with ``wrk``.

    .venv/bin/python bench/overview_load.py --database-url sqlite:////tmp/bench-national.sqlite3
    .venv/bin/python bench/overview_load.py --database-url postgres://postgres@127.0.0.1:5432/h_bench

On a database loaded by ``bench/load_national.py``:

1. picks the province (default: Bến Tre, 83, if it has rounds, else the province whose
   commune count is closest to 150) and the year (default: the latest year in which every
   assessment of that province is published, so the anonymous page shows all its
   communes), and reads from the database what each page must show;
2. runs ``smartcommune serve`` (gunicorn) with ``SECRET_KEY``, ``DATABASE_URL``, ``DEBUG=0``,
   ``ALLOWED_HOSTS=127.0.0.1`` and ``--workers`` (default 2 × cores + 1, gunicorn's own
   advice for a CPU-bound application; ``serve`` gives each worker 4 threads), logging to
   ``bench/out/server-<label>.log`` and collecting static files under ``bench/out/var``;
3. for each page -- the province overview (``results:overview``), its JSON
   (``results:overview_json``) and the national summary (``results:national``), as an
   anonymous visitor --
   * fetches it once and checks it: status 200, every published commune of the province
     named in the page and in the JSON (by code or name), every province with a round that
     year named in the national summary, the mark "Dữ liệu mô phỏng" on the HTML pages;
   * warms up (``--warmup``, same concurrency, not counted);
   * measures: ``wrk --latency -c CLIENTS -t THREADS -d DURATION --timeout 10s`` with a Lua
     script that checks *every* response (status 200 and a marker string in the body,
     counted as "bad" otherwise) and prints p50/p75/p90/p95/p99/max, requests and errors;
   * records the CPU used during the run by wrk (``os.wait4``), by the server's processes and
     the PostgreSQL backends of the benchmark database (``/proc/<pid>/stat``) and by every
     other process (``/proc/stat``): wrk using a few % of one core shows the client is not
     the bottleneck, and "other processes" shows whether the machine was shared;
4. before that, for reference, the same run on a static file (WhiteNoise, no view) and a
   small Django page (``/login/``): what the server does with (almost) no work;
5. optionally (``--profile``) renders each page in-process with Django's test client:
   number of queries (``CaptureQueriesContext``, SQL saved as
   ``bench/out/queries-<label>-<page>.sql``), median wall and CPU time over 5 renders, a
   cProfile file ``bench/out/profile-<label>-<page>.prof``, and the bound the CPU time sets:
   at most cores ÷ CPU requests a second, so a median latency of at least
   clients × CPU ÷ cores (Little's law) -- a figure other processes hardly change;
6. prints a Markdown report (saved as ``bench/out/overview_load-<label>.md``, raw numbers as
   ``.json``) with the machine, the command and the targets: p95 < 100 ms for the province
   pages, p95 < 1 s for the national summary.

``--target NAME=PATH`` (repeatable) measures other paths instead (e.g. ``--target home=/``),
checked for status 200 only: the harness can be tried before the results pages exist.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BENCH_SECRET_KEY = "smartcommune-bench-only-key-not-a-secret"
SYNTHETIC_MARK = "Dữ liệu mô phỏng"
REFERENCES = (("static file", "/static/smartcommune/site.css"), ("small page", "/login/"))
"""For reference, what this server does with (almost) no work: a static file (WhiteNoise, no
view) and a small Django page (the login form: a template, no query)."""
TARGET_MS = {"province": 100, "province.json": 100, "national": 1000}
# Issue 17: asked as a browser asks, each public page's p90 within 1.5 × the p90 of
# /login/ measured just before it in the same run (the framework's own floor).
ACCEPT_ENCODING = "gzip, br"
LOGIN = "/login/"
RATIO_TARGET = 1.5

LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) marker = args[1]; encoding = args[2] or ""; bad = 0; checked = 0 end
function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 then
    bad = bad + 1
  elseif encoding ~= "" then
    -- A compressed body cannot be searched here: the encoding is checked instead (the
    -- content was checked once, decompressed, before the run).
    if headers["Content-Encoding"] ~= encoding then bad = bad + 1 end
  elseif marker ~= nil and marker ~= "" and not string.find(body, marker, 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local b, c = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); c = c + t:get("checked") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50": %.0f, "p75": %.0f, "p90": %.0f, ' ..
    '"p95": %.0f, "p99": %.0f, "max": %.0f, "mean": %.1f, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "bad": %d, "checked": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(75),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, b, c))
end
"""


@dataclass
class Target:
    name: str
    path: str
    marker: str = ""
    """A string every response body must contain (checked by wrk's Lua script)."""
    must_contain: list[list[str]] = field(default_factory=list)
    """Checked once before the run: each entry is a list of alternatives, one must appear."""
    url_name: str = ""
    encoding: str = ""
    """The Content-Encoding every answer must carry (the page is then not searched by wrk)."""


@dataclass
class Result:
    name: str
    path: str
    bytes_per_response: int
    single_ms: float
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    """Timeouts (no answer within 10 s) and socket errors, counted by wrk."""
    bad: int
    """Answers that were not 200 or lacked the marker (checked on every response)."""
    client_cpu_pct: float
    machine_busy_pct: float
    server_cpu_pct: float
    """CPU of gunicorn's master and workers, in % of one core (200 % = two cores)."""
    database_cpu_pct: float
    """CPU of the PostgreSQL server's processes (0 with SQLite, which runs inside the workers)."""
    others_cpu_pct: float
    """CPU of every other process of the machine, % of one core: should be near 0."""
    target_ms: int | None = None
    queries: int | None = None
    inprocess_ms: float | None = None
    cpu_ms: float | None = None
    """CPU time of one request in the Django process (``time.process_time``): unlike wall
    time, hardly changed by other processes on the machine."""
    cpu_miss_ms: float | None = None
    """CPU of a request whose page is not kept (results/caching.py) but whose engine results are."""
    cpu_cold_ms: float | None = None
    """CPU of a request with nothing kept (page nor engine results)."""
    encoding: str = ""
    """The Content-Encoding of the answers (wrk asks with ``--accept-encoding``)."""
    uncompressed_bytes: int = 0
    revalidated: bool | None = None
    """Whether a repeated visit with the page's ETag in ``If-None-Match`` got 304 (None: no ETag)."""
    login_p90_ms: float | None = None
    """p90 of /login/ measured just before this page, in the same run."""


# -- the data the pages must show --------------------------------------------------------------


def _configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ.setdefault("SMARTCOMMUNE_VAR_DIR", str(OUT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def choose(province_code: str | None, year: int | None):
    """The province and year to measure (see the module docstring)."""
    from django.db.models import Count, Q

    from smartcommune.rounds.models import Round

    rounds = Round.objects.select_related("province")
    if province_code is None:
        province_code = "83" if rounds.filter(province__code="83").exists() else None
    if province_code is None:
        sizes = (rounds.values("province__code").annotate(n=Count("assessments")).order_by("province__code"))
        per_year = {}
        for row in sizes:
            per_year[row["province__code"]] = max(per_year.get(row["province__code"], 0), row["n"])
        province_code = min(per_year, key=lambda code: (abs(per_year[code] - 150), code))
    mine = rounds.filter(province__code=province_code)
    if year is None:
        full = mine.annotate(unpublished=Count("assessments", filter=~Q(assessments__status="published")))
        full = full.filter(unpublished=0).order_by("-year").first()
        year = full.year if full else mine.order_by("-year").first().year
    return mine.get(year=year), year


def targets_for(round_, year: int) -> list[Target]:
    from smartcommune.rounds.models import Assessment, Round

    province = round_.province
    published = list(
        Assessment.objects.filter(round=round_, status="published").select_related("unit").order_by("unit__code")
    )
    communes = [[a.unit.code, a.unit.name, a.unit.short_name] for a in published]
    provinces = [[r.province.name, r.province.short_name, r.province.code]
                 for r in Round.objects.filter(year=year).select_related("province").order_by("province__code")]
    base = f"/results/{province.code}/{year}/"
    first = published[0].unit if published else None
    return [
        Target("province", base, marker=province.short_name,
               must_contain=communes + [[SYNTHETIC_MARK]], url_name="results:overview"),
        Target("province.json", base + "overview.json", marker=published[0].unit.code if published else "",
               must_contain=[[c[0]] for c in communes], url_name="results:overview_json"),
        Target("scorecard", f"/results/scorecard/{first.pk if first else 0}/{year}/",
               marker=first.name if first else "", must_contain=[[first.name if first else ""], [SYNTHETIC_MARK]],
               url_name="results:scorecard"),
        Target("map", base + "map/", marker=province.short_name,
               must_contain=communes + [[SYNTHETIC_MARK]], url_name="results:map"),
        Target("national", f"/results/national/{year}/", marker=provinces[-1][1] if provinces else "",
               must_contain=provinces + [[SYNTHETIC_MARK]], url_name="results:national"),
    ]


def check_routes(targets: list[Target]) -> None:
    """Each path must be the page it stands for (not some other view answering 200)."""
    from django.urls import Resolver404, resolve

    for t in targets:
        if not t.url_name:
            continue
        try:
            match = resolve(t.path)
        except Resolver404:
            sys.exit(f"{t.path} does not resolve: is the results page {t.url_name} there yet?")
        if match.view_name != t.url_name:
            sys.exit(f"{t.path} resolves to {match.view_name}, not {t.url_name}")


def profile(targets: list[Target], label: str) -> dict[str, tuple[int, float, float]]:
    """Queries and median in-process time of each page (Django's test client), plus a cProfile."""
    import cProfile

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from smartcommune.results import caching, evaluations

    client = Client()
    found = {}
    for t in targets:
        # Cold: no kept page, no kept engine result in this process (a server's first request
        # for the page after a start or a change of the province's data).
        caching.clear()
        evaluations.forget()
        start_cpu = time.process_time()
        client.get(t.path)
        cold = (time.process_time() - start_cpu) * 1000
        # Miss: the page is not kept (its data just changed), the engine results are.
        caching.clear()
        start_cpu = time.process_time()
        client.get(t.path)
        miss = (time.process_time() - start_cpu) * 1000
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(t.path)
        # Read now: captured_queries reads the connection's log, which the next request clears.
        queries = [q["sql"] for q in ctx.captured_queries]
        assert response.status_code == 200, (t.path, response.status_code)
        times, cpu = [], []
        for _ in range(5):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(t.path)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        prof = OUT / f"profile-{label}-{t.name}.prof"
        cProfile.runctx("client.get(path)", {}, {"client": client, "path": t.path}, str(prof))
        found[t.name] = (len(queries), statistics.median(times), statistics.median(cpu), miss, cold)
        (OUT / f"queries-{label}-{t.name}.sql").write_text(";\n\n".join(queries) + ";\n")
        print(f"  {t.name}: {len(queries)} queries, {statistics.median(times):.1f} ms in-process, "
              f"{statistics.median(cpu):.1f} ms CPU (medians of 5, page kept); not kept {miss:.0f} ms CPU, "
              f"cold {cold:.0f} ms CPU; profile {prof.relative_to(ROOT)}", file=sys.stderr)
    return found


# -- the server ----------------------------------------------------------------------------------


def start_server(port: int, workers: int, label: str, collect: bool = True) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    log = OUT / f"server-{label}.log"
    cmd = [str(Path(sys.executable).with_name("smartcommune")), "serve", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"port {port} is taken: choose another with --port")
    # `serve` does not collect static files at start: collect them once, as a release does
    # (--no-collectstatic reuses those of an earlier run).
    if collect:
        subprocess.run([cmd[0], "collectstatic"], env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT,
                              start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped (exit {server.returncode}); see {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return server, log
        except urllib.error.HTTPError:
            return server, log
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    sys.exit(f"the server did not answer within 120 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: gunicorn's master and workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# -- one page --------------------------------------------------------------------------------------


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "gzip":
        import gzip

        return gzip.decompress(body)
    return body


def fetch_and_check(url: str, target: Target, accept_encoding: str = "") -> tuple[int, float, int, str, bool | None]:
    """Fetch ``url`` once as wrk will (``Accept-Encoding``), check it, and ask again with its
    ETag: (bytes sent, ms, bytes once decompressed, encoding, answered 304 or None)."""
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    start = time.perf_counter()
    status, got, raw = _get(url, headers)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        sys.exit(f"{url}: HTTP {status}")
    encoding = got.get("Content-Encoding", "")
    if target.encoding and encoding != target.encoding:
        sys.exit(f"{url}: Content-Encoding {encoding!r}, expected {target.encoding!r}")
    body = decompress(raw, encoding).decode("utf-8")
    revalidated = None
    if got.get("ETag"):
        again, _h, _b = _get(url, {**headers, "If-None-Match": got["ETag"]})
        revalidated = again == 304
    if target.name.endswith(".json"):
        json.loads(body)
    missing = [alts for alts in target.must_contain if not any(a in body for a in alts)]
    if missing:
        sys.exit(f"{url}: {len(missing)} of {len(target.must_contain)} expected items missing, e.g. {missing[:3]}")
    if target.marker and target.marker not in body:
        sys.exit(f"{url}: the marker {target.marker!r} is missing")
    return len(raw), elapsed, len(body.encode()), encoding, revalidated


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _cpu_ticks_of(pgid: int, database: str) -> dict[tuple[str, int], int]:
    """CPU time (clock ticks) used so far by each process of the server (process group
    ``pgid``) and each PostgreSQL backend of ``database``, keyed by (``"server"`` or
    ``"database"``, pid)."""
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            text = (proc / "stat").read_text()
            fields = text.rsplit(")", 1)[1].split()  # state, ppid, pgrp, …; utime 12th, stime 13th
            if int(fields[2]) == pgid:
                kind = "server"
            elif database and text.split(" (", 1)[1].startswith("postgres") and (
                    f" {database} " in (proc / "cmdline").read_text()):
                kind = "database"
            else:
                continue
        except (OSError, IndexError):
            continue
        found[kind, int(proc.name)] = int(fields[11]) + int(fields[12])
    return found


def _used(before: dict, after: dict, kind: str) -> int:
    """Ticks used between two readings by the processes of ``kind`` alive at the end."""
    return sum(t - before.get(key, 0) for key, t in after.items() if key[0] == kind)


def run_wrk(url: str, marker: str, *, clients: int, threads: int, duration: str, script: Path,
            server_pgid: int, database: str, accept_encoding: str = "", encoding: str = "") -> dict:
    cmd = ["wrk", "--latency", "-c", str(clients), "-t", str(threads), "-d", duration, "--timeout", "10s",
           "-s", str(script)]
    if accept_encoding:
        cmd += ["-H", f"Accept-Encoding: {accept_encoding}"]
    cmd += [url, "--", marker, encoding]
    ticks0 = _cpu_ticks_of(server_pgid, database)
    busy0, total0 = _cpu_times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    busy1, total1 = _cpu_times()
    ticks1 = _cpu_ticks_of(server_pgid, database)
    server_ticks, database_ticks = _used(ticks0, ticks1, "server"), _used(ticks0, ticks1, "database")
    if proc.returncode != 0:
        sys.exit(f"wrk failed ({proc.returncode}):\n{out}")
    line = next((x for x in out.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"no result line from wrk:\n{out}")
    data = json.loads(line.removeprefix("BENCH "))
    data["client_cpu_pct"] = 100 * (usage.ru_utime + usage.ru_stime) / wall
    data["machine_busy_pct"] = 100 * (busy1 - busy0) / max(1, total1 - total0)
    # /proc/stat counts every core: its total over the run is cores × ticks per second × seconds.
    ticks_per_s = (total1 - total0) / (os.cpu_count() or 1) / wall
    data["server_cpu_pct"] = 100 * server_ticks / ticks_per_s / wall
    client_ticks = (usage.ru_utime + usage.ru_stime) * ticks_per_s
    data["database_cpu_pct"] = 100 * database_ticks / ticks_per_s / wall
    others = (busy1 - busy0) - server_ticks - database_ticks - client_ticks
    data["others_cpu_pct"] = max(0.0, 100 * others / ticks_per_s / wall)
    data["raw"] = out
    return data


def measure(base: str, target: Target, args, script: Path, server_pgid: int) -> Result:
    url = base + target.path
    size, single, plain, encoding, revalidated = fetch_and_check(url, target, args.accept_encoding)
    print(f"{target.name}: {target.path} OK ({size} bytes {encoding or 'uncompressed'}, {plain} bytes decoded, "
          f"{single:.0f} ms alone, 304 on revalidation: {revalidated}); warming up {args.warmup}", file=sys.stderr)
    wrk = {"clients": args.clients, "threads": args.threads, "script": script, "server_pgid": server_pgid,
           "database": args.database_name, "accept_encoding": args.accept_encoding, "encoding": target.encoding}
    run_wrk(url, target.marker, duration=args.warmup, **wrk)
    print(f"{target.name}: measuring {args.duration} with {args.clients} clients", file=sys.stderr)
    d = run_wrk(url, target.marker, duration=args.duration, **wrk)
    seconds = d["duration_us"] / 1e6
    errors = d["connect"] + d["read"] + d["write"] + d["status"] + d["timeout"]
    return Result(
        name=target.name, path=target.path, bytes_per_response=size, single_ms=round(single, 1),
        requests=d["requests"], seconds=round(seconds, 2), rps=round(d["requests"] / seconds, 1),
        p50_ms=d["p50"] / 1000, p75_ms=d["p75"] / 1000, p90_ms=d["p90"] / 1000, p95_ms=d["p95"] / 1000,
        p99_ms=d["p99"] / 1000, max_ms=d["max"] / 1000, errors=errors, bad=d["bad"],
        client_cpu_pct=round(d["client_cpu_pct"], 1), machine_busy_pct=round(d["machine_busy_pct"], 1),
        server_cpu_pct=round(d["server_cpu_pct"], 1), database_cpu_pct=round(d["database_cpu_pct"], 1),
        others_cpu_pct=round(d["others_cpu_pct"], 1),
        target_ms=TARGET_MS.get(target.name),
        encoding=encoding, uncompressed_bytes=plain, revalidated=revalidated,
    )


# -- the report ------------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()
    return {"cpu": model, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "os": platform.platform(), "wrk": wrk[0] if wrk else ""}


def markdown(label: str, vendor: str, province, year: int, results: list[Result], info: dict, args, command: str) -> str:
    profiled = any(r.queries is not None for r in results)
    lines = [
        f"### {label}: {vendor}, {province.name} ({province.code}) and the national summary, {year}",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; Python {info['python']}; {info['wrk']}. "
        f"Server: `smartcommune serve --workers {args.workers}` (4 threads each{'' if args.collectstatic else '; gunicorn started as serve does, without collectstatic'}), DEBUG=0. Client: wrk, "
        f"{args.clients} connections, {args.threads} threads, {args.duration} after {args.warmup} of warm-up. "
        f"Run at {info['when']} (load average before: {info['load_before']}).",
        "",
        f"Command: `{command}`",
        "",
        f"Asked with `Accept-Encoding: {args.accept_encoding or '(none)'}`; each page measured right after "
        f"`{LOGIN}` in the same run (target: page p90 ≤ {RATIO_TARGET} × `{LOGIN}` p90, no wrong answer).",
        "",
        "| page | sent (decoded) | encoding | 304 | alone | req/s | p50 | p90 | p95 | p99 | max "
        "| wrong / timeouts / answered | p90 ÷ login p90 | met (≤ 1.5×) | target (p95) | met |"
        + (" queries | in-process | CPU | CPU not kept / cold | bound: req/s, p50 |" if profiled else ""),
        "|---|---:|:-:|:-:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|:-:|"
        + ("---:|---:|---:|---:|---:|" if profiled else ""),
    ]
    for r in results:
        ok = r.requests > 0 and r.p95_ms < (r.target_ms or 0) and not (r.errors or r.bad)
        met = "—" if r.target_ms is None else ("yes" if ok else "**no**")
        ratio = r.p90_ms / r.login_p90_ms if r.login_p90_ms else None
        ratio_met = "—" if ratio is None else (
            "yes" if ratio <= RATIO_TARGET and not (r.errors or r.bad) else "**no**")
        row = (f"| `{r.path}` | {r.bytes_per_response / 1024:.1f} KiB ({r.uncompressed_bytes / 1024:.0f} KiB) | "
               f"{r.encoding or '—'} | {'—' if r.revalidated is None else ('yes' if r.revalidated else '**no**')} | "
               f"{r.single_ms:.0f} ms | {r.rps:.0f} | "
               f"{r.p50_ms:.0f} ms | {r.p90_ms:.0f} ms | {r.p95_ms:.0f} ms | {r.p99_ms:.0f} ms | {r.max_ms:.0f} ms | "
               f"{r.bad} / {r.errors} / {r.requests} | {'—' if ratio is None else f'{ratio:.2f}×'} | {ratio_met} | "
               f"{'—' if r.target_ms is None else f'< {r.target_ms} ms'} | {met} |")
        if r.queries is not None:
            # Little's law for a closed loop: p50 ≈ clients ÷ throughput, and throughput ≤ cores ÷ CPU.
            bound_rps = info["cores"] * 1000 / r.cpu_ms if r.cpu_ms else float("inf")
            row += (f" {r.queries} | {r.inprocess_ms:.1f} ms | {r.cpu_ms:.1f} ms | "
                    f"{r.cpu_miss_ms:.0f} / {r.cpu_cold_ms:.0f} ms | "
                    f"≤ {bound_rps:.0f}, ≥ {args.clients * 1000 / bound_rps:.0f} ms |")
        elif profiled:
            row += " | | | | |"
        lines.append(row)
    lines += [
        "",
        "CPU during each run, in % of one core (" + str(info["cores"]) + " cores = " + str(100 * info["cores"])
        + " %) -- " + "; ".join(
            f"{r.name}: server {r.server_cpu_pct:.0f} %, PostgreSQL ({args.database_name or 'none'}) "
            f"{r.database_cpu_pct:.0f} %, "
            f"wrk {r.client_cpu_pct:.0f} %, other processes {r.others_cpu_pct:.0f} %" for r in results
        ) + ".",
        "",
        "Bound: with CPU c per request on n cores the server answers at most n ÷ c requests a second, so "
        f"{args.clients} clients that each wait for their answer see a median latency of at least "
        f"{args.clients} × c ÷ n (Little's law), whatever else runs on the machine.",
        "",
    ]
    return "\n".join(lines)


def _duration_seconds(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", help="name of the run (default: the database vendor)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--duration", default="20s")
    parser.add_argument("--warmup", default="10s", help="long enough for every worker's first request "
                        "(about 1 s of imports each) to be over")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--province", help="province code (default: 83 if loaded, else ~150 communes)")
    parser.add_argument("--year", type=int, help="default: the province's latest fully published year")
    parser.add_argument("--target", action="append", default=[], metavar="NAME=PATH",
                        help="measure PATH instead of the results pages (status 200 checked only)")
    parser.add_argument("--profile", action="store_true", help="queries, in-process time and cProfile per page")
    parser.add_argument("--no-references", dest="references", action="store_false",
                        help="skip the reference rows (a static file and the login page)")
    parser.add_argument("--accept-encoding", default=ACCEPT_ENCODING,
                        help=f"what wrk and the checks send as Accept-Encoding (default {ACCEPT_ENCODING!r}; "
                        "'' for none)")
    parser.add_argument("--no-collectstatic", dest="collectstatic", action="store_false",
                        help="skip `smartcommune collectstatic` before `serve` (static files of an "
                        "earlier run under SMARTCOMMUNE_VAR_DIR reused)")
    parser.add_argument("--no-pairs", dest="pairs", action="store_false",
                        help=f"do not measure {LOGIN} again before each page")
    args = parser.parse_args(argv)
    for value in (args.duration, args.warmup):
        _duration_seconds(value)

    OUT.mkdir(parents=True, exist_ok=True)
    _configure(args.database_url)
    from django.db import connection

    args.database_name = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else ""
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    label = args.label or connection.vendor
    round_, year = choose(args.province, args.year)
    if args.target:
        targets = [Target(*t.split("=", 1)) for t in args.target]
    else:
        targets = targets_for(round_, year)
        check_routes(targets)
        if args.accept_encoding:
            for t in targets:  # every public results page is sent compressed (results/delivery.py)
                t.encoding = "br" if "br" in args.accept_encoding else "gzip"
    print(f"{vendor}: {round_.province.name} ({round_.province.code}) {year}", file=sys.stderr)
    if args.references:
        targets[:0] = [Target(name, path) for name, path in REFERENCES]
    if args.profile:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # the pages link hashed names
    references = {name for name, _ in REFERENCES}
    found = profile([t for t in targets if t.name not in references], label) if args.profile else {}
    connection.close()

    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    script = OUT / "overview_load.lua"
    script.write_text(LUA)
    server, log = start_server(args.port, args.workers, label, collect=args.collectstatic)
    try:
        results = []
        for t in targets:
            login = None
            if args.pairs and t.name not in references:
                login = measure(f"http://127.0.0.1:{args.port}", Target(f"{LOGIN} (before {t.name})", LOGIN),
                                args, script, server.pid)
                results.append(login)
            results.append(measure(f"http://127.0.0.1:{args.port}", t, args, script, server.pid))
            if login is not None:
                results[-1].login_p90_ms = login.p90_ms
    finally:
        stop_server(server)
    for r in results:
        if r.name in found:
            r.queries, r.inprocess_ms, r.cpu_ms = found[r.name][0], round(found[r.name][1], 1), round(found[r.name][2], 1)
            r.cpu_miss_ms, r.cpu_cold_ms = round(found[r.name][3], 1), round(found[r.name][4], 1)

    info = machine()
    info["when"], info["load_before"] = started_at, load_before
    command = "python bench/overview_load.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    report = markdown(label, vendor, round_.province, year, results, info, args, command)
    print(report)
    (OUT / f"overview_load-{label}.md").write_text(report)
    (OUT / f"overview_load-{label}.json").write_text(json.dumps(
        {"label": label, "vendor": vendor, "province": round_.province.code, "year": year, "machine": info,
         "args": vars(args), "results": [asdict(r) for r in results]}, ensure_ascii=False, indent=2))
    # Wrong answers, or a repeated visit not answered 304; slowness is a result, not a failure.
    failed = [r for r in results if r.bad or r.revalidated is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
