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
   survey's rate limits raised (every submitter comes from 127.0.0.1) and the bot check's
   minimum time at 0, and runs ``--submitters`` threads that each load the form and send
   ``--per-submitter`` answers; reports the POST latencies (p50, p95, max) and the errors.
   The client threads run on the same machine.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.cookiejar
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


def _submitter(base: str, code: str, times: int) -> tuple[list[float], list[str]]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    latencies, errors = [], []
    url = f"{base}/s/{code}/"
    for k in range(times):
        try:
            page = opener.open(url, timeout=30).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
            stamp = re.search(r'name="stamp" value="([^"]+)"', page)[1]
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "stamp": stamp, "level": str(1 + k % 4),
                                           "website": ""}).encode()
            started = time.perf_counter()
            response = opener.open(urllib.request.Request(url, body, headers={"Referer": url}), timeout=30)
            response.read()
            latencies.append(time.perf_counter() - started)
            if "/cam-on/" not in response.url:
                errors.append(f"landed on {response.url}")
        except Exception as exc:  # the bench reports every failure, it does not stop
            errors.append(repr(exc)[:200])
    return latencies, errors


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
        survey, _s, _o = _survey("form")
        port = _free_port()
        env = {**os.environ, "SMARTCOMMUNE_SURVEY_RATE": "1000000", "SMARTCOMMUNE_SURVEY_ADDRESS_RATE": "1000000",
               "SMARTCOMMUNE_SURVEY_MIN_SECONDS": "0"}
        server = subprocess.Popen([sys.executable, "-m", "smartcommune.cli", "serve", "--port", str(port),
                                   "--workers", str(args.workers), "--control-socket", "none"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=(OUT / "survey-serve.log").open("w"))
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300  # four workers start slowly on a busy machine
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start: see bench/out/survey-serve.log")
                    time.sleep(0.5)
            load_before = os.getloadavg()
            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.submitters) as pool:
                outcomes = list(pool.map(lambda _i: _submitter(base, survey.code, args.per_submitter),
                                         range(args.submitters)))
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            try:
                server.wait(timeout=120)  # gunicorn lets its workers finish; slow on a busy machine
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        latencies = sorted(t for lat, _e in outcomes for t in lat)
        errors = [e for _l, errs in outcomes for e in errs]
        if not latencies:
            latencies = [float("nan")]
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        stored = survey.answers.count()
        lines.append(f"- public form, {args.submitters} concurrent submitters × {args.per_submitter} answers "
                     f"({args.workers} gunicorn workers, clients on the same machine): {len(latencies)} answers "
                     f"sent in {wall:.1f} s, {stored} stored, {len(errors)} errors; POST latency p50 "
                     f"{statistics.median(latencies) * 1000:.0f} ms, **p95 {p95 * 1000:.0f} ms** (target < 300 ms), "
                     f"max {latencies[-1] * 1000:.0f} ms; load average before {load_before[0]:.2f}, after "
                     f"{os.getloadavg()[0]:.2f}")
        if errors:
            lines.append(f"  first errors: {errors[:3]}")
    text = "\n".join(lines)
    print(text)
    (OUT / f"survey_scale-{connection.vendor}.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
