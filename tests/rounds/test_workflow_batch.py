"""Verifying many items at once (``do_verify_items``): the same outcome as one by one,
all or nothing, stale items refused by name, a bounded number of queries."""

import random

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcommune.rounds.actions import StaleItems, do_answer_item, do_save_values, do_verify_items
from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed, ValidationFailed
from smartcommune.rounds.models import AuditEntry, Notification, ReviewStatus, Status
from smartcommune.rounds.workflow import ItemToVerify
from tests.rounds.fixtures import CRITERIA, assessment_of, fill, fresh, open_round, step, verifier_for

pytestmark = pytest.mark.django_db

CODES = [c.code for c in CRITERIA.criteria]


def at_agency_step(world, round_, commune, *, returned=()):
    """``commune``'s assessment of ``round_`` filled, submitted and forwarded; ``returned``:
    items an agency returned and the commune answered on the way."""
    officer = {world.a: world.officer_a, world.b: world.officer_b}[commune]
    reviewer = world.district1 if commune.parent == world.d1 else world.district2
    a = step(officer, fill(assessment_of(round_, commune), officer), "submit")
    a = step(reviewer, a, "district_forward")
    for code in returned:
        a = step(verifier_for(world, code), a, "return_item", criterion_code=code, comment=f"Xem lại {code}")
        a = do_answer_item(actor=officer, assessment=a, expected_version=a.version, criterion_code=code,
                           answer="Đã rà soát")
        a = step(officer, a, "submit")
    return fresh(a)


def outcome(assessment, since_version):
    """What verifying did to ``assessment``, without its name, year and clock."""
    a = fresh(assessment)
    name = f"{a.unit.name} ({a.round.year})"
    return {
        "assessment": (a.status, a.version),
        "items": sorted(a.values.values_list("criterion_code", "review_status", "review_comment", "reviewed_by")),
        "audit": list(
            AuditEntry.objects.filter(assessment=a, version__gt=since_version).order_by("version", "pk")
            .values_list("version", "actor", "action", "criterion_code", "field", "old_value", "new_value", "reason")
        ),
        "notifications": sorted(
            (n.recipient_id, n.message.replace(name, "…"))
            for n in Notification.objects.filter(assessment=a, created_at__isnull=False)
        ),
    }


def plan(seed):
    """Batches ``[(agency verifier's item codes)]`` in order, from a seed: some agencies,
    some of their items, in a shuffled order; seeds divisible by 3 verify everything."""
    rng = random.Random(seed)
    by_agency = {}
    for code in CODES:
        by_agency.setdefault(CRITERIA.criterion(code).lead_agencies[0], []).append(code)
    agencies = list(by_agency)
    rng.shuffle(agencies)
    batches = []
    for agency in agencies:
        codes = list(by_agency[agency])
        rng.shuffle(codes)
        if seed % 3:
            codes = codes[:rng.randrange(len(codes) + 1)]
        if codes:
            batches.append(codes)
    return batches, ("" if seed % 2 else "  Khớp số liệu ngành  ")


@pytest.mark.parametrize("seed", range(7))
@pytest.mark.parametrize("returned", [(), ("6.1", "1.2")])
def test_a_batch_is_the_same_as_one_by_one(world, seed, returned):
    """One round verified item by item, another in batches: identical statuses,
    versions, audit entries (actions and payloads) and notifications."""
    one_by_one, batched = open_round(world, year=2024), open_round(world, year=2023)
    singles = {c: at_agency_step(world, one_by_one, c, returned=returned) for c in (world.a, world.b)}
    batches = {c: at_agency_step(world, batched, c, returned=returned) for c in (world.a, world.b)}
    start = {c: (singles[c].version, batches[c].version) for c in singles}
    Notification.objects.all().delete()
    steps, comment = plan(seed)
    for codes in steps:
        actor = verifier_for(world, codes[0])
        for commune in (world.a, world.b):
            for code in codes:
                singles[commune] = step(actor, singles[commune], "verify_item", criterion_code=code, comment=comment)
        # Both communes in one batch, interleaved.
        items = [ItemToVerify(batches[c], code, batches[c].version) for code in codes for c in (world.a, world.b)]
        done = do_verify_items(actor=actor, items=items, comment=comment)
        assert [a.pk for a in done] == [batches[world.a].pk, batches[world.b].pk]
        batches = {c: fresh(batches[c]) for c in batches}
    for commune in (world.a, world.b):
        assert outcome(singles[commune], start[commune][0]) == outcome(batches[commune], start[commune][1])
    if seed % 3 == 0:
        assert fresh(batches[world.a]).status == Status.AGENCY_VERIFIED
        assert Notification.objects.filter(recipient=world.secretariat).count() == 4


def test_the_last_items_move_the_assessment_and_tell_the_secretariat_after_commit(
        world, round_bt, django_capture_on_commit_callbacks):
    a = at_agency_step(world, round_bt, world.a)
    for code in CODES[:-3]:
        a = step(verifier_for(world, code), a, "verify_item", criterion_code=code)
    last = [c for c in CODES[-3:] if verifier_for(world, c) == verifier_for(world, CODES[-1])]
    for code in CODES[-3:]:
        if code not in last:
            a = step(verifier_for(world, code), a, "verify_item", criterion_code=code)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [a] = do_verify_items(actor=verifier_for(world, last[0]), items=[(a.pk, c, a.version) for c in last])
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert a.status == Status.AGENCY_VERIFIED and fresh(a).status == Status.AGENCY_VERIFIED
    assert [m.to for m in mail.outbox] == [["secretariat@example.vn"]]
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["secretariat"]


def snapshot(*assessments):
    return [(fresh(a).version, fresh(a).status, list(fresh(a).values.values_list("review_status", flat=True)))
            for a in assessments] + [AuditEntry.objects.count(), Notification.objects.count()]


def test_all_or_nothing_another_agencys_item_refuses_the_batch(world, round_bt):
    a, b = at_agency_step(world, round_bt, world.a), at_agency_step(world, round_bt, world.b)
    sttt = verifier_for(world, "1.1")
    before = snapshot(a, b)
    with pytest.raises(NotAllowed) as refused:
        do_verify_items(actor=sttt, items=[(a, "1.1", a.version), (b, "1.1", b.version), (b, "6.1", b.version)])
    assert "Phường Phú Tân (2024), tiêu chí 6.1" in refused.value.vi
    assert snapshot(a, b) == before


@pytest.mark.parametrize("who", ["officer_a", "district1", "secretariat", "admin", "nobody"])
def test_only_agency_verifiers_may(world, round_bt, who):
    a = at_agency_step(world, round_bt, world.a)
    before = snapshot(a)
    with pytest.raises(NotAllowed):
        do_verify_items(actor=getattr(world, who), items=[(a, "1.1", a.version)])
    assert snapshot(a) == before


def test_wrong_state_names_the_commune_and_the_criterion(world, round_bt):
    a = at_agency_step(world, round_bt, world.a)
    b = fill(assessment_of(round_bt, world.b), world.officer_b)  # still a draft
    sttt = verifier_for(world, "1.1")
    before = snapshot(a, b)
    with pytest.raises(IllegalTransition) as refused:
        do_verify_items(actor=sttt, items=[(a, "1.1", None), (b, "1.1", None)])
    assert refused.value.vi.startswith("Phường Phú Tân (2024), tiêu chí 1.1: Không thể xác minh tiêu chí")
    a = step(sttt, a, "verify_item", criterion_code="1.2")
    with pytest.raises(IllegalTransition, match="tiêu chí 1.2 đang ở tình trạng “Đã xác minh”"):
        do_verify_items(actor=sttt, items=[(a, "1.1", None), (a, "1.2", None)])
    assert fresh(a).values.get(criterion_code="1.1").review_status == ReviewStatus.PENDING


def test_empty_duplicated_or_unknown_items_are_refused(world, round_bt):
    a = at_agency_step(world, round_bt, world.a)
    sttt = verifier_for(world, "1.1")
    before = snapshot(a)
    with pytest.raises(ValidationFailed, match="Chưa chọn"):
        do_verify_items(actor=sttt, items=[])
    with pytest.raises(ValidationFailed, match="tiêu chí 1.1: được chọn hai lần"):
        do_verify_items(actor=sttt, items=[(a, "1.1", None), (a.pk, "1.1", a.version)])
    with pytest.raises(ValidationFailed, match="Không có tiêu chí 99.9"):
        do_verify_items(actor=sttt, items=[(a, "1.1", None), (a, "99.9", None)])
    assert snapshot(a) == before


def test_an_item_changed_since_the_page_is_stale_and_nothing_is_verified(world, round_bt):
    """The queue showed version v; then SYT returned 6.1, the commune corrected it and
    resubmitted.  Verifying 6.1 "as shown" is refused by name; another agency's work on
    other items meanwhile does not make an item stale."""
    a = at_agency_step(world, round_bt, world.a)
    shown = a.version
    syt, sttt = verifier_for(world, "6.1"), verifier_for(world, "1.1")
    a = step(syt, a, "return_item", criterion_code="6.1", comment="Sai số")
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"6.1": {"met": False}})
    a = step(world.officer_a, a, "submit")
    a = step(sttt, a, "verify_item", criterion_code="1.1")
    before = snapshot(a)
    with pytest.raises(StaleItems) as refused:
        do_verify_items(actor=syt, items=[(a, "6.2", shown), (a, "6.1", shown)])
    error = refused.value
    assert "Phường Phú Khương (2024), tiêu chí 6.1" in error.vi and "6.2" not in error.vi
    assert [(s[0].pk, s[1], s[2]) for s in error.stale] == [(a.pk, "6.1", shown)]
    assert {e.criterion_code for e in error.changes} == {"6.1"}
    assert {"value_changed", "item_returned"} <= {e.action for e in error.changes}
    assert snapshot(a) == before
    # 6.2 alone, as shown before the other agencies' and the commune's work, is not stale.
    [a] = do_verify_items(actor=syt, items=[(a, "6.2", shown)])
    assert a.values.get(criterion_code="6.2").review_status == ReviewStatus.VERIFIED
    # A version from the future is stale too.
    with pytest.raises(StaleItems):
        do_verify_items(actor=syt, items=[(a, "6.1", a.version + 1)])


def test_queries_do_not_grow_with_the_batch(world, round_bt):
    sttt = verifier_for(world, "1.1")
    led = [c for c in CODES if verifier_for(world, c) == sttt]
    a, b = at_agency_step(world, round_bt, world.a), at_agency_step(world, round_bt, world.b)
    with CaptureQueriesContext(connection) as one:
        do_verify_items(actor=sttt, items=[(a, led[0], a.version)])
    a, b = fresh(a), fresh(b)
    with CaptureQueriesContext(connection) as many:
        do_verify_items(actor=sttt, items=[(x, code, x.version) for x in (a, b) for code in led[1:]])
    assert len(many) == len(one) <= 10
