"""The citizen survey at province scale (issue 11.10): a million answers imported from CSV,
the results page over them, and the public form under 100 concurrent submitters.

    .venv/bin/python bench/survey_scale.py --database-url postgres://postgres@127.0.0.1:5432/h11

Targets (issue 11): import ≤ 60 s and the results page ≤ 1 s on PostgreSQL on a 2-core
machine; the public form holds 100 concurrent submitters with p95 < 300 ms.  A benchmark,
not a test: it prints what it measured, with the machine and its load average.

1. On the database given (migrated), makes a bench province "Tỉnh Khảo Sát (bench)" (code
   98, not a real code) with one commune per run (a fresh survey each time), its 2024 round,
   a secretariat and an officer; opens the commune's survey with a plan of 20 hamlets over
   2,000,000 people, margin 0.001 (Yamane: 666,667 answers planned).
2. Writes ``bench/out/survey-answers-<n>.csv`` (``--answers``, default 1,000,000 rows:
   level, hamlet, age band, sex, channel, a phone number on 30 % of the rows, the three
   3.4 questions) once, and times :func:`do_import_answers` on it (read, check every row,
   hash the numbers, refuse duplicates against the survey, ``COPY`` into the table), in
   this process, wall clock.
3. Times the results page (``GET /surveys/<id>/`` as the secretariat, through Django's
   test client: the counts kept per hamlet, channel and level, the voided count, the
   charts, the template) ``--repeat`` times, after one warm-up request (the survey list:
   a fresh process loads every URL module on its first request, seconds under load).
4. Starts ``smartcommune serve`` (gunicorn, ``--workers``) on the same database with the
   survey's rate limits raised (every submitter comes from 127.0.0.1, and 100 of them
   exceed the per-survey limit of 600 a minute by design) and runs ``--submitters``
   concurrent submitters, each sending ``--per-submitter`` answers as a citizen does: load
   the form, fill it in for ``--think`` seconds (each pause drawn between ``--think`` and
   1.2 × ``--think``, seeded, the first start spread over one pause, so the submitters do
   not march in lock-step), send it, follow to the thank-you page.  The bot check keeps the
   product's minimum time (``SMARTCOMMUNE_SURVEY_MIN_SECONDS``, default 3) unless
   ``--think`` is below it (``--think 0``: back-to-back answers, the stress figure).
   Reports p50/p95/max of the form, the POST, the thank-you page and the send-to-thank-you
   wait, answers per second, errors, the server's CPU per answer (gunicorn and, on a local
   PostgreSQL, the database's backends) and what the client itself cost.  The client is one
   asyncio loop speaking plain HTTP/1.1 (one connection a request, as a reverse proxy
   does), in this process, on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
SECRET = "smartcommune-bench-only-key-not-a-secret-0123456789"
HAMLETS = 20


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", SECRET)
    os.environ["DJANGO_SETTINGS_MODULE"] = "smartcommune.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    # Production settings serve hashed static files: collected once into the bench's own folder.
    os.environ["SMARTCOMMUNE_VAR_DIR"] = str(OUT / "survey-var")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES = 1 << 30
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [f for d in ROOT.glob("smartcommune/**/static") for f in d.rglob("*") if f.is_file()]
    if not manifest.exists() or max(f.stat().st_mtime for f in sources) > manifest.stat().st_mtime:
        call_command("collectstatic", interactive=False, verbosity=0)  # minutes under load: once, not each run


def _survey(name: str):
    """A fresh commune, assessment and survey (with its plan) in the bench province."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from smartcommune.accounts.models import Role, RoleAssignment
    from smartcommune.criteria.registry import get_criteria_set
    from smartcommune.rounds.actions import do_open_round
    from smartcommune.rounds.models import Assessment, CriterionValue, Round
    from smartcommune.surveys.actions import do_open_survey, do_set_plan
    from smartcommune.units.models import Level, Unit

    User = get_user_model()
    start = date(2021, 1, 1)
    with transaction.atomic():
        province, _ = Unit.objects.get_or_create(
            level=Level.PROVINCE, code="98", valid_from=start,
            defaults=dict(name="Tỉnh Khảo Sát (bench)", short_name="Khảo Sát", kind="Tỉnh"))
        secretariat, _ = User.objects.get_or_create(username="bench-survey-thuky")
        RoleAssignment.objects.get_or_create(user=secretariat, role=Role.SECRETARIAT, unit=province, agency="")
        officer, _ = User.objects.get_or_create(username="bench-survey-xa")
        n = Unit.objects.filter(parent=province).count()
        commune = Unit.objects.create(level=Level.COMMUNE, code=f"98{n:03d}", valid_from=start, parent=province,
                                      name=f"Xã {name} {n} (bench)", short_name=f"Xã {n}", kind="Xã")
        RoleAssignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune, agency="")
        round_ = Round.objects.filter(province=province, year=2024).first()
        if round_ is None:
            round_ = do_open_round(actor=secretariat, criteria_set_code="ben-tre-2021-2025", year=2024,
                                   province=province, submission_deadline=date(2025, 1, 31),
                                   review_deadline=date(2025, 1, 31), verification_deadline=date(2025, 1, 31))
        assessment = Assessment.objects.filter(round=round_, unit=commune).first()
        if assessment is None:  # a commune added after the round opened: its assessment by hand (bench only)
            assessment = Assessment.objects.create(round=round_, unit=commune)
            CriterionValue.objects.bulk_create([CriterionValue(assessment=assessment, criterion_code=c.code)
                                                for c in get_criteria_set(round_.criteria_set_code).criteria])
    survey = do_open_survey(actor=secretariat, assessment=assessment)
    sizes = [100_000] * HAMLETS
    survey = do_set_plan(actor=secretariat, survey=survey, frame_kind="population", margin="0.001",
                         hamlets=[(f"Ấp {i + 1}", s) for i, s in enumerate(sizes)])
    return survey, secretariat, officer


def _csv(n: int) -> Path:
    path = OUT / f"survey-answers-{n}.csv"
    if path.exists():
        return path
    rng = random.Random(11)
    topics = ("hai_long", "binh_thuong", "khong_hai_long", ""), ("ro_rang", "chua_day_du", "khong_biet", "")
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("level,hamlet,age_band,sex,channel,identity,dich_vu_cong,quy_hoach,ngan_sach\n")
        for i in range(n):
            identity = f"09{i:08d}" if i % 10 < 3 else ""
            f.write(f"{rng.choices('1234', (5, 10, 35, 50))[0]},Ấp {rng.randrange(HAMLETS) + 1},"
                    f"{rng.choice(('duoi_30', '30_44', '45_59', 'tu_60', ''))},{rng.choice(('nam', 'nu', ''))},"
                    f"{rng.choice(('paper', 'phone'))},{identity},{rng.choice(topics[0])},{rng.choice(topics[1])},"
                    f"{rng.choice(topics[1])}\n")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class _Timings:
    form: list[float] = field(default_factory=list)
    post: list[float] = field(default_factory=list)
    thanks: list[float] = field(default_factory=list)
    send: list[float] = field(default_factory=list)
    """From pressing Send to the thank-you page received: the POST and the redirect followed."""
    errors: list[str] = field(default_factory=list)


async def _http(port: int, method: str, path: str, cookies: dict[str, str], body: bytes = b"") -> tuple[int, str, bytes]:
    """One request on its own connection (``Connection: close``, as a reverse proxy speaks
    to gunicorn); the cookies set are kept in ``cookies``.  Returns the status, the
    ``Location`` and the body."""
    origin = f"http://127.0.0.1:{port}"
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close", "User-Agent: survey-bench"]
    if cookies:
        head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if method == "POST":
        head += [f"Origin: {origin}", f"Referer: {origin}{path}", "Content-Type: application/x-www-form-urlencoded",
                 f"Content-Length: {len(body)}"]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        raw = await reader.read()  # the server closes the connection after the response
    finally:
        writer.close()
    header, _sep, content = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    location = ""
    for line in lines[1:]:
        name, _sep, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            key, _sep, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
        elif name == "location":
            location = value
    return int(lines[0].split()[1]), location, content


async def _submitter(port: int, code: str, answers: int, think: float, rng: random.Random, t: _Timings) -> None:
    url = f"/s/{code}/"
    cookies: dict[str, str] = {}  # kept across answers, as one phone's browser does
    await asyncio.sleep(rng.uniform(0, think))  # arrivals spread over the first pause
    for k in range(answers):
        try:
            started = time.perf_counter()
            status, _l, page = await asyncio.wait_for(_http(port, "GET", url, cookies), 60)
            t.form.append(time.perf_counter() - started)
            html = page.decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            stamp = re.search(r'name="stamp" value="([^"]+)"', html)
            if status != 200 or token is None or stamp is None:
                t.errors.append(f"form: {status}")
                continue
            await asyncio.sleep(rng.uniform(think, 1.2 * think))  # reading, choosing, typing
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "stamp": stamp[1], "level": str(1 + k % 4),
                                           "website": ""}).encode()
            started = time.perf_counter()
            status, location, page = await asyncio.wait_for(_http(port, "POST", url, cookies, body), 60)
            t.post.append(time.perf_counter() - started)
            if status != 302 or not location.endswith("/cam-on/"):
                t.errors.append(f"POST: {status} {location} {page[:120]!r}")
                continue
            thanks_started = time.perf_counter()
            status, _l, _p = await asyncio.wait_for(_http(port, "GET", urllib.parse.urlsplit(location).path, cookies), 60)
            done = time.perf_counter()
            t.thanks.append(done - thanks_started)
            t.send.append(done - started)
            if status != 200:
                t.errors.append(f"thank-you page: {status}")
        except Exception as exc:  # the bench reports every failure, it does not stop
            t.errors.append(repr(exc)[:200])


async def _submitters(port: int, code: str, n: int, answers: int, think: float, seed: int) -> tuple[_Timings, list[float]]:
    """Run ``n`` submitters in one event loop; also samples how late the loop wakes up (the
    client's own distortion of the latencies)."""
    t = _Timings()
    lags: list[float] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - started - 0.01)

    watcher = asyncio.create_task(watch())
    await asyncio.gather(*(_submitter(port, code, answers, think, random.Random(f"{seed}-{i}"), t) for i in range(n)))
    done.set()
    await watcher
    return t, lags


def _pct(values: list[float], p: float) -> float:
    """The nearest-rank ``p`` percentile of ``values`` (sorted)."""
    return values[max(0, math.ceil(p * len(values)) - 1)] if values else float("nan")


def _spread(label: str, values: list[float], bold: str = "") -> str:
    """``label p50 / p95 / max`` in ms; ``bold="**"`` marks the p95."""
    values = sorted(values)
    return (f"{label} p50 {_pct(values, 0.5) * 1000:.0f} / {bold}p95 {_pct(values, 0.95) * 1000:.0f}{bold} / max "
            f"{(values[-1] if values else float('nan')) * 1000:.0f} ms")


def _cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each process still running."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def _process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    return tree


def _database_backends() -> list[int]:
    """The PostgreSQL backends serving this database (the server's connections), when the
    database runs on this machine; none on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [pid for (pid,) in cursor.fetchall() if Path(f"/proc/{pid}").exists()]


def _form(args) -> list[str]:
    """The public form under ``--submitters`` concurrent submitters (see the module)."""
    from django.conf import settings

    survey, _s, _o = _survey("form")
    product_minimum = settings.SMARTCOMMUNE_SURVEY_MIN_SECONDS
    minimum = product_minimum if args.think >= product_minimum else math.floor(args.think)
    port = _free_port()
    env = {**os.environ, "SMARTCOMMUNE_SURVEY_RATE": "1000000", "SMARTCOMMUNE_SURVEY_ADDRESS_RATE": "1000000",
           "SMARTCOMMUNE_SURVEY_MIN_SECONDS": str(minimum)}
    server = subprocess.Popen([sys.executable, "-m", "smartcommune.cli", "serve", "--port", str(port),
                               "--workers", str(args.workers), "--control-socket", "none"], env=env,
                              stdout=subprocess.DEVNULL, stderr=(OUT / "survey-serve.log").open("w"))
    try:
        deadline = time.monotonic() + 300  # four workers start slowly on a busy machine
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start: see bench/out/survey-serve.log")
                time.sleep(0.5)

        async def warm_up() -> None:  # every worker renders the form once (templates parsed, connections open)
            await asyncio.gather(*(_http(port, "GET", f"/s/{survey.code}/", {}) for _ in range(4 * args.workers)))

        asyncio.run(warm_up())
        server_pids, database_pids = set(_process_tree(server.pid)), set(_database_backends())
        cpu_before = _cpu_seconds(server_pids | database_pids)
        load_before = os.getloadavg()
        started, client_started = time.perf_counter(), time.process_time()
        t, lags = asyncio.run(_submitters(port, survey.code, args.submitters, args.per_submitter, args.think, args.seed))
        wall, client_cpu = time.perf_counter() - started, time.process_time() - client_started
        load_after = os.getloadavg()
        server_pids |= set(_process_tree(server.pid))
        database_pids |= set(_database_backends())
        cpu_after = _cpu_seconds(server_pids | database_pids)
    finally:
        server.terminate()
        try:
            server.wait(timeout=120)  # gunicorn lets its workers finish; slow on a busy machine
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def used(pids) -> float:  # a process started during the run counts from zero
        return sum(cpu_after[p] - cpu_before.get(p, 0.0) for p in pids if p in cpu_after)

    stored, sent = survey.answers.count(), len(t.send)
    per_answer = f"{used(server_pids) / sent * 1000:.1f} ms gunicorn" if sent else "no answer"
    if database_pids and sent:
        per_answer += f" + {used(database_pids) / sent * 1000:.1f} ms PostgreSQL"
    check = (f"the product's {minimum} s" if minimum == product_minimum
             else f"lowered from the product's {product_minimum} s to {minimum} s")
    think = f"think {args.think:g}–{1.2 * args.think:g} s" if args.think else "no think time (back to back)"
    lines = [
        f"- public form, **{args.submitters} concurrent submitters** × {args.per_submitter} answers, {think} "
        f"(bot check minimum: {check}); {args.workers} gunicorn workers × 4 "
        f"threads; the client one asyncio loop on the same machine: {sent} answers sent, {stored} stored, "
        f"{len(t.errors)} errors, in {wall:.1f} s: **{stored / wall:.1f} answers/s**; load average before "
        f"{load_before[0]:.2f}, after {load_after[0]:.2f}",
        f"  - {_spread('send → thank-you page (POST + redirect followed)', t.send, '**')} (target p95 < 300 ms)",
        f"  - {_spread('POST', t.post)}; {_spread('form GET', t.form)}; {_spread('thank-you page GET', t.thanks)}",
        f"  - server CPU per answer (its three requests): {per_answer}; the client's own CPU "
        f"{client_cpu:.1f} s ({client_cpu / wall * 100:.0f} % of a core), its loop woken late by "
        f"p95 {_pct(sorted(lags), 0.95) * 1000:.1f} ms / max {max(lags, default=0) * 1000:.0f} ms",
    ]
    if t.errors:
        lines.append(f"  - first errors: {t.errors[:3]}")
    return lines


def _results_page(survey, secretariat, n: int, repeat: int) -> str:
    from django.db import connection
    from django.test import Client

    from smartcommune.surveys.selectors import results

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_answer")
    client = Client()
    client.force_login(secretariat)
    client.get("/surveys/")  # the process's first request loads every URL module (seconds): not the page's cost
    page_times, selector_times, topic_times = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(f"/surveys/{survey.pk}/")
        page_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        started = time.perf_counter()
        r = results(survey, with_topics=False)
        selector_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.get(f"/surveys/{survey.pk}/topics/", headers={"HX-Request": "true"})
        topic_times.append(time.perf_counter() - started)
    assert r.valid == n
    return (f"- results page over {n:,} answers (GET /surveys/{survey.pk}/, {repeat} runs): first "
            f"{page_times[0]:.2f} s, best **{min(page_times):.2f} s**, median {statistics.median(page_times):.2f} s (target ≤ 1 s); the "
            f"aggregation alone: best {min(selector_times):.2f} s, median {statistics.median(selector_times):.2f} s; "
            f"the 3.4 fragment the page loads after itself: best {min(topic_times):.2f} s, median "
            f"{statistics.median(topic_times):.2f} s; load average {os.getloadavg()[0]:.2f}")


def _machine() -> str:
    def run(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    model = next((line.split(":", 1)[1].strip() for line in run("lscpu").splitlines()
                  if line.startswith("Model name")), "?")
    return f"{run('nproc')} cores ({model}), Python {platform.python_version()}, {platform.platform()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h11")
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--submitters", type=int, default=100)
    parser.add_argument("--per-submitter", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=3.0, metavar="SECONDS",
                        help="the pause between loading the form and sending, as a citizen filling it in (each drawn "
                        "between SECONDS and 1.2 × SECONDS); default 3 = the product's minimum time "
                        "(SMARTCOMMUNE_SURVEY_MIN_SECONDS), lowered only when SECONDS is below it; 0: back to back")
    parser.add_argument("--seed", type=int, default=11, help="of the submitters' pauses")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-form", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="with --skip-import: time the results page on the bench survey with most answers")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    _setup_django(args.database_url)
    from django.db import connection

    from smartcommune.surveys.actions import do_import_answers

    lines = [f"Machine: {_machine()}; database: {connection.vendor}.", ""]
    if not args.skip_import:
        path = _csv(args.answers)
        survey, secretariat, officer = _survey("import")
        load_before = os.getloadavg()
        started = time.perf_counter()
        n = do_import_answers(actor=officer, survey=survey, data=path.read_bytes(), name=path.name)
        took = time.perf_counter() - started
        lines.append(f"- import of {n:,} answers ({path.stat().st_size / 1e6:.0f} MB CSV): **{took:.1f} s** "
                     f"(target ≤ 60 s); load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
        lines.append(_results_page(survey, secretariat, n, args.repeat))
    elif args.reuse:
        from django.contrib.auth import get_user_model

        from smartcommune.surveys.models import Survey
        survey = max(Survey.objects.filter(assessment__unit__parent__code="98"), key=lambda s: s.answers.count())
        lines.append(_results_page(survey, get_user_model().objects.get(username="bench-survey-thuky"),
                                   survey.answers.count(), args.repeat))
    if not args.skip_form:
        lines += _form(args)
    text = "\n".join(lines)
    print(text)
    (OUT / f"survey_scale-{connection.vendor}.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
