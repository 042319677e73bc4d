"""Appraisal sessions and decisions as acts over many communes: a batch is the same as the
transitions one by one, all or nothing, stale communes refused by name, the secretariat
only; a later decision amends or revokes a line; the migration from per-assessment data."""

import random
from datetime import date, datetime, timezone

import pytest
from django.apps import apps

from smartcommune.accounts.models import Role
from smartcommune.rounds.actions import (
    BatchItem, StaleAssessments, do_appraise_many, do_decide_many, do_publish_many, do_transition, do_transitions,
)
from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed, ValidationFailed
from smartcommune.rounds.models import (
    AppraisalResult, AppraisalSession, Assessment, AuditAction, AuditEntry, Decision, DecisionLine, Notification,
    Status,
)
from smartcommune.rounds.workflow import current_decision_line
from tests.rounds.fixtures import assessment_of, fill, fresh, open_round, step, user, verify_all

pytestmark = pytest.mark.django_db

AT = datetime(2025, 2, 10, 8, 30, tzinfo=timezone.utc)


def now():
    return AT


def verified(world, round_, commune, **values):
    """``commune``'s assessment of ``round_`` filled (``values``: :func:`fill`'s), submitted,
    forwarded and verified."""
    officer = {world.a: world.officer_a, world.b: world.officer_b}.get(commune)
    if officer is None:
        officer = user(f"officer_{commune.code}_{round_.year}", (Role.COMMUNE_OFFICER, commune, ""))
    a = step(officer, fill(assessment_of(round_, commune), officer, **values), "submit")
    reviewer = world.district1 if commune.parent == world.d1 else world.district2
    return fresh(verify_all(world, step(reviewer, a, "district_forward")))


def three(world, round_):
    """A recognisable commune, one short of fields, and a third recognisable one."""
    return [verified(world, round_, world.a), verified(world, round_, world.b, numerator=1),
            verified(world, round_, world.c)]


def outcome(assessment, since):
    """What the acts did to ``assessment``, without its year."""
    a = fresh(assessment)
    year = str(a.round.year)
    return {
        "assessment": (a.status, a.version, a.decision_number, a.decision_date, a.decision_signer,
                       a.decision_recognised, a.published_at),
        "audit": [tuple(str(x).replace(year, "Y") for x in row) for row in
                  AuditEntry.objects.filter(assessment=a, version__gt=since).order_by("version", "pk")
                  .values_list("version", "actor", "at", "action", "criterion_code", "field", "old_value",
                               "new_value", "reason")],
        "appraisals": list(a.appraisals.values_list("session__date", "proposed", "fields_met", "fields_required",
                                                    "fields_total", "comment")),
        "lines": list(a.decision_lines.values_list("decision__number", "decision__date", "decision__signer_name",
                                                   "recognised", "reason", "amends")),
        "notifications": sorted((n.recipient_id, n.message.replace(year, "Y"))
                                for n in Notification.objects.filter(assessment=a)),
    }


@pytest.mark.parametrize("seed", range(3))
def test_batches_are_the_same_as_one_by_one(world, seed):
    """Round 2024 taken through appraisal, decision and publication one commune at a time,
    round 2023 in three batches, the communes in an order and with decisions drawn from
    ``seed``: identical statuses, versions, copies of the decision, audit entries,
    appraisal results, annex lines and notifications."""
    rng = random.Random(seed)
    singles_round, batch_round = open_round(world, year=2024), open_round(world, year=2023)
    order = [0, 1, 2]
    rng.shuffle(order)
    singles = three(world, singles_round)
    batched = three(world, batch_round)
    singles, batched = [singles[i] for i in order], [batched[i] for i in order]
    start = [(s.version, b.version) for s, b in zip(singles, batched)]
    Notification.objects.all().delete()
    comment = "  Hồ sơ đầy đủ, số liệu khớp  " if seed != 1 else ""
    recognised = [rng.random() < 0.5 for _ in order]
    reasons = ["" if yes else f"Lý do {i}" for i, yes in enumerate(recognised)]

    session = AppraisalSession.objects.create(round=singles_round, date=date(2025, 1, 20))
    for a in singles:
        do_transition(actor=world.secretariat, assessment=a, transition_name="appraise", expected_version=a.version,
                      session=session, comment=comment, now=now)
    for a, yes, why in zip(singles, recognised, reasons):
        do_transition(actor=world.secretariat, assessment=a, transition_name="record_decision",
                      expected_version=fresh(a).version, recognised=yes, reason=why, number="12/QĐ-UBND",
                      date=date(2025, 2, 10), signer="Nguyễn Văn An", now=now)
    for a in singles:
        do_transition(actor=world.secretariat, assessment=a, transition_name="publish", now=now)

    batch_session = do_appraise_many(actor=world.secretariat, round_=batch_round, date=date(2025, 1, 20),
                                     items=[(a, a.version) for a in batched], comment=comment, now=now)
    batched = [fresh(a) for a in batched]
    decision = do_decide_many(
        actor=world.secretariat, round_=batch_round, number="12/QĐ-UBND", date=date(2025, 2, 10),
        signer_name="Nguyễn Văn An", now=now,
        items=[BatchItem(a, a.version, {"recognised": yes, "reason": why})
               for a, yes, why in zip(batched, recognised, reasons)])
    batched = [fresh(a) for a in batched]
    done = do_publish_many(actor=world.secretariat, round_=batch_round, items=[(a, a.version) for a in batched],
                           now=now)
    assert [a.pk for a in done] == [a.pk for a in batched]

    for s, b, (s_start, b_start) in zip(singles, batched, start):
        assert outcome(s, s_start) == outcome(b, b_start)
    assert [fresh(a).status for a in batched] == [Status.PUBLISHED] * 3
    assert [fresh(a).decision_recognised for a in batched] == recognised
    assert batch_session.results.count() == 3
    # The council proposes what the engine computed: the second commune is short of fields.
    proposed = dict(AppraisalResult.objects.filter(session=batch_session).values_list("assessment", "proposed"))
    assert [proposed[a.pk] for a in batched] == [a.unit != world.b for a in batched]
    assert Decision.objects.get(round=singles_round).lines.count() == decision.lines.count() == 3
    # One status entry per commune and act.
    for a, (_single_start, batch_start) in zip(batched, start):
        statuses = AuditEntry.objects.filter(assessment=a, field="status", version__gt=batch_start)
        assert statuses.filter(new_value=Status.APPRAISED).count() == 1
        assert statuses.filter(new_value=Status.PUBLISHED).count() == 1


def snapshot(round_):
    assessments = Assessment.objects.filter(round=round_).order_by("pk")
    return ([(a.version, a.status, a.decision_number) for a in assessments], AuditEntry.objects.count(),
            AppraisalSession.objects.count(), Decision.objects.count(), DecisionLine.objects.count(),
            AppraisalResult.objects.count(), Notification.objects.count())


def test_a_commune_changed_since_the_page_refuses_the_whole_batch(world, round_bt):
    a, b, c = three(world, round_bt)
    shown = b.version
    do_transition(actor=world.secretariat, assessment=b, transition_name="appraise")
    before = snapshot(round_bt)
    with pytest.raises(StaleAssessments) as refused:
        do_appraise_many(actor=world.secretariat, round_=round_bt, date=date(2025, 1, 20),
                         items=[(a, a.version), (b, shown), (c, c.version)])
    assert "Phường Phú Tân (2024, phiên bản" in refused.value.vi and "Phú Khương" not in refused.value.vi
    assert [(x.pk, v) for x, v in refused.value.stale] == [(b.pk, shown)]
    assert snapshot(round_bt) == before


def test_a_refusal_names_the_commune_and_changes_nothing(world, round_bt):
    a, b, c = three(world, round_bt)
    do_appraise_many(actor=world.secretariat, round_=round_bt, date=date(2025, 1, 20), items=[(a, None), (c, None)])
    other = open_round(world, year=2023)
    before = snapshot(round_bt)
    with pytest.raises(IllegalTransition) as refused:
        do_decide_many(actor=world.secretariat, round_=round_bt, number="5/QĐ-UBND", date=date(2025, 2, 1),
                       signer_name="Nguyễn Văn An",
                       items=[BatchItem(a, None, {"recognised": True}), BatchItem(b, None, {"recognised": False})])
    assert refused.value.vi.startswith("Phường Phú Tân (2024): Không thể ghi quyết định công nhận")
    assert snapshot(round_bt) == before
    with pytest.raises(ValidationFailed, match="Chọn công nhận hoặc không công nhận"):
        do_decide_many(actor=world.secretariat, round_=round_bt, number="5/QĐ-UBND", date=date(2025, 2, 1),
                       signer_name="Nguyễn Văn An", items=[BatchItem(a, None, {"recognised": None})])
    with pytest.raises(ValidationFailed) as refused:
        do_decide_many(actor=world.secretariat, round_=round_bt, number=" ", date="hôm qua", signer_name="",
                       items=[BatchItem(a, None, {"recognised": True})])
    assert {p.field for p in refused.value.problems} == {"number", "signer", "date"}
    with pytest.raises(ValidationFailed, match="Chưa chọn xã nào"):
        do_publish_many(actor=world.secretariat, round_=round_bt, items=[])
    with pytest.raises(ValidationFailed, match="hai lần"):
        do_transitions(actor=world.secretariat, round_=round_bt, transition_name="appraise", items=[(b, None)] * 2)
    with pytest.raises(ValidationFailed, match="không thuộc đợt"):
        do_publish_many(actor=world.secretariat, round_=other, items=[(a, None)])
    assert snapshot(round_bt) == before


@pytest.mark.parametrize("who", ["officer_a", "district1", "admin", "nobody", "secretariat_vl", "verifier"])
def test_only_the_rounds_secretariat_may(world, round_bt, who):
    a = verified(world, round_bt, world.a)
    actor = world.verifiers["SYT"] if who == "verifier" else getattr(world, who)
    before = snapshot(round_bt)
    with pytest.raises(NotAllowed):
        do_appraise_many(actor=actor, round_=round_bt, date=date(2025, 1, 20), items=[(a, None)])
    with pytest.raises(NotAllowed):
        do_decide_many(actor=actor, round_=round_bt, number="1/QĐ", date=date(2025, 1, 20), signer_name="X",
                       items=[BatchItem(a, None, {"recognised": True})])
    with pytest.raises(NotAllowed):
        do_publish_many(actor=actor, round_=round_bt, items=[(a, None)])
    assert snapshot(round_bt) == before


def decide(world, a, *, number="12/QĐ-UBND", recognised=True, when=date(2025, 2, 10)):
    a = step(world.secretariat, a, "appraise")
    return step(world.secretariat, a, "record_decision", recognised=recognised, number=number, date=when,
                signer="Nguyễn Văn An")


def test_a_later_decision_amends_or_revokes_a_line_and_both_are_kept(world, round_bt):
    a = decide(world, verified(world, round_bt, world.a))
    a = step(world.secretariat, a, "publish")
    first = current_decision_line(a)
    with pytest.raises(ValidationFailed, match="đã có trong quyết định số 12/QĐ-UBND"):
        step(world.secretariat, a, "amend_decision", recognised=False, number="12/QĐ-UBND",
             date=date(2025, 2, 10), signer="Nguyễn Văn An", reason="Sai số liệu")
    with pytest.raises(ValidationFailed, match="Cần ghi lý do"):
        step(world.secretariat, a, "amend_decision", recognised=False, number="30/QĐ-UBND",
             date=date(2025, 5, 5), signer="Trần Thị Bình", reason=" ")
    with pytest.raises(NotAllowed):
        step(world.officer_a, a, "amend_decision", recognised=False, number="30/QĐ-UBND",
             date=date(2025, 5, 5), signer="Trần Thị Bình", reason="Sai số liệu")
    a = step(world.secretariat, a, "amend_decision", recognised=False, number="30/QĐ-UBND",
             date=date(2025, 5, 5), signer="Trần Thị Bình", reason="Thanh tra phát hiện sai số liệu")
    line = current_decision_line(a)
    assert line.amends == first and line.revokes and line.kind_label == "Thu hồi công nhận"
    assert (a.status, a.decision_number, a.decision_recognised) == (Status.PUBLISHED, "30/QĐ-UBND", False)
    assert Decision.objects.filter(round=round_bt).count() == 2 and DecisionLine.objects.count() == 2
    assert set(AuditEntry.objects.filter(assessment=a, action=AuditAction.DECISION_AMENDED)
               .values_list("field", flat=True)) == {"decision_number", "decision_date", "decision_signer",
                                                     "decision_recognised"}
    # A decided (not yet published) commune moves to the new outcome.
    b = decide(world, verified(world, round_bt, world.b), recognised=False, number="13/QĐ-UBND")
    b = step(world.secretariat, b, "amend_decision", recognised=True, number="30/QĐ-UBND", date=date(2025, 5, 5),
             signer="Trần Thị Bình", reason="Xem xét lại")
    assert b.status == Status.RECOGNISED and not current_decision_line(b).revokes


def test_amending_needs_a_decision(world, round_bt):
    a = step(world.secretariat, verified(world, round_bt, world.a), "appraise")
    with pytest.raises(IllegalTransition):
        step(world.secretariat, a, "amend_decision", recognised=True, number="1/QĐ", date=date(2025, 1, 1),
             signer="X", reason="Y")


def test_one_number_is_one_decision_with_one_date_and_signer(world, round_bt):
    a = decide(world, verified(world, round_bt, world.a))
    b = step(world.secretariat, verified(world, round_bt, world.b, numerator=1), "appraise")
    with pytest.raises(ValidationFailed, match="đã được ghi với ngày 10/02/2025"):
        step(world.secretariat, b, "record_decision", recognised=False, number="12/QĐ-UBND",
             date=date(2025, 2, 11), signer="Nguyễn Văn An")
    b = step(world.secretariat, b, "record_decision", recognised=False, number="12/QĐ-UBND",
             date=date(2025, 2, 10), signer="Nguyễn Văn An", reason="Thiếu lĩnh vực")
    decision = Decision.objects.get()
    assert sorted(decision.lines.values_list("assessment", "recognised", "reason")) == sorted(
        [(a.pk, True, ""), (b.pk, False, "Thiếu lĩnh vực")])
    assert decision.issuing_body == "Ủy ban nhân dân tỉnh Bến Tre"


def test_reopened_and_decided_again_amends_the_earlier_line(world, round_bt):
    a = decide(world, verified(world, round_bt, world.a))
    first = current_decision_line(a)
    a = step(world.secretariat, a, "reopen", reason="Xã xin sửa số liệu")
    assert current_decision_line(a) == first and fresh(a).decision_number == ""
    officer = world.officer_a
    a = step(officer, fill(a, officer), "submit")
    a = fresh(verify_all(world, step(world.district1, a, "district_forward")))
    a = decide(world, a, number="40/QĐ-UBND", when=date(2025, 6, 1))
    assert current_decision_line(a).amends == first and a.decision_number == "40/QĐ-UBND"


def test_the_migration_makes_a_decision_per_number(world, round_bt):
    migration = __import__("smartcommune.rounds.migrations.0005_decisions_from_assessments",
                           fromlist=["decisions_from_assessments"])
    a, b, c = (assessment_of(round_bt, u) for u in (world.a, world.b, world.c))
    for x, number, day, signer, recognised in ((a, "12/QĐ", 10, "An", True), (b, "12/QĐ", 10, "An", False),
                                               (c, "13/QĐ", 11, "Bình", None)):
        Assessment.objects.filter(pk=x.pk).update(decision_number=number, decision_date=date(2025, 2, day),
                                                  decision_signer=signer, decision_recognised=recognised,
                                                  status=Status.PUBLISHED)
    migration.decisions_from_assessments(apps, None)
    decisions = {d.number: d for d in Decision.objects.all()}
    assert set(decisions) == {"12/QĐ", "13/QĐ"}
    assert (decisions["12/QĐ"].date, decisions["12/QĐ"].signer_name) == (date(2025, 2, 10), "An")
    assert sorted(decisions["12/QĐ"].lines.values_list("assessment", "recognised")) == [(a.pk, True), (b.pk, False)]
    assert list(decisions["13/QĐ"].lines.values_list("assessment", "recognised")) == [(c.pk, False)]
