"""The value rules hold on every channel (issues 15.3, 16.1, 16.3, 16.9, 16.16): the same
spellings give the same answers through the long CSV, the entry template, the web form and
the API; the write path bounds counts, texts and dates whatever the caller."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse

from smartcommune.exchange.long_csv import LongCsvError, read_long_csv
from smartcommune.exchange.values import MAX_COUNT, TEXT_LIMITS
from smartcommune.imports import workbook
from smartcommune.imports.exceptions import ImportRefused
from smartcommune.rounds import actions
from smartcommune.rounds.actions import do_add_evidence, do_open_round, do_save_values
from smartcommune.rounds.exceptions import ValidationFailed
from smartcommune.rounds.models import Assessment, Evidence, Round
from tests.api.conftest import token_for
from tests.imports.helpers import data_sheet_part, fill_cells, rewrite_part, row_of, template
from tests.rounds.fixtures import CRITERIA, SET_CODE, assessment_of, fill, fresh, step, verify_all

REFUSED = "refused"


@pytest.fixture
def a(world, round_bt):
    return assessment_of(round_bt, world.a)


# -- the four channels, each answering (value) or REFUSED ------------------------------------


def by_csv(code, field, text):
    cells = {"numerator": "", "denominator": "", "met": ""}
    cells[field] = text
    if field == "numerator":
        cells["denominator"] = str(MAX_COUNT)
    row = f'28756,2024,{code},"{cells["numerator"]}","{cells["denominator"]}","{cells["met"]}"'
    try:
        units = read_long_csv(f"unit_code,year,criterion,numerator,denominator,met\n{row}\n".encode(), CRITERIA)
    except LongCsvError:
        return REFUSED
    given = units[0].inputs[code]  # a CriterionInput, or the fast path's equal tuple
    return given[("numerator", "denominator", "met").index(field)]


def by_xlsx(round_bt, a, code, field, text):
    column = {"numerator": "H", "denominator": "J", "met": "L"}[field]
    cells = {f"{column}{row_of(0, code)}": text}
    if field == "numerator":
        cells[f"J{row_of(0, code)}"] = MAX_COUNT
    try:
        read = workbook.read_template(fill_cells(template(round_bt, [a]), cells), "mau.xlsx")
    except ImportRefused:
        return REFUSED
    entry = next((e for e in read.entries if e.criterion == code), None)
    return None if entry is None else entry.given.get(field)


def by_web(world, a, code, field, text):
    client = Client()
    client.force_login(world.officer_a)
    form = {"expected_version": fresh(a).version, f"{field}-{code}": text}
    if field == "numerator":
        form[f"denominator-{code}"] = str(MAX_COUNT)
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]), form)
    if response.status_code == 400:
        return REFUSED
    assert response.status_code == 303, response.status_code
    return getattr(fresh(a).values.get(criterion_code=code), field)


def by_api(world, a, code, field, text):
    given = {field: text}
    if field == "numerator":
        given["denominator"] = MAX_COUNT
    response = Client().patch(
        f"/api/v1/assessments/{a.pk}/values",
        json.dumps({"expected_version": fresh(a).version, "values": {code: given}}),
        content_type="application/json", headers={"Authorization": f"Bearer {token_for(world.officer_a)}"})
    if response.status_code in (400, 422):
        return REFUSED
    assert response.status_code == 200, response.content
    return getattr(fresh(a).values.get(criterion_code=code), field)


MET_SPELLINGS = [
    ("true", True), ("Yes", True), ("1", True), ("x", True), ("X", True), ("Đạt", True), ("ĐẠT", True),
    (unicodedata.normalize("NFD", "Đạt"), True), ("dat", True), (" đạt ", True),
    ("false", False), ("no", False), ("0", False), ("Không đạt", False), ("KHÔNG ĐẠT", False),
    (unicodedata.normalize("NFD", "không đạt"), False), ("khong dat", False),
    ("maybe", REFUSED), ("on", REFUSED), ("y", REFUSED), ("chưa đạt", REFUSED), ("2", REFUSED),
]
COUNT_SPELLINGS = [
    ("12", 12), (" 12 ", 12), ("012", 12), (str(MAX_COUNT), MAX_COUNT),
    ("1e1000000", REFUSED), ("9" * 5000, REFUSED), ("٣", REFUSED), ("-1", REFUSED), ("+3", REFUSED),
    ("1.5", REFUSED), ("12.0", REFUSED), ("1 000", REFUSED), (str(MAX_COUNT + 1), REFUSED),
]


def test_the_same_spellings_give_the_same_answers_on_every_channel(world, round_bt, a):
    """Issue 15.3: pass/fail and counts read alike by CSV, xlsx, web form and API."""
    disagreements = []
    for field, code, spellings in (("met", "1.3", MET_SPELLINGS), ("numerator", "1.2", COUNT_SPELLINGS)):
        for text, expected in spellings:
            answers = {
                "csv": by_csv(code, field, text),
                "xlsx": by_xlsx(round_bt, a, code, field, text),
                "web": by_web(world, a, code, field, text),
                "api": by_api(world, a, code, field, text),
            }
            if set(answers.values()) != {expected}:
                disagreements.append((field, text[:20], expected, answers))
    assert not disagreements, disagreements


# -- the entry template: numbers in numeric cells --------------------------------------------


def numeric_cell(data: bytes, ref: str, number: str) -> bytes:
    """The template with cell ``ref`` holding the numeric text ``number`` as Excel writes it."""
    def change(raw: bytes) -> bytes:
        text = raw.decode()
        text, n = re.subn(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)', rf'<c r="{ref}"\1><v>{number}</v></c>', text, count=1)
        assert n == 1, ref
        return text.encode()
    return rewrite_part(data, data_sheet_part(data), change)


@pytest.mark.parametrize(("number", "fragment"), [
    ("1e1000000", "quá lớn"), ("1E+5000000", "quá lớn"), ("9" * 5000, "quá lớn"), ("1e-1000000", "không phải số nguyên"),
    ("12.5", "không phải số nguyên"), ("-3", "số âm"), ("INF", "không phải"), (str(MAX_COUNT + 1), "quá lớn"),
])
def test_a_hostile_numeric_cell_is_refused_by_its_shape(round_bt, a, number, fragment):
    """Issue 16.1: ``1e1000000`` in a numeric cell (12 KB of upload) is refused with a
    message; it is never expanded (the reader keeps long or huge numbers as they are
    written and the count rule refuses them by digits and exponent)."""
    r = row_of(0, "1.2")
    data = numeric_cell(fill_cells(template(round_bt, [a]), {f"H{r}": 1, f"J{r}": 10}), f"H{r}", number)
    with pytest.raises(ImportRefused) as info:
        workbook.read_template(data, "mau.xlsx")
    text = "\n".join(p.describe() for p in info.value.problems)
    assert f"H" in text and fragment in text, text


def test_whole_numbers_in_numeric_cells_are_counts(round_bt, a):
    r = row_of(0, "1.2")
    data = fill_cells(template(round_bt, [a]), {f"H{r}": 12.0, f"J{r}": 20})
    data = numeric_cell(data, f"J{r}", "2.0E1")
    entry = next(e for e in workbook.read_template(data, "mau.xlsx").entries if e.criterion == "1.2")
    assert (entry.given["numerator"], entry.given["denominator"]) == (12, 20)


def test_the_reader_never_expands_a_huge_number():
    assert not isinstance(workbook._number("1e1000000"), int)
    assert isinstance(workbook._number("9" * 5000), str)  # kept as written, refused as text


# -- the write path: counts, texts, dates ----------------------------------------------------


def test_save_values_enforces_max_count_for_every_caller(world, a):
    with pytest.raises(ValidationFailed) as info:
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"1.2": {"numerator": 1, "denominator": MAX_COUNT + 1}})
    assert "2147483647" in info.value.problems[0].vi and info.value.problems[0].criterion == "1.2"
    for bad in ("12", 1.5, True):
        with pytest.raises(ValidationFailed):
            do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                           values={"1.2": {"numerator": bad}})
    with pytest.raises(ValidationFailed):
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values={"1.3": {"met": "x"}})
    assert fresh(a).version == a.version


@pytest.mark.parametrize(("values", "fragment"), [
    ({"source": "x" * 2001}, "Nguồn số liệu dài 2001 ký tự, tối đa 2000"),
    ({"source": "Báo cáo\x00"}, "ký tự NUL"),
])
def test_save_values_limits_the_data_source(world, a, values, fragment):
    with pytest.raises(ValidationFailed) as info:
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values={"1.2": values})
    assert fragment in str(info.value) and "1.2" in str(info.value)
    assert fresh(a).version == a.version


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"kind": "document", "document_number": "1" * 101}, "Số văn bản dài 101 ký tự, tối đa 100"),
    ({"kind": "document", "document_number": "12/QĐ\x00"}, "Số văn bản chứa ký tự NUL"),
    ({"kind": "link", "url": "https://example.vn/" + "a" * 1000}, "Đường dẫn minh chứng dài 1019 ký tự, tối đa 1000"),
    ({"kind": "document", "document_number": "12/QĐ", "note": "x" * 2001}, "Ghi chú minh chứng dài 2001"),
    ({"kind": "document", "document_number": "12/QĐ", "document_date": dt.date(1, 1, 1)}, "Ngày văn bản 01/01/0001"),
    ({"kind": "document", "document_number": "12/QĐ", "document_date": dt.date(2099, 1, 1)}, "đến 31/12/2026"),
])
def test_evidence_texts_and_dates_are_bounded(world, a, kwargs, fragment):
    """Issue 16.3/16.4/16.9: refused with the field named, before the database (a document
    number over 100 characters or an address over 1,000 was a 500 on PostgreSQL)."""
    with pytest.raises(ValidationFailed) as info:
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", **kwargs)
    assert fragment in str(info.value)
    assert not Evidence.objects.exists()


def test_evidence_within_the_limits_is_stored(world, a):
    e = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind="document",
                        document_number="1" * 100, document_date=dt.date(2015, 3, 1), note="n" * 2000)
    assert len(Evidence.objects.get(pk=e.pk).document_number) == 100


def test_text_limits_fit_the_database_columns():
    for model, field, rule in ((Evidence, "document_number", "document_number"), (Evidence, "url", "url"),
                               (Assessment, "decision_number", "number"), (Assessment, "decision_signer", "signer")):
        assert TEXT_LIMITS[rule].max_length <= model._meta.get_field(field).max_length


def decided_ready(world, a):
    fill(a, world.officer_a)
    a = step(world.officer_a, a, "submit")
    a = step(world.district1, a, "district_forward")
    a = verify_all(world, a)
    return step(world.secretariat, a, "appraise")


@pytest.mark.parametrize(("params", "fragment"), [
    ({"date": dt.date(1, 1, 1)}, "Ngày quyết định 01/01/0001 không hợp lệ với đợt năm 2024"),
    ({"date": dt.date(2031, 1, 1)}, "Ngày quyết định 01/01/2031"),
    ({"number": "12/QĐ\x00"}, "Số quyết định chứa ký tự NUL"),
    ({"signer": "Chủ tịch\x00"}, "Người ký chứa ký tự NUL"),
])
def test_a_decision_is_checked_against_the_round(world, a, params, fragment):
    """Issue 16.9: a decision dated 01/01/0001 was recorded and published."""
    a = decided_ready(world, a)
    decision = {"recognised": True, "number": "12/QĐ-UBND", "date": dt.date(2025, 1, 15), "signer": "Chủ tịch"}
    with pytest.raises(ValidationFailed) as info:
        step(world.secretariat, a, "record_decision", **{**decision, **params})
    assert fragment in str(info.value)
    assert fresh(a).status == "appraised"
    assert step(world.secretariat, a, "record_decision", **decision).status == "recognised"


def test_a_decision_date_through_the_api_and_the_web(world, a):
    a = decided_ready(world, a)
    api = Client().post(f"/api/v1/assessments/{a.pk}/transitions/record_decision",
                        json.dumps({"recognised": True, "number": "1/QĐ", "date": "0001-01-01", "signer": "Chủ tịch"}),
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {token_for(world.secretariat)}"})
    assert api.status_code in (400, 422) and "01/01/0001" in api.content.decode()
    web = Client()
    web.force_login(world.secretariat)
    response = web.post(reverse("rounds:transition", args=[a.pk, "record_decision"]),
                        {"recognised": "1", "number": "1/QĐ", "date": "01/01/0001", "signer": "Chủ tịch"}, follow=True)
    assert "01/01/0001 không hợp lệ" in response.content.decode()
    assert fresh(a).status == "appraised"


@pytest.mark.parametrize("field", ["comment", "reason"])
def test_transition_texts_are_bounded(world, a, field):
    fill(a, world.officer_a)
    a = step(world.officer_a, a, "submit")
    a = step(world.district1, a, "district_forward")
    with pytest.raises(ValidationFailed, match="Ý kiến dài 2001 ký tự"):
        step(world.verifiers[CRITERIA.criterion("1.2").lead_agencies[0]], a, "verify_item", criterion_code="1.2",
             comment="x" * 2001)
    with pytest.raises(ValidationFailed, match="Ý kiến chứa ký tự NUL"):
        actions.do_verify_items(actor=world.verifiers[CRITERIA.criterion("1.2").lead_agencies[0]],
                                items=[(a.pk, "1.2", fresh(a).version)], comment="a\x00")


def test_deadlines_are_checked_against_the_round(world):
    with pytest.raises(ValidationFailed) as info:
        do_open_round(actor=world.secretariat, criteria_set_code=SET_CODE, year=2024, province=world.bt,
                      submission_deadline=dt.date(2023, 1, 1), review_deadline=dt.date(2025, 1, 1),
                      verification_deadline=dt.date(2099, 1, 1))
    text = str(info.value)
    assert "Hạn nộp của xã 01/01/2023" in text and "Hạn xác minh của sở 01/01/2099" in text
    assert not Round.objects.exists()


def test_the_admin_moves_deadlines_within_the_round_only(world, round_bt):
    client = Client()
    client.force_login(world.admin)
    change = reverse("admin:rounds_round_change", args=[round_bt.pk])
    response = client.post(change, {"submission_deadline": "0001-01-01", "review_deadline": "2025-02-01",
                                    "verification_deadline": "2025-03-01"})
    assert response.status_code == 200 and "01/01/0001 không hợp lệ" in response.content.decode()
    assert Round.objects.get(pk=round_bt.pk).submission_deadline == round_bt.submission_deadline
    response = client.post(change, {"submission_deadline": "2025-01-31", "review_deadline": "2025-02-01",
                                    "verification_deadline": "2025-03-01"})
    assert response.status_code == 302
    assert Round.objects.get(pk=round_bt.pk).submission_deadline == dt.date(2025, 1, 31)


# -- each write knows its own version (16.16) -------------------------------------------------


def test_the_api_reports_the_version_of_its_own_write(world, a, monkeypatch):
    """Another client's write lands between this write's commit and its response: the
    response still carries this write's version and ETag."""
    from smartcommune.api.endpoints import assessments as endpoint

    real = endpoint.do_save_values

    def then_another_write(**kwargs):
        saved = real(**kwargs)
        real(actor=world.officer_a, assessment=saved, expected_version=saved.version,
             values={"1.1": {"numerator": 3}})
        return saved

    monkeypatch.setattr(endpoint, "do_save_values", then_another_write)
    response = Client().patch(
        f"/api/v1/assessments/{a.pk}/values", json.dumps({"expected_version": 1, "values": {"1.2": {"numerator": 5}}}),
        content_type="application/json", headers={"Authorization": f"Bearer {token_for(world.officer_a)}"})
    assert response.status_code == 200
    assert (response.json()["version"], response["ETag"]) == (2, '"2"')
    assert fresh(a).version == 3


def test_the_web_page_after_a_save_reports_its_own_version(world, a, monkeypatch):
    from smartcommune.rounds.views import assessment as view

    real = view.do_save_values

    def then_another_write(**kwargs):
        saved = real(**kwargs)
        real(actor=world.officer_a, assessment=saved, expected_version=saved.version,
             values={"1.1": {"numerator": 3}})
        return saved

    monkeypatch.setattr(view, "do_save_values", then_another_write)
    client = Client()
    client.force_login(world.officer_a)
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]),
                           {"expected_version": 1, "numerator-1.2": "5"}, follow=True)
    assert "Đã lưu số liệu. Phiên bản hồ sơ: 2." in response.content.decode()
    assert fresh(a).version == 3


def test_actions_return_the_version_they_wrote(world, a):
    saved = do_save_values(actor=world.officer_a, assessment=a, expected_version=1, values={"1.2": {"numerator": 5}})
    do_save_values(actor=world.officer_a, assessment=a, expected_version=2, values={"1.2": {"numerator": 6}})
    assert saved.version == 2 and fresh(a).version == 3


@pytest.mark.parametrize(("number", "status"), [
    ("9" * 5000, 400), ("1e1000000", 422), ("Infinity", 422), ("12.5", 422), ("-1", 422), ('"1e1000000"', 422),
    ('"٣"', 422), ("true", 422),
])
def test_hostile_json_numbers_are_refused_by_the_api(world, a, number, status):
    """Issue 16.1 on the API: JSON numbers of any size or shape are a 400/422, never a 500."""
    response = Client(raise_request_exception=False).patch(
        f"/api/v1/assessments/{a.pk}/values", '{"expected_version": 1, "values": {"1.2": {"numerator": %s}}}' % number,
        content_type="application/json", headers={"Authorization": f"Bearer {token_for(world.officer_a)}"})
    assert response.status_code == status
    assert fresh(a).version == 1
