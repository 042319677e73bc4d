"""The demo load: people, rounds, stages, spread, idempotency, passwords, CLI and banner.

Building the demo drives 740 assessments through the real workflow, so it is built
ONCE for this module (a module-scoped fixture inside a transaction rolled back at the
end); each test runs in a savepoint inside it.  Passwords are hashed with the fast MD5
hasher here: the demo only calls Django's hashing API, whatever the hasher.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.db import connection, transaction
from django.test.utils import override_settings

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.cli import main
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.demo.actions import (
    DATA_SOURCE,
    MARK,
    YEARS,
    DemoRefused,
    demo_password,
    do_load_demo,
    lead_agencies,
)
from smartcommune.demo.context_processors import forget
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.models import (
    Assessment,
    AuditAction,
    AuditEntry,
    CriterionValue,
    Evidence,
    EvidenceKind,
    Notification,
    ReturnStage,
    ReviewStatus,
    Status,
)
from smartcommune.rounds.selectors import evaluate_assessment
from smartcommune.surveys.actions import FEED_SOURCE
from smartcommune.surveys.models import Answer, Survey
from smartcommune.units.models import Level, Unit

pytestmark = pytest.mark.slow  # builds the whole demo

User = get_user_model()
BANNER = "Dữ liệu mô phỏng (synthetic demo data) — không phải số liệu thật"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            forget()
            started = time.monotonic()
            report = do_load_demo()
            seconds = time.monotonic() - started
            # Check the demo's deferred foreign keys once, here: each test's teardown checks
            # those still pending, and in a savepoint rolled back they stay pending, so every
            # test would check the whole demo again (seconds each on PostgreSQL).
            connection.check_constraints()
            yield SimpleNamespace(report=report, seconds=seconds, media=media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            forget()


@pytest.fixture
def counts():
    def take():
        return {m.__name__: m.objects.count() for m in (User, RoleAssignment, SyntheticRound, Assessment,
                                                         CriterionValue, Evidence, AuditEntry, Notification)}
    return take


def province():
    return Unit.objects.get(level=Level.PROVINCE, code="83", valid_from=date(2021, 1, 1))


def assessments(year):
    return Assessment.objects.filter(round__year=year, round__synthetic_mark__isnull=False)


def test_people_for_every_role(demo, db):
    criteria_set = get_criteria_set()
    bt = province()
    # Bến Tre's people; Vĩnh Long's 2026 round has its own (``vl-…``, tests/demo/test_vinh_long.py).
    by_role = Counter(RoleAssignment.objects.exclude(user__username__startswith="vl-").values_list("role", flat=True))
    districts = Unit.objects.filter(parent=bt, level=Level.DISTRICT)
    assert len(districts) == 9
    assert by_role == {
        Role.ADMIN: 1, Role.SECRETARIAT: 1, Role.AGENCY_VERIFIER: len(lead_agencies(criteria_set)),
        Role.DISTRICT_REVIEWER: 9, Role.COMMUNE_OFFICER: 148,
    }
    assert User.objects.get(username="quantri").is_superuser
    assert RoleAssignment.objects.get(user__username="thuky").unit == bt
    agencies = set(RoleAssignment.objects.filter(role=Role.AGENCY_VERIFIER, unit=bt).values_list("agency", flat=True))
    assert agencies == set(lead_agencies(criteria_set))
    assert RoleAssignment.objects.get(user__username="so-yt").agency == "SYT"
    reviewed = set(RoleAssignment.objects.filter(role=Role.DISTRICT_REVIEWER).values_list("unit", flat=True))
    assert reviewed == set(districts.values_list("pk", flat=True))
    officer = RoleAssignment.objects.get(user__username="xa-28756")
    assert (officer.role, officer.unit.code, officer.unit.level) == (Role.COMMUNE_OFFICER, "28756", Level.COMMUNE)
    assert all(MARK in name for name in User.objects.values_list("first_name", flat=True))
    # Logins: admin, secretariat, every agency, every district, the first commune of each district.
    logins = [login for login in demo.report.logins if not login.username.startswith("vl-")]
    assert Counter(login.role for login in logins) == {
        Role.ADMIN: 1, Role.SECRETARIAT: 1, Role.AGENCY_VERIFIER: len(agencies), Role.DISTRICT_REVIEWER: 9,
        Role.COMMUNE_OFFICER: 9,
    }
    vinh_long_logins = Counter(login.role for login in demo.report.logins if login.username.startswith("vl-"))
    assert vinh_long_logins == {Role.SECRETARIAT: 1, Role.AGENCY_VERIFIER: 3, Role.COMMUNE_OFFICER: 6}
    assert demo.report.officers_without_login == (148 - 9) + (124 - 6)
    assert all(u.isascii() and u == u.lower() for u in User.objects.values_list("username", flat=True))


def test_five_synthetic_rounds_of_148_and_vinh_long_2026(demo, db):
    marks = SyntheticRound.objects.filter(round__province=province()).select_related("round")
    assert sorted(m.round.year for m in marks) == list(YEARS)
    for m in marks:
        assert m.round.province == province()
        assert m.round.criteria_set_code == "ben-tre-2021-2025"
        assert m.round.assessments.count() == 148
        assert m.round.opened_at.year in (m.round.year, m.round.year + 1)
    assert [(r.province, r.year, r.assessments) for r in demo.report.rounds] == [
        *(("Tỉnh Bến Tre", y, 148) for y in YEARS), ("Tỉnh Vĩnh Long", 2026, 124)]
    assert demo.report.rounds[-1].criteria_set_code == "chuyen-doi-so-cap-xa-2026"
    r2025 = marks.get(round__year=2025).round
    assert (r2025.submission_deadline, r2025.review_deadline, r2025.verification_deadline) == (
        date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31))


def test_stages(demo, db):
    for year in (2021, 2022, 2023):
        assert set(assessments(year).values_list("status", flat=True)) == {Status.PUBLISHED}
    s2024 = Counter(assessments(2024).values_list("status", flat=True))
    assert set(s2024) <= {Status.PUBLISHED, Status.RECOGNISED, Status.NOT_RECOGNISED, Status.APPRAISED}
    assert s2024[Status.APPRAISED] > 0
    assert s2024[Status.PUBLISHED] + s2024[Status.RECOGNISED] + s2024[Status.NOT_RECOGNISED] > 148 * 0.75
    s2025 = Counter(assessments(2025).values_list("status", flat=True))
    assert set(s2025) == set(Status.values), s2025
    returned = assessments(2025).filter(status=Status.RETURNED)
    assert set(returned.values_list("returned_stage", flat=True)) == {ReturnStage.DISTRICT, ReturnStage.AGENCY}
    returned_items = CriterionValue.objects.filter(assessment__in=returned, review_status=ReviewStatus.RETURNED)
    assert returned_items.exists() and all(v.review_comment for v in returned_items)
    partly = CriterionValue.objects.filter(assessment__in=assessments(2025).filter(status=Status.DISTRICT_REVIEWED),
                                           review_status=ReviewStatus.VERIFIED)
    assert partly.exists()
    # The showcase officers: 28756 has a draft with data, another officer a returned item.
    draft = assessments(2025).get(unit__code="28756")
    assert draft.status == Status.DRAFT and draft.values.exclude(numerator=None, met=None).exists()
    with_login = [login.username for login in demo.report.logins]
    officer_units = RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, user__username__in=with_login)
    assert assessments(2025).filter(unit__in=officer_units.values("unit"), status=Status.RETURNED).exists()


def test_spread_follows_the_engine(demo, db):
    by_year = {}
    for year in YEARS:
        evaluations = {a.unit.code: (a, evaluate_assessment(a))
                       for a in assessments(year).select_related("round", "unit")}
        by_year[year] = evaluations
    required = get_criteria_set().fields_required
    for year in YEARS:
        results = [e for _, e in by_year[year].values()]
        assert sum(e.smart_commune for e in results) > 0, year
        assert sum(e.fields_met == required - 1 for e in results) > 0, year
    assert sum(not e.complete for _, e in by_year[2025].values()) > 0
    # Most communes improve (or hold) year by year.
    better = sum(by_year[2025][c][1].fields_met >= by_year[2021][c][1].fields_met for c in by_year[2021])
    assert better > 148 * 0.6
    # Decisions follow the engine and are labelled synthetic.
    decided = 0
    for year in YEARS:
        for a, e in by_year[year].values():
            if a.status in (Status.RECOGNISED, Status.NOT_RECOGNISED, Status.PUBLISHED):
                decided += 1
                assert a.decision_recognised is e.smart_commune
                assert MARK in a.decision_number and a.decision_date.year == year + 1
    assert decided > 148 * 3
    assert Assessment.objects.filter(decision_recognised=True).count() == sum(r.recognised for r in demo.report.rounds)


def test_real_workflow_traces(demo, db):
    reported = CriterionValue.objects.exclude(numerator=None, denominator=None, met=None)
    # Criterion 4 of the communes whose survey closed is fed by it (tests/surveys).
    assert reported.exists() and set(reported.values_list("source", flat=True)) == {DATA_SOURCE, FEED_SOURCE}
    assert not CriterionValue.objects.filter(numerator=None, denominator=None, met=None, count=None, choice=None) \
        .exclude(source="").exists()
    # Every value change, step and review is in the audit log, by the people of the demo.
    assert AuditEntry.objects.filter(action=AuditAction.VALUE_CHANGED).exists()
    assert AuditEntry.objects.filter(action=AuditAction.ITEM_VERIFIED, actor__username="so-yt").exists()
    assert AuditEntry.objects.filter(action=AuditAction.PUBLISHED, actor__username="thuky").exists()
    # Some were returned and answered in past years.
    past = AuditEntry.objects.filter(assessment__round__year__lt=2025)
    assert past.filter(action=AuditAction.ITEM_RETURNED).exists()
    assert past.filter(action=AuditAction.ITEM_ANSWERED).exists()
    assert Notification.objects.filter(recipient__username="thuky").exists()
    # The simulated clock: a 2021 assessment was submitted in 2021 and published in 2022.
    a = assessments(2021).first()
    assert a.submitted_at.year == 2021 and a.published_at.year == 2022
    assert assessments(2025).filter(late=True).exists() and assessments(2025).filter(late=False,
                                                                                      submitted_at__isnull=False).exists()
    kinds = set(Evidence.objects.values_list("kind", flat=True))
    assert kinds == {EvidenceKind.LINK, EvidenceKind.DOCUMENT, EvidenceKind.FILE}
    pdf = Evidence.objects.filter(kind=EvidenceKind.FILE).first()
    assert pdf.content_type == "application/pdf"
    with pdf.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"


def test_agencies_verify_from_their_queues_in_batches(demo, db):
    verified = AuditEntry.objects.filter(action=AuditAction.ITEM_VERIFIED, field="review_status",
                                         assessment__round__province=province())
    # A batch covers many communes at one moment ...
    batches = Counter(verified.values_list("assessment__round__year", "actor__username", "at"))
    assert max(batches.values()) > 100
    assert len(batches) <= 2 * len(YEARS) * len(lead_agencies(get_criteria_set()))
    # ... yet each item is its own write of its assessment, as when verified one by one.
    assert set(Counter(verified.values_list("assessment_id", "version")).values()) == {1}
    # Only an agency leading an item verifies it.
    criteria_set = get_criteria_set()
    for code, agency in verified.values_list("criterion_code", "actor__role_assignments__agency").distinct():
        assert agency in criteria_set.criterion(code).lead_agencies


def test_idempotent(demo, db, counts):
    before = counts()
    again = do_load_demo()
    assert not again.created
    assert counts() == before
    assert again.logins == demo.report.logins
    assert again.key_matches


def test_refuses_to_mix_with_real_rounds(demo, db, counts):
    SyntheticRound.objects.all().delete()
    before = counts()
    with pytest.raises(DemoRefused, match="thật"):
        do_load_demo()
    assert counts() == before


def test_passwords(demo, db):
    logins = demo.report.logins
    assert len({login.password for login in logins}) == len(logins)
    stored = set(User.objects.values_list("password", flat=True))
    for login in logins:
        assert login.password == demo_password(login.username)
        assert len(login.password) == 12
        user = authenticate(username=login.username, password=login.password)
        assert user is not None and user.username == login.username
        assert login.password not in stored
        identify_hasher(user.password)  # a hash Django knows, never the clear text
    assert authenticate(username="thuky", password="wrong") is None
    with override_settings(SECRET_KEY="another-key"):
        assert demo_password("thuky") != logins[1].password
    # Officers without a login cannot sign in at all.
    assert not User.objects.get(username="xa-28759").has_usable_password()


def test_cli_prints_logins(demo, db, capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "DỮ LIỆU MÔ PHỎNG — chỉ dùng để trình diễn" in out
    for login in demo.report.logins:
        line = next(line for line in out.splitlines() if f" {login.username} " in line)
        assert login.password in line
    assert "http://127.0.0.1:8000/" in out
    assert "Đợt đánh giá mô phỏng của Tỉnh Vĩnh Long (synthetic rounds):\n  2026 (chuyen-doi-so-cap-xa-2026): 124 hồ sơ" \
        in out
    # Vĩnh Long has no districts: its files past submission wait for the agencies.
    vinh_long = out.split("Đợt đánh giá mô phỏng của Tỉnh Vĩnh Long")[1].split("\n\n")[0]
    assert "Chờ sở xác minh" in vinh_long and "Huyện đã thẩm định" not in vinh_long
    assert "Huyện đã thẩm định" in out.split("Đợt đánh giá mô phỏng của Tỉnh Vĩnh Long")[0]


def test_banner_only_with_synthetic_data(demo, db, client):
    forget()
    assert BANNER in client.get("/").content.decode()
    with transaction.atomic():
        SyntheticRound.objects.all().delete()  # forgets the kept answer (signal)
        assert BANNER not in client.get("/").content.decode()
        assert BANNER not in client.get("/login/").content.decode()
        transaction.set_rollback(True)
    forget()
    assert BANNER in client.get("/login/").content.decode()


def test_rounds_have_their_decisions_and_council_sessions(demo, db):
    """Each decided commune is a line of its year's decision, each appraised one has its
    result in a session of the council held the day of its appraisal; all marked synthetic."""
    from django.utils import timezone

    from smartcommune.rounds.models import AppraisalResult, Decision, DecisionLine

    for year in YEARS:
        decided = assessments(year).filter(status__in=(Status.RECOGNISED, Status.NOT_RECOGNISED, Status.PUBLISHED))
        if not decided.exists():
            continue
        [decision] = Decision.objects.filter(round__year=year, round__synthetic_mark__isnull=False)
        assert MARK in decision.number and MARK in decision.signer_name
        assert set(decision.lines.values_list("assessment", "recognised")) == set(
            decided.values_list("pk", "decision_recognised"))
        appraised = assessments(year).filter(status__in=(Status.APPRAISED, Status.RECOGNISED, Status.NOT_RECOGNISED,
                                                         Status.PUBLISHED))
        results = AppraisalResult.objects.filter(assessment__in=appraised)
        assert results.count() == appraised.count()
        for r in results.select_related("session")[:20]:
            assert MARK in r.comment and MARK in r.session.minutes and len(r.session.member_list) == 5
            entry = AuditEntry.objects.filter(assessment=r.assessment, field="status", new_value=Status.APPRAISED).get()
            assert timezone.localdate(entry.at) == r.session.date
    assert not DecisionLine.objects.filter(amends__isnull=False).exists()
def test_surveys_of_2025_feed_criterion_4(demo, db):
    surveys = list(Survey.objects.select_related("assessment__round", "assessment__unit"))
    assert len(surveys) == 4 and all(s.synthetic and s.assessment.round.year == 2025 for s in surveys)
    closed = [s for s in surveys if not s.is_open]
    assert len(closed) == 3
    for s in closed:
        value = s.assessment.values.get(criterion_code="4")
        valid = Answer.objects.filter(survey=s, voided_at__isnull=True).count()
        assert (value.numerator, value.denominator, value.fed_by) == (min(valid, s.planned), s.planned, "survey")
        assert set(s.assessment.evidence.filter(kind=EvidenceKind.FILE).values_list("criterion_code", flat=True)) \
            == {"4", "3.4"}
    [still_open] = [s for s in surveys if s.is_open]
    assert still_open.assessment.unit.code == "28756" and 0 < still_open.answers.count() < still_open.planned
