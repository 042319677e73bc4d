"""The results selectors: the engine's results, scoping, aggregates and bounded queries."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcommune.criteria.engine import CriterionInput, Status, evaluate
from smartcommune.criteria.wording import gap_text
from smartcommune.exchange.results import evaluation_dict
from smartcommune.rounds.models import CriterionValue, Evidence, EvidenceKind, ReviewStatus
from smartcommune.rounds.models import Status as Workflow
from smartcommune.rounds.selectors import evaluate_assessment
from smartcommune.results.selectors.common import ResultsNotFound
from smartcommune.results.selectors.national import national_summary, years_with_results
from smartcommune.results.selectors.overview import province_overview
from smartcommune.results.selectors.scorecard import commune_scorecard
from smartcommune.units.models import Level
from tests.results.fixtures import save, set_status
from tests.rounds.fixtures import CRITERIA, assessment_of, open_round, unit, user

pytestmark = pytest.mark.django_db

RATIOS = [c.code for c in CRITERIA.criteria if c.ratio is not None]
BOOLEANS = [c.code for c in CRITERIA.criteria if c.boolean is not None]
HOUSEHOLDS_GAP = "còn thiếu 37 hộ gia đình có thiết bị thông minh"


def overview(viewer, r, **kwargs):
    return province_overview(viewer=viewer, province=r.world.bt, year=2024, **kwargs)


def by_code(rows):
    return {row.unit.code: row for row in rows}


# -- results are the engine's ----------------------------------------------------------------


def test_rows_are_the_engine_results_on_the_stored_values(results_world):
    r = results_world
    ov = overview(r.world.secretariat, r)
    assert [row.unit.code for row in ov.rows] == ["28756", "28759", "28801"]
    for row in ov.rows:
        inputs = {v.criterion_code: CriterionInput(v.numerator, v.denominator, v.met)
                  for v in row.assessment.values.all()}
        expected = evaluate(CRITERIA, inputs, unit_code=row.unit.code, year=2024)
        assert evaluation_dict(row.evaluation) == evaluation_dict(expected)
        assert evaluation_dict(row.evaluation) == evaluation_dict(evaluate_assessment(row.assessment))
    rows = by_code(ov.rows)
    assert [rows[c].evaluation.fields_met for c in ("28756", "28759", "28801")] == [9, 6, 5]
    assert rows["28756"].evaluation.smart_commune and not rows["28759"].evaluation.smart_commune
    assert rows["28756"].district == r.world.d1 and rows["28801"].district == r.world.d2
    assert (rows["28756"].status, rows["28756"].published, rows["28756"].recognised) == (Workflow.PUBLISHED, True, True)
    assert (rows["28759"].status, rows["28759"].published, rows["28759"].recognised) == (
        Workflow.NOT_RECOGNISED, False, False)
    assert rows["28756"].field_statuses[0] == Status.NOT_MET and rows["28756"].field_statuses[1:] == [Status.MET] * 9
    assert ov.synthetic is False and ov.criteria_set is CRITERIA and ov.round == r.round_2024


def test_closest_to_recognition_with_what_each_lacks(results_world):
    r = results_world
    closest = overview(r.world.secretariat, r).closest
    assert [(c.result.unit.code, c.fields_short) for c in closest] == [("28759", 1), ("28801", 2)]
    b, c = closest
    assert [(x.criterion.code, x.gap, x.text) for x in b.lacks] == [
        ("1.2", 37, HOUSEHOLDS_GAP),
        ("2.2", 5, "còn thiếu 5 cán bộ, công chức cấp xã có chứng chỉ ứng dụng công nghệ thông tin cơ bản "
                   "hoặc tương đương trở lên"),
        ("4", 10, "còn thiếu 10 người dân đã được khảo sát"),
        ("7", 4, "còn thiếu 4 hộ gia đình và cơ sở sản xuất, kinh doanh thực phẩm đảm bảo đủ điều kiện an toàn "
                 "vệ sinh thực phẩm"),
    ]
    assert [g.code for g in b.unmet_fields] == ["1", "2", "4", "7"]
    lack_13 = c.lacks[0]
    assert (lack_13.criterion.code, lack_13.gap) == ("1.3", None)
    assert lack_13.text == "chưa đạt: " + CRITERIA.criterion("1.3").boolean.label
    assert [x.criterion.code for x in c.lacks] == ["1.3", "2.2", "4", "5.1", "6.1"]


def test_most_missed_criteria_by_count_then_set_order(results_world):
    r = results_world
    missed = overview(r.world.secretariat, r).most_missed
    assert [(m.code, m.count) for m in missed] == [
        ("1.2", 2), ("2.2", 2), ("4", 2), ("1.3", 1), ("5.1", 1), ("6.1", 1), ("7", 1)]
    assert missed[0].name == CRITERIA.criterion("1.2").text and missed[0].field.code == "1"


def test_district_counts(results_world):
    r = results_world
    counts = overview(r.world.secretariat, r).district_counts
    assert [(c.district, c.communes, c.recognised, c.smart, c.fields_met_total) for c in counts] == [
        (r.world.d1, 2, 1, 1, 15), (r.world.d2, 1, 0, 0, 5)]  # by code
    assert counts[0].by_status == {Workflow.PUBLISHED: 1, Workflow.NOT_RECOGNISED: 1}
    assert str(counts[0].average_fields_met) == "7.5"


def test_comparison_with_the_previous_year(results_world):
    r = results_world
    ov = overview(r.world.secretariat, r)
    assert {row.unit.code: row.previous_fields_met for row in ov.rows} == {"28756": 10, "28759": 5, "28801": 0}
    cmp = ov.comparison
    assert cmp.previous_year == 2023 and cmp.available
    assert [(p.result.unit.code, p.before, p.now, p.change) for p in cmp.rows] == [
        ("28756", 10, 9, -1), ("28759", 5, 6, 1), ("28801", 0, 5, 5)]
    assert (cmp.fields_met_before, cmp.fields_met_now, cmp.smart_before, cmp.smart_now) == (15, 20, 1, 1)
    assert (cmp.improved, cmp.declined, cmp.unchanged, cmp.new) == (2, 1, 0, 0)


def test_no_previous_round_means_no_comparison(results_world):
    r = results_world
    ov = province_overview(viewer=r.world.secretariat, province=r.world.bt, year=2023)
    assert not ov.comparison.available and ov.comparison.rows == []
    assert all(row.previous_fields_met is None for row in ov.rows)


def test_filters_narrow_rows_and_aggregates(results_world):
    r = results_world
    ov = overview(r.world.secretariat, r, district=r.world.d2)
    assert [row.unit.code for row in ov.rows] == ["28801"]
    assert [c.district for c in ov.district_counts] == [r.world.d2]
    assert ov.districts == [r.world.d1, r.world.d2]  # the filter form still offers every district
    ov = overview(r.world.secretariat, r, status=Workflow.PUBLISHED)
    assert [row.unit.code for row in ov.rows] == ["28756"] and ov.closest == []
    assert ov.statuses == [Workflow.DRAFT, Workflow.NOT_RECOGNISED, Workflow.PUBLISHED]


# -- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who, codes", [
    ("anonymous", ["28756"]),
    ("nobody", ["28756"]),
    ("officer_a", ["28756"]),
    ("officer_b", ["28756", "28759"]),
    ("officer_c", ["28756", "28801"]),
    ("district1", ["28756", "28759"]),
    ("district2", ["28756", "28801"]),
    ("secretariat", ["28756", "28759", "28801"]),
    ("verifier", ["28756", "28759", "28801"]),
    ("admin", ["28756", "28759", "28801"]),
])
def test_overview_scope(results_world, who, codes):
    w = results_world.world
    viewer = {"anonymous": AnonymousUser(), "verifier": w.verifiers["SYT"]}.get(who) or getattr(w, who)
    ov = overview(viewer, results_world)
    assert [row.unit.code for row in ov.rows] == codes


def test_public_sees_only_published_results_of_both_years(results_world):
    r = results_world
    ov = overview(AnonymousUser(), r)
    assert [(row.unit.code, row.previous_fields_met, row.published) for row in ov.rows] == [("28756", 10, True)]
    assert ov.closest == [] and [m.code for m in ov.most_missed] == ["1.2"]
    set_status(r.a23, Workflow.APPRAISED)  # no longer public: its numbers are not either
    assert overview(AnonymousUser(), r).rows[0].previous_fields_met is None


def test_nothing_visible_or_no_round_is_not_found(results_world):
    r = results_world
    with pytest.raises(ResultsNotFound):
        province_overview(viewer=r.world.secretariat, province=r.world.bt, year=2022)
    open_round(r.world, year=2025)
    with pytest.raises(ResultsNotFound):
        province_overview(viewer=AnonymousUser(), province=r.world.bt, year=2025)
    with pytest.raises(ResultsNotFound):  # Vĩnh Long's secretariat sees nothing of Bến Tre's draft
        province_overview(viewer=r.world.secretariat_vl, province=r.world.bt, year=2025)
    assert len(province_overview(viewer=r.world.secretariat, province=r.world.bt, year=2025).rows) == 3


# -- bounded queries ----------------------------------------------------------------------------


def _province(world, code: str, communes: int):
    province = unit(code, f"Tỉnh thử {code}", Level.PROVINCE)
    district = unit(code + "1", "Huyện thử", Level.DISTRICT, province)
    for i in range(communes):
        unit(f"{code}{i:04d}", f"Xã thử {i}", Level.COMMUNE, district)
    secretariat = user(f"secretariat_{code}", ("secretariat", province, ""))
    for year in (2023, 2024):
        round_ = open_round(world, year=year, province=province, secretariat=secretariat)
        values = CriterionValue.objects.filter(assessment__round=round_)
        values.filter(criterion_code__in=RATIOS).update(numerator=9, denominator=10)
        values.filter(criterion_code__in=BOOLEANS).update(met=True)
        for a in round_.assessments.all()[: communes // 2]:
            set_status(a, Workflow.PUBLISHED, recognised=True)
    return province, secretariat


@pytest.mark.parametrize("who", ["secretariat", "anonymous"])
def test_overview_queries_do_not_grow_with_communes(world, django_assert_max_num_queries, who):
    small, small_secretariat = _province(world, "91", 3)
    large, large_secretariat = _province(world, "92", 40)
    counts = []
    for province, secretariat, n in ((small, small_secretariat, 3), (large, large_secretariat, 40)):
        viewer = AnonymousUser() if who == "anonymous" else secretariat
        with CaptureQueriesContext(connection) as queries:
            ov = province_overview(viewer=viewer, province=province, year=2024)
            assert all(row.previous_fields_met is not None for row in ov.rows)
        assert len(ov.rows) == (n if who == "secretariat" else n // 2)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(10):
        province_overview(viewer=large_secretariat, province=large, year=2024)


def test_national_summary_queries_do_not_grow(world, django_assert_max_num_queries):
    _province(world, "91", 3)
    with CaptureQueriesContext(connection) as small:
        national_summary(viewer=AnonymousUser(), year=2024)
    _province(world, "92", 40)
    with django_assert_max_num_queries(len(small)):
        summary = national_summary(viewer=AnonymousUser(), year=2024)
    assert [(p.province.code, p.communes, p.published, p.recognised) for p in summary.provinces] == [
        ("91", 1, 1, 1), ("92", 20, 20, 20)]


# -- national summary and the index --------------------------------------------------------------


def test_national_summary(results_world):
    r = results_world
    summary = national_summary(viewer=r.world.secretariat, year=2024)
    [bt] = summary.provinces
    assert (bt.province, bt.communes, bt.published, bt.recognised, bt.smart, bt.fields_met_total) == (
        r.world.bt, 3, 1, 1, 1, 20)
    assert str(bt.average_fields_met) == "6.7"
    public = national_summary(viewer=AnonymousUser(), year=2024)
    assert (public.communes, public.published, public.provinces[0].fields_met_total) == (1, 1, 9)
    with pytest.raises(ResultsNotFound):
        national_summary(viewer=AnonymousUser(), year=2022)


def test_years_with_results(results_world):
    r = results_world
    assert [(y.province, y.year, y.communes, y.published) for y in years_with_results(viewer=AnonymousUser())] == [
        (r.world.bt, 2024, 1, 1), (r.world.bt, 2023, 2, 2)]
    # 2023 also has the commune abolished at its end.
    assert [(y.year, y.communes) for y in years_with_results(viewer=r.world.secretariat)] == [(2024, 3), (2023, 4)]


# -- the scorecard -------------------------------------------------------------------------------


def test_scorecard_lines_are_the_engine_results(results_world):
    r = results_world
    w = r.world
    value = CriterionValue.objects.get(assessment=r.a, criterion_code="1.2")
    at = datetime(2025, 1, 10, 9, 30, tzinfo=timezone.utc)
    verifier = w.verifiers["STTTT"]
    verifier.first_name, verifier.last_name = "An", "Trần Văn"
    verifier.save()
    CriterionValue.objects.filter(pk=value.pk).update(review_status=ReviewStatus.VERIFIED, reviewed_by=verifier,
                                                      reviewed_at=at, source="Báo cáo 15/BC-UBND")
    Evidence.objects.create(assessment=r.a, criterion_code="1.2", kind=EvidenceKind.DOCUMENT,
                            document_number="15/BC-UBND", document_date=date(2024, 12, 10), uploaded_by=w.officer_a)
    Evidence.objects.create(assessment=r.a, criterion_code="1.3", kind=EvidenceKind.LINK,
                            url="https://phukhuong.bentre.gov.vn/", uploaded_by=w.officer_a)
    card = commune_scorecard(viewer=AnonymousUser(), unit=w.a, year=2024)
    assert [line.criterion.code for line in card.lines] == [c.code for c in CRITERIA.criteria]
    expected = evaluate_assessment(r.a)
    assert [(line.status, line.ratio, line.gap) for line in card.lines] == [
        (c.status, c.ratio, c.gap) for c in expected.criteria()]
    line = card.lines[1]
    assert (line.numerator, line.denominator, line.target, line.status, str(line.ratio), line.gap, line.gap_text) == (
        863, 1000, "≥90%", Status.NOT_MET, "86.30", 37, HOUSEHOLDS_GAP)
    assert (line.verified_by, line.verified_at, line.source, line.review_status) == (
        "An Trần Văn", at, "Báo cáo 15/BC-UBND", ReviewStatus.VERIFIED)
    assert [(e.kind, e.title, e.document_date) for e in line.evidence] == [
        ("document", "15/BC-UBND", date(2024, 12, 10))]
    assert card.lines[0].verified_by == "" and card.lines[0].gap_text == ""
    # The public sees what the link is, not where it points.
    [link] = card.lines[2].evidence
    assert (link.title, link.url, link.openable) == ("phukhuong.bentre.gov.vn", "", False)
    card = commune_scorecard(viewer=w.district1, unit=w.a, year=2024)
    assert card.lines[2].evidence[0].url == "https://phukhuong.bentre.gov.vn/" and card.evidence_openable
    assert not commune_scorecard(viewer=w.officer_b, unit=w.a, year=2024).evidence_openable


def test_scorecard_trend_follows_the_unit_over_visible_years(results_world):
    r = results_world
    w = r.world
    card = commune_scorecard(viewer=AnonymousUser(), unit=w.a, year=2024)
    assert [(p.year, p.fields_met, p.smart, p.published) for p in card.trend] == [
        (2023, 10, True, True), (2024, 9, True, True)]
    card = commune_scorecard(viewer=w.officer_c, unit=w.c, year=2024)
    assert [(p.year, p.fields_met, p.status) for p in card.trend] == [
        (2023, 0, Workflow.DRAFT), (2024, 5, Workflow.DRAFT)]
    assert [(p.year, p.fields_met) for p in commune_scorecard(viewer=AnonymousUser(), unit=w.b, year=2023).trend] == [
        (2023, 5)]  # 2024 of B is not published


@pytest.mark.parametrize("who, unit_key, visible", [
    ("anonymous", "a", True), ("anonymous", "b", False), ("anonymous", "c", False),
    ("officer_a", "b", False), ("officer_b", "b", True), ("officer_a", "c", False),
    ("district1", "b", True), ("district1", "c", False), ("district2", "c", True),
    ("secretariat", "c", True), ("verifier", "b", True), ("secretariat_vl", "b", False), ("admin", "c", True),
])
def test_scorecard_scope(results_world, who, unit_key, visible):
    w = results_world.world
    viewer = {"anonymous": AnonymousUser(), "verifier": w.verifiers["SYT"]}.get(who) or getattr(w, who)
    if visible:
        assert commune_scorecard(viewer=viewer, unit=getattr(w, unit_key), year=2024).unit == getattr(w, unit_key)
    else:
        with pytest.raises(ResultsNotFound):
            commune_scorecard(viewer=viewer, unit=getattr(w, unit_key), year=2024)


# -- gap text ------------------------------------------------------------------------------------


def test_gap_text_in_every_case():
    def text(code, **given):
        evaluation = evaluate(CRITERIA, {code: CriterionInput(**given)}, unit_code="1", year=2024)
        result = next(c for c in evaluation.criteria() if c.criterion.code == code)
        return gap_text(result)

    assert text("1.2", numerator=863, denominator=1000) == HOUSEHOLDS_GAP
    assert text("1.2", numerator=900, denominator=1000) == ""
    assert text("1.1", numerator=0, denominator=0) == ""  # not applicable
    assert text("1.2") == "thiếu số liệu: số hộ gia đình có thiết bị thông minh"
    label = CRITERIA.criterion("1.3").boolean.label
    assert text("1.3") == f"chưa báo cáo: {label}"
    assert text("1.3", met=False) == f"chưa đạt: {label}"
    both = CRITERIA.criterion("3.1")
    assert text("3.1", numerator=2, denominator=4, met=False) == (
        f"còn thiếu 2 {both.ratio.numerator_label[3:]}; chưa đạt: {both.boolean.label}")


def test_a_commune_saved_again_changes_its_row(results_world):
    r = results_world
    save(assessment_of(r.round_2024, r.world.c), r.world.officer_c, {})
    assert by_code(overview(r.world.secretariat, r).rows)["28801"].evaluation.fields_met == 10
