"""``do_load_demo``: a whole, clearly synthetic province to show the product with.

On the database Django is configured with (SQLite by default), :func:`do_load_demo`

1. loads the administrative units (:func:`~smartcommune.units.actions.do_load_units`);
2. unless the demo is already there, in one transaction:

   * creates demo people for every role (:func:`~smartcommune.demo.people.people`): the province secretariat
     ``thuky``, one verifier per lead agency of the set (``so-yt`` for Sở Y tế …), a
     reviewer per district (``huyen-829`` …), an officer per commune (``xa-28756`` …)
     and the system administrator ``quantri``.  Each full name ends in "(mô phỏng)".
     Every commune needs an officer because only a commune's officers may enter its
     values and submit; the officers of the *first commune of each district* get a
     login, the others an unusable password (an administrator can give them one);
   * opens one round per year 2021–2025 for Bến Tre (province 83) with the shipped set,
     marks it synthetic (:class:`~smartcommune.demo.models.SyntheticRound`),
   * fills every commune's values from :func:`smartcommune.demo.synthetic.generate`
     (data source "Số liệu mô phỏng"), adds a few evidence items, and drives each
     assessment through the workflow with the real ``do_*`` actions -- so permissions,
     the audit log and the notifications are the product's own; the agencies verify from
     their queues, many communes in one batch (``do_verify_items``) -- to a spread of stages
     (:func:`~smartcommune.demo.scenario.plans`): 2021–2023 published, 2024 mostly decided and published with some
     appraised, 2025 at every stage.  The recognition decision follows the engine's
     result.

3. then (:func:`load_vinh_long_round`, its own transaction, also into a database that already
   holds the Bến Tre rounds) the 2026 round of the merged Vĩnh Long, with people of its own:
   see :mod:`smartcommune.demo.vinh_long`.

Running it again creates nothing and returns the same logins.

Passwords are never stored in clear nor written in the repository: each is derived from
``settings.SECRET_KEY`` and the user name (:func:`~smartcommune.demo.people.demo_password`, HMAC-SHA256), so they
can be printed again on every run; the database keeps only Django's hashes.

The demo's clock
----------------
The actions stamp everything with the clock they are given (``now=``, Django's
``timezone.now`` by default).  So that a 2021 assessment reads as submitted in late 2021
and decided in early 2022 (and the "late" flag means something), the load passes every
action a simulated clock: each step is dated on a
plausible day of its year's calendar (:func:`~smartcommune.demo.scenario.calendar`).  Dates never pass the moment
the load started.  The deadlines:

=======  ==================  ====================  =======================
year     submission          district review       agency verification
=======  ==================  ====================  =======================
Y≤2024   30/11/Y             15/12/Y               15/01/Y+1
2025     30/06/2026          30/09/2026            31/12/2026
=======  ==================  ====================  =======================

The 2025 round is run late, in 2026, after Bến Tre joined Vĩnh Long (1 July 2025).  Its
fixed deadlines are chosen so that, seen from late 2026, the communes' and districts'
work is overdue while the agencies' is not yet; from 2027 on all of it is overdue.
"""

from __future__ import annotations

import gc
import os
import random
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.criteria.engine import NOT_REPORTED, CriterionInput
from smartcommune.criteria.engine import Status as EngineStatus
from smartcommune.criteria.model import CriteriaSet
from smartcommune.criteria.registry import DEFAULT_CODE, get_criteria_set
from smartcommune.demo import decisions as demo_decisions
from smartcommune.demo import synthetic
from smartcommune.demo import vinh_long
from smartcommune.demo.disclosure import load_disclosure
from smartcommune.demo.models import SyntheticRound
from smartcommune.demo.surveys import load_surveys
from smartcommune.demo.people import (  # noqa: F401  (lead_agencies, DemoRefused: part of this module's interface)
    DemoRefused, Person, demo_name, demo_password, key_check, lead_agencies, people,
)
from smartcommune.demo.scenario import (
    AGENCY_VERIFIED, APPRAISED, DECIDED, DISTRICT_REVIEWED, DRAFT, EMPTY, MARK, PARTLY_VERIFIED, RETURNED_AGENCY,
    RETURNED_DISTRICT, STAGES, SUBMITTED, YEARS, Calendar, Clock, Plan, calendar, day_at, plans,
)
from smartcommune.rounds.actions import (
    do_add_evidence,
    do_answer_item,
    do_open_round,
    do_save_values,
    do_transition,
    do_verify_items,
)
from smartcommune.rounds.models import Assessment, EvidenceKind, Round, Status
from smartcommune.rounds.selectors import evaluate_assessment
from smartcommune.units.actions import OLD_VALID_FROM, do_load_units
from smartcommune.units.models import Level, Unit

PROVINCE_CODE = "83"
"""Bến Tre, before the 1 July 2025 reform."""
SET_CODE = DEFAULT_CODE
DATA_SOURCE = "Số liệu mô phỏng (synthetic demo data)"
# -- what the report says ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoLogin:
    role: str
    role_label: str
    username: str
    full_name: str
    password: str
    scope: str


@dataclass(frozen=True, slots=True)
class DemoRound:
    year: int
    round_id: int
    statuses: dict[str, int]
    """Assessments per status (every :class:`~smartcommune.rounds.models.Status` value)."""
    recognised: int
    """Assessments whose recorded decision recognises the commune."""
    province: str = ""
    criteria_set_code: str = ""
    has_districts: bool = True
    """Whether the round's province has a district level (``Round.has_districts``)."""

    @property
    def assessments(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True, slots=True)
class DemoReport:
    created: bool
    """Whether this call created the demo (``False``: it was already there)."""
    logins: tuple[DemoLogin, ...]
    """The people with a login, with their derived passwords, in printing order."""
    officers_without_login: int
    rounds: tuple[DemoRound, ...]
    key_matches: bool
    """Whether ``SECRET_KEY`` is the one the demo was created with (else the printed
    passwords do not open the accounts)."""
    seconds: float = 0.0


# -- a tiny PDF, to show a file in the evidence list ---------------------------------------


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF printing ``title`` (ASCII) and a "synthetic" notice."""
    text = title.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = (b"BT /F1 14 Tf 56 780 Td (" + text + b") Tj 0 -24 Td "
              b"(Du lieu mo phong - synthetic demo data, not a real document) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- the load --------------------------------------------------------------------------------


def _province() -> Unit:
    return Unit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE, valid_from=OLD_VALID_FROM)


def _communes(province: Unit) -> list[Unit]:
    """The communes a round of the last year gets (as of the province's last day)."""
    as_of = min(date(YEARS[-1], 12, 31), province.valid_to or date.max)
    return list(
        Unit.objects.in_force(as_of).filter(parent__parent=province, level=Level.COMMUNE)
        .select_related("parent").order_by("code")
    )


def do_load_demo(*, seed: int = 2021) -> DemoReport:
    """Load the demo (see the module docstring); idempotent.  Migrating is the caller's job.

    Raises :class:`DemoRefused`, writing nothing beyond the units, when the database
    already holds a non-synthetic round of the set for Bến Tre 2021–2025 or a user with
    a demo user name but no demo data; the Vĩnh Long round is refused on the same grounds
    by :func:`load_vinh_long_round`, after Bến Tre's rounds are written.
    """
    started = datetime.now()
    do_load_units(old_province_code=PROVINCE_CODE)
    criteria_set = get_criteria_set(SET_CODE)
    province = _province()
    communes = _communes(province)
    everyone = people(criteria_set, province, communes)
    created = False
    if not SyntheticRound.objects.filter(round__province=province).exists():
        _refuse_mixing(province, everyone)
        _run(_Loader(criteria_set, province, everyone, seed=seed))
        created = True
    created |= load_vinh_long_round(seed=seed)
    report = _report(criteria_set, province, everyone, created=created)
    return DemoReport(
        created=report.created, logins=report.logins, officers_without_login=report.officers_without_login,
        rounds=report.rounds, key_matches=report.key_matches, seconds=(datetime.now() - started).total_seconds(),
    )


def load_vinh_long_round(*, seed: int) -> bool:
    """The 2026 round of the merged Vĩnh Long (:mod:`smartcommune.demo.vinh_long`), unless it
    is there; whether this call created it.  Raises :class:`DemoRefused`, writing nothing,
    when the database holds a non-synthetic round of that set, province and year, or a user
    with one of its demo user names."""
    province = vinh_long.province()
    if SyntheticRound.objects.filter(round__province=province, round__year=vinh_long.YEAR).exists():
        return False
    criteria_set = get_criteria_set(vinh_long.SET_CODE)
    everyone = vinh_long.people(criteria_set, province, vinh_long.communes(province))
    _refuse_mixing(province, everyone, set_code=vinh_long.SET_CODE, years=(vinh_long.YEAR,))
    _run(_VinhLongLoader(criteria_set, province, everyone, seed=seed))
    return True


def _run(loader: _Loader) -> None:
    """``loader.run()`` in one transaction."""
    # Tens of thousands of ORM objects and no reference cycles worth collecting: the
    # cyclic collector would only rescan them (about a tenth of the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with transaction.atomic():
            loader.run()
    finally:
        if collecting:
            gc.enable()


def _refuse_mixing(province: Unit, everyone: list[Person], *, set_code: str = SET_CODE,
                   years: tuple[int, ...] = YEARS) -> None:
    real = Round.objects.filter(criteria_set_code=set_code, province=province, year__in=years).order_by("year")
    if real.exists():
        years = ", ".join(str(r.year) for r in real)
        raise DemoRefused(
            f"Cơ sở dữ liệu đã có đợt đánh giá thật của {province.name} ({years}); dữ liệu mô phỏng chỉ nạp vào "
            f"cơ sở dữ liệu chưa có các đợt này (the database already holds real rounds for {years}; "
            "the demo loads only into a database without them)."
        )
    taken = sorted(get_user_model().objects.filter(username__in=[p.username for p in everyone])
                   .values_list("username", flat=True))
    if taken:
        shown = ", ".join(taken[:5]) + (" …" if len(taken) > 5 else "")
        raise DemoRefused(
            f"Đã có người dùng trùng tên với người dùng mô phỏng ({shown}) (users with demo user names already exist)."
        )


def _report(criteria_set: CriteriaSet, province: Unit, everyone: list[Person], *, created: bool) -> DemoReport:
    """The rounds, Bến Tre's then Vĩnh Long's 2026, and the logins of their people."""
    rounds, logins, marks = [], [], []
    vl_province = vinh_long.province()
    vl_everyone = vinh_long.people(get_criteria_set(vinh_long.SET_CODE), vl_province,
                                   vinh_long.communes(vl_province))
    labels = dict(Role.choices)
    for unit, people_ in ((province, everyone), (vl_province, vl_everyone)):
        found = list(SyntheticRound.objects.filter(round__province=unit).select_related("round")
                     .order_by("round__year"))
        marks += found
        for mark in found:
            assessments = Assessment.objects.filter(round=mark.round)
            counts = Counter(assessments.values_list("status", flat=True))
            rounds.append(DemoRound(mark.round.year, mark.round.pk, {s.value: counts.get(s.value, 0) for s in Status},
                                    assessments.filter(decision_recognised=True).count(), province=unit.name,
                                    criteria_set_code=mark.round.criteria_set_code,
                                    has_districts=mark.round.has_districts))
        last = found[-1].round if found else None
        stage_of = {}
        if last is not None:
            stage_of = {a.unit_id: a.status_text
                        for a in Assessment.objects.filter(round=last).select_related("unit", "round")}
        for p in people_:
            if not p.login:
                continue
            scope = p.scope
            if p.role == Role.COMMUNE_OFFICER and p.unit.pk in stage_of:
                scope += f" — hồ sơ {last.year}: {stage_of[p.unit.pk]}"
            logins.append(DemoLogin(p.role, labels[p.role], p.username, p.full_name, demo_password(p.username), scope))
    return DemoReport(
        created=created,
        logins=tuple(logins),
        officers_without_login=sum(1 for p in (*everyone, *vl_everyone) if not p.login),
        rounds=tuple(rounds),
        key_matches=all(m.key_check == key_check() for m in marks),
    )


@dataclass
class _Loader:
    criteria_set: CriteriaSet
    province: Unit
    everyone: list[Person]
    seed: int
    users: dict[str, object] = field(default_factory=dict)

    def run(self) -> None:
        self._create_people()
        by_username = self.users
        self.secretariat = by_username["thuky"]
        self.verifier = {}
        for p in self.everyone:
            if p.role == Role.AGENCY_VERIFIER:
                self.verifier[p.agency] = by_username[p.username]
        self.reviewer = {p.unit.pk: by_username[p.username] for p in self.everyone if p.role == Role.DISTRICT_REVIEWER}
        self.officer = {p.unit.pk: by_username[p.username] for p in self.everyone if p.role == Role.COMMUNE_OFFICER}
        pinned = [p.unit.code for p in self.everyone if p.role == Role.COMMUNE_OFFICER and p.login]
        self.showcase = set(pinned)
        codes = sorted(p.unit.code for p in self.everyone if p.role == Role.COMMUNE_OFFICER)
        self.plans = plans(codes, pinned, seed=self.seed)
        self.inputs = synthetic.generate(self.criteria_set, codes, YEARS, seed=self.seed)
        self.clock = Clock(timezone.now())
        for year in YEARS:
            self._year(year)
        load_surveys(province=self.province, secretariat=self.secretariat, showcase=self.showcase, seed=self.seed,
                     ceiling=self.clock.ceiling)
        load_disclosure(Round.objects.filter(province=self.province), self.officer, seed=self.seed)

    def _create_people(self) -> None:
        User = get_user_model()
        with_login = [p for p in self.everyone if p.login]
        # Hashing is slow on purpose (PBKDF2): do it on every core; hashlib releases the GIL.
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
            hashes = dict(zip(
                (p.username for p in with_login),
                pool.map(lambda p: make_password(demo_password(p.username)), with_login),
            ))
        for p in self.everyone:
            user = User(username=p.username, first_name=p.full_name,
                        is_staff=p.role == Role.ADMIN, is_superuser=p.role == Role.ADMIN)
            if p.login:
                user.password = hashes[p.username]
            else:
                user.set_unusable_password()
            user.save()
            RoleAssignment.objects.create(user=user, role=p.role, unit=p.unit, agency=p.agency)
            self.users[p.username] = user

    # -- one year ----------------------------------------------------------------------------

    def calendar(self, year: int) -> Calendar:
        """The deadlines and days of ``year``'s round (:func:`~smartcommune.demo.scenario.calendar`)."""
        return calendar(year)

    def _year(self, year: int) -> None:
        cal = self.calendar(year)
        self.clock.set(day_at(cal.opened, 9))
        round_ = do_open_round(
            actor=self.secretariat, criteria_set_code=self.criteria_set.code, year=year, province=self.province,
            submission_deadline=cal.submission, review_deadline=cal.review, verification_deadline=cal.verification,
            now=self.clock.now,
        )
        SyntheticRound.objects.create(round=round_, seed=self.seed, key_check=key_check(), created_at=self.clock.now())
        assessments = Assessment.objects.filter(round=round_).select_related("round", "unit", "unit__parent")
        drives = [_Drive(self, a, cal, self.plans[a.unit.code, year], self.inputs[a.unit.code, year])
                  for a in assessments.order_by("unit__code")]
        # Each commune and district up to the agencies' step; the agencies work from their
        # queues, many communes at once; then each file goes on to its decision.
        at_agencies = [d for d in drives if d.run()]
        self._agencies(year, at_agencies)
        for d in at_agencies:
            d.finish()

    def _agencies(self, year: int, drives: list[_Drive]) -> None:
        """The agencies' step of one round, as far as each plan goes (see
        :meth:`_Drive.plan_agencies`): each agency verifies the first items of every file in
        one batch from its queue (:func:`do_verify_items`); the files with a planned return
        are returned and, unless they stay so, answered and resubmitted; then each agency
        verifies the rest in a second batch.  A batch is dated a little after the last of
        its files reached the step."""
        rng = random.Random(f"smartcommune-demo-agencies:{self.seed}:{year}")
        for d in drives:
            d.plan_agencies()
        self._verify(drives, [d.first for d in drives], rng)
        for d in drives:
            d.return_and_answer()
        self._verify(drives, [d.rest for d in drives], rng)

    def _verify(self, drives: list[_Drive], codes: list[list[str]], rng: random.Random) -> None:
        """One batch per agency, in the order of their first criterion: ``codes[i]``, the
        items of ``drives[i]`` to verify now, each by the first agency leading it."""
        for agency in dict.fromkeys(c.lead_agencies[0] for c in self.criteria_set.criteria):
            batch = [(d, [c for c in led if self.criteria_set.criterion(c).lead_agencies[0] == agency])
                     for d, led in zip(drives, codes)]
            batch = [(d, led) for d, led in batch if led]
            if not batch:
                continue
            moment = max(d.t for d, _ in batch) + timedelta(hours=rng.uniform(1, 30))
            self.clock.set(moment)
            done = do_verify_items(actor=self.verifier[agency],
                                   items=[(d.a, c, d.a.version) for d, led in batch for c in led],
                                   now=self.clock.now)
            for (d, _), a in zip(batch, done):
                d.a = a
                d.t = max(d.t, moment)


class _VinhLongLoader(_Loader):
    """The 2026 round of the merged Vĩnh Long (:mod:`smartcommune.demo.vinh_long`): one year,
    no district, no evidence, no surveys or disclosure; the same drive as Bến Tre's."""

    def run(self) -> None:
        self._create_people()
        self.secretariat = self.users[vinh_long.SECRETARIAT]
        self.verifier = {p.agency: self.users[p.username] for p in self.everyone if p.role == Role.AGENCY_VERIFIER}
        self.reviewer = {}
        officers = [p for p in self.everyone if p.role == Role.COMMUNE_OFFICER]
        self.officer = {p.unit.pk: self.users[p.username] for p in officers}
        self.showcase = set()
        codes = sorted(p.unit.code for p in officers)
        planned = vinh_long.plans(codes, [p.unit.code for p in officers if p.login], seed=self.seed)
        self.plans = {(code, vinh_long.YEAR): plan for code, plan in planned.items()}
        generated = vinh_long.generate(self.criteria_set, codes, seed=self.seed)
        self.inputs = {(code, vinh_long.YEAR): rows for code, rows in generated.items()}
        self.clock = Clock(timezone.now())
        self._year(vinh_long.YEAR)

    def calendar(self, year: int) -> Calendar:
        return vinh_long.CALENDAR


# -- one assessment ----------------------------------------------------------------------------


def _values(inputs: Mapping[str, CriterionInput]) -> dict[str, dict[str, object]]:
    values = {}
    for code, given in inputs.items():
        if given == NOT_REPORTED:
            continue  # left unreported
        values[code] = {"numerator": given.numerator, "denominator": given.denominator, "met": given.met,
                        "source": DATA_SOURCE}
        # A count or a choice only where the set asks for one (a set of ratios and "Đạt" has neither).
        values[code] |= {k: v for k, v in (("count", given.count), ("choice", given.choice)) if v is not None}
    return values


class _Drive:
    """Takes one assessment to its planned stage, each step at a plausible moment."""

    def __init__(self, loader: _Loader, assessment: Assessment, cal: Calendar, plan: Plan,
                 inputs: Mapping[str, CriterionInput]):
        self.loader = loader
        self.a = assessment
        self.cal = cal
        self.plan = plan
        self.inputs = inputs
        self.unit = assessment.unit
        self.rng = random.Random(f"smartcommune-demo-steps:{loader.seed}:{self.unit.code}:{cal.year}")
        self.officer = loader.officer[self.unit.pk]
        self.criteria = [c for c in loader.criteria_set.criteria]
        self.t: datetime = day_at(cal.fill_from)
        # The agencies' part (plan_agencies): items verified first, returned, verified after.
        self.first: list[str] = []
        self.returned: str | None = None
        self.rest: list[str] = []

    # -- helpers ---------------------------------------------------------------------------

    def at(self, moment: datetime) -> None:
        self.t = max(moment, self.t + timedelta(minutes=1))
        self.loader.clock.set(self.t)

    def later(self, *, hours: float = 0, days: float = 0, spread_days: float = 0) -> None:
        extra = self.rng.uniform(0, spread_days) if spread_days else 0
        self.at(self.t + timedelta(hours=hours, days=days + extra))

    def step(self, actor, name: str, **params) -> None:
        self.a = do_transition(actor=actor, assessment=self.a, transition_name=name, now=self.loader.clock.now,
                               **params)

    def reached(self, stage: str) -> bool:
        """Whether the plan goes at least as far as ``stage`` (on the main line)."""
        return STAGES.index(self.plan.stage) >= STAGES.index(stage)

    def verifier_of(self, code: str):
        criterion = self.loader.criteria_set.criterion(code)
        return self.loader.verifier[criterion.lead_agencies[0]]

    def missed(self) -> list[str]:
        """Criteria a reviewer would question first: not met or not reported."""
        result = evaluate_assessment(self.a)
        return [c.criterion.code for f in result.fields for c in f.criteria
                if c.status in (EngineStatus.NOT_MET, EngineStatus.MISSING)]

    # -- the line --------------------------------------------------------------------------

    def run(self) -> bool:
        """Up to the agencies' step; whether the plan goes on to it (see :meth:`finish`)."""
        stage = self.plan.stage
        if stage == EMPTY:
            return False
        cal = self.cal
        late = stage != DRAFT and self.rng.random() < 0.12
        span = (cal.late_to if late else cal.fill_to) - cal.fill_from
        fill_day = cal.fill_from + timedelta(days=self.rng.randrange(span.days + 1))
        if late:
            fill_day = max(fill_day, cal.submission + timedelta(days=1))
        self.at(day_at(fill_day, self.rng.randrange(8, 16), self.rng.randrange(60)))
        self.a = do_save_values(actor=self.officer, assessment=self.a, expected_version=self.a.version,
                                values=_values(self.inputs), now=self.loader.clock.now)
        if self.unit.code in self.loader.showcase:
            self.evidence()
        if stage == DRAFT:
            return False
        self.later(hours=1, spread_days=1)
        self.step(self.officer, "submit")
        if self.unit.parent.level != Level.DISTRICT:
            # No district level (after the 2025 reform): the file went straight to the agencies.
            return stage != SUBMITTED
        if self.plan.history == "district":
            self.district_return(answer=True)
        if stage == SUBMITTED:
            return False
        if stage == RETURNED_DISTRICT:
            self.district_return(answer=False)
            return False
        self.later(days=2, spread_days=10)
        self.step(self.loader.reviewer[self.unit.parent_id], "district_forward")
        return stage != DISTRICT_REVIEWED

    def finish(self) -> None:
        """From the agencies' step to the planned stage."""
        stage, cal = self.plan.stage, self.cal
        if stage in (PARTLY_VERIFIED, RETURNED_AGENCY, AGENCY_VERIFIED):
            return
        self.at(day_at(cal.appraise_from) + timedelta(days=self.rng.uniform(0, 8)))
        self.step(self.loader.secretariat, "appraise", **demo_decisions.appraisal(self))
        if stage == APPRAISED:
            return
        self.at(day_at(cal.decision, 15))
        recognised = evaluate_assessment(self.a).smart_commune
        self.step(self.loader.secretariat, "record_decision", recognised=recognised, number=cal.decision_number,
                  date=cal.decision, signer=f"Phó Chủ tịch UBND tỉnh {demo_name('ky-quyet-dinh')}")
        if stage == DECIDED:
            return
        self.at(day_at(cal.publish, 9))
        self.step(self.loader.secretariat, "publish")

    def evidence(self) -> None:
        """A link, a document and (for the first showcase commune, 2024–2025) a PDF."""
        code, year = self.unit.code, self.cal.year
        officer, now = self.officer, self.loader.clock.now
        do_add_evidence(actor=officer, assessment=self.a, criterion_code="1.3", kind=EvidenceKind.LINK,
                        url=f"https://xa-{code}.demo.example/cong-thong-tin-dien-tu",
                        note=f"Cổng thông tin điện tử của xã {MARK}", now=now)
        do_add_evidence(actor=officer, assessment=self.a, criterion_code="2.1", kind=EvidenceKind.DOCUMENT,
                        document_number=f"{12 + year % 100}/NQ-ĐU {MARK}", document_date=date(year, 3, 15),
                        note=f"Nghị quyết về chuyển đổi số của Đảng ủy xã {MARK}", now=now)
        if code == min(self.loader.showcase) and year >= YEARS[-2]:
            pdf = ContentFile(tiny_pdf(f"Bien ban nghiem thu camera an ninh - xa {code} - {year}"),
                              name=f"bien-ban-camera-{code}-{year}.pdf")
            do_add_evidence(actor=officer, assessment=self.a, criterion_code="10.1", kind=EvidenceKind.FILE, file=pdf,
                            note=f"Biên bản nghiệm thu hệ thống camera {MARK}", now=now)
        self.a = Assessment.objects.select_related("round", "unit", "unit__parent").get(pk=self.a.pk)

    def district_return(self, *, answer: bool) -> None:
        missed = self.missed() or [c.code for c in self.criteria]
        chosen = sorted(self.rng.sample(missed, min(len(missed), self.rng.choice((1, 1, 2)))),
                        key=lambda c: [x.code for x in self.criteria].index(c))
        items = {c: f"Đề nghị xã bổ sung minh chứng và kiểm tra lại số liệu tiêu chí {c} {MARK}" for c in chosen}
        self.later(days=2, spread_days=6)
        self.step(self.loader.reviewer[self.unit.parent_id], "district_return", items=items)
        if answer:
            self.answer(chosen)

    def answer(self, codes: list[str]) -> None:
        self.later(days=2, spread_days=4)
        for c in codes:
            self.a = do_answer_item(actor=self.officer, assessment=self.a, expected_version=self.a.version,
                                    criterion_code=c, answer=f"Xã đã rà soát, số liệu đúng theo báo cáo năm "
                                    f"{self.cal.year}; gửi kèm giải trình {MARK}", now=self.loader.clock.now)
        self.later(hours=2)
        self.step(self.officer, "submit")

    def plan_agencies(self) -> None:
        """What the agencies do with this file (:meth:`_Loader._agencies`): the items of
        ``first`` are verified, then (``returned``) one is returned, and unless the plan
        stops there it is answered and ``rest`` verified: a partial step for
        ``partly_verified``, an interrupted one for ``returned_agency``, a return answered
        in the past for ``history="agency"``.  Items are taken in the set's order."""
        codes = [c.code for c in self.criteria]
        self.at(max(self.t + timedelta(days=1), day_at(self.cal.verify_from)) + timedelta(days=self.rng.uniform(0, 12)))
        self.first = codes
        if self.plan.stage == PARTLY_VERIFIED:
            self.first = codes[:self.rng.randrange(3, len(codes) - 3)]
        elif self.plan.stage == RETURNED_AGENCY or self.plan.history == "agency":
            returned = self.rng.randrange(2, len(codes))
            self.first, self.returned = codes[:returned], codes[returned]
            if self.plan.stage != RETURNED_AGENCY:
                self.rest = codes[returned:]  # the answered item is verified with the rest

    def return_and_answer(self) -> None:
        if self.returned is None:
            return
        code = self.returned
        self.later(hours=3)
        agency = self.loader.criteria_set.agency(self.loader.criteria_set.criterion(code).lead_agencies[0])
        self.step(self.verifier_of(code), "return_item", criterion_code=code,
                  comment=f"{agency.name}: số liệu chưa khớp với số liệu ngành; đề nghị xã kiểm tra, "
                  f"giải trình {MARK}")
        if self.plan.stage != RETURNED_AGENCY:
            self.answer([code])
