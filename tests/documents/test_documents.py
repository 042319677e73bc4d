"""The official documents: DOCX read back with python-docx and PDF read back with
pdftotext, in the form of Nghị định 30/2020/NĐ-CP, their figures the engine's; who may
take which; every PDF fits its A4 pages."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from smartcommune.documents import contexts
from smartcommune.documents.kinds import KINDS
from smartcommune.rounds.actions import do_appraise_many
from tests.results.test_exports_world import engine_result, exports_world, fresh, step, verify_all, world  # noqa: F401
from tests.support.pdf_layout import layout_problems, page_text, pages

pytestmark = pytest.mark.django_db

HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Nơi nhận:", "- Lưu: VT")


@pytest.fixture
def documents_world(exports_world):
    """The exports' world, with commune C appraised by the council (not proposed) in a session."""
    w = exports_world
    c = step(w.district2, fresh(w.draft_c), "district_forward")
    c = verify_all(w, c)
    w.session = do_appraise_many(actor=w.secretariat, round_=w.round_2024, date=date(2025, 2, 10),
                                 members="Nguyễn Văn A, Chủ tịch Hội đồng\nTrần Thị B, Thư ký",
                                 minutes="Hội đồng xem xét hồ sơ.", comment="Còn thiếu nhiều tiêu chí.",
                                 items=[(c, c.version)])
    w.appraised_c = fresh(c)
    return w


def get(client, user, name, *args):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"documents:{name}", args=args))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def both(client, user, name, *args) -> tuple[str, str]:
    """The document's DOCX text and PDF text; the PDF checked to fit its pages."""
    docx = get(client, user, name, *args, "docx")
    assert docx.status_code == 200, docx.status_code
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert docx["Cache-Control"] == "private, no-store"
    pdf = get(client, user, name, *args, "pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert layout_problems(pdf.content) == []
    read = pages(pdf.content)
    assert all(sorted((round(p.width), round(p.height))) == [595, 842] for p in read)
    text = docx_text(docx.content)
    for expected in HEADING:
        assert expected in text
    assert "{{" not in text and "{%" not in text
    return text, " ".join(page_text(p) for p in read)


def test_self_assessment_report(client, documents_world):
    w = documents_world
    docx, pdf = both(client, w.officer_b, "self_assessment", w.pub_b.pk)
    e = engine_result(w.pub_b)
    for expected in ("ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ TÂN", "Số: …/BC-UBND", "BÁO CÁO",
                     "Kết quả tự đánh giá xã thông minh năm 2024", f"{e.fields_met}/10 (cần 7)",
                     f"Chưa đạt (thiếu {e.fields_short} lĩnh vực)", "863/1.000", "86,30%", "TM. ỦY BAN NHÂN DÂN",
                     "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "- Ủy ban nhân dân thành phố Bến Tre;"):
        assert expected in docx, expected
    assert "863/1.000" in pdf and "86,30%" in pdf and f"{e.fields_met}/10" in pdf
    # Every criterion, its status as the engine's.
    document = Document(io.BytesIO(get(client, w.officer_b, "self_assessment", w.pub_b.pk, "docx").content))
    criteria = document.tables[-2]
    rows = {r.cells[0].text: r.cells for r in criteria.rows[1:]}
    assert list(rows) == [c.criterion.code for c in e.criteria()]
    labels = {"met": "Đạt", "not_met": "Chưa đạt", "not_applicable": "Không áp dụng", "missing": "Thiếu dữ liệu"}
    for c in e.criteria():
        assert rows[c.criterion.code][5].text == labels[c.status]
    # The evidence list of 1.2 (commune A's) is in A's report.
    docx_a, _pdf = both(client, w.officer_a, "self_assessment", w.pub_a.pk)
    assert "45/BC-UBND" in docx_a
    # The motto is underlined as long as it is (Nghị định 30: a line under the motto).
    motto = [r for p in document.tables[0].rows[0].cells[1].paragraphs for r in p.runs if "Độc lập" in r.text]
    assert motto and motto[0].underline


def test_synthetic_round_says_so(client, documents_world):
    from tests.results.test_exports_world import mark_synthetic
    w = documents_world
    docx = get(client, w.secretariat, "self_assessment", w.pub_b.pk, "docx")
    assert "MÔ PHỎNG" not in docx_text(docx.content)
    mark_synthetic(w.round_2024)
    docx = get(client, w.secretariat, "self_assessment", w.pub_b.pk, "docx")
    assert "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật" in docx_text(docx.content)
    assert "(dữ liệu mô phỏng)" in docx["Content-Disposition"] or "du-lieu-mo-phong" in docx["Content-Disposition"]
    pdf = get(client, w.secretariat, "draft_decision", w.round_2024.pk, "pdf")
    assert all("DỮ LIỆU MÔ PHỎNG" in page_text(p) for p in pages(pdf.content))


def test_commune_without_a_district(client, documents_world):
    """After the 2025 reform a commune has no district: its report says nothing of one."""
    from tests.rounds.fixtures import assessment_of, open_round
    w = documents_world
    round_vl = open_round(w, year=2025, province=w.vl, secretariat=w.secretariat_vl)
    x = assessment_of(round_vl, w.x)
    docx, pdf = both(client, w.officer_x, "self_assessment", x.pk)
    assert "Đơn vị: Phường Phú Khương (28756). Số lĩnh vực đạt:" in docx and "; ." not in docx
    assert "Phú Khương, ngày" in docx and "ỦY BAN NHÂN DÂN" in docx


def test_district_proposal(client, documents_world):
    w = documents_world
    docx, pdf = both(client, w.district1, "district_proposal", w.round_2024.pk, w.d1.pk)
    for expected in ("THÀNH PHỐ BẾN TRE", "Số: …/TTr-UBND", "TỜ TRÌNH", "Kính gửi: Ủy ban nhân dân tỉnh Bến Tre",
                     "Phường Phú Khương", "Phường Phú Tân", "10/10 (cần 7)", "Đạt xã thông minh"):
        assert expected in docx, expected
    assert "Xã Tân Thạch" not in docx  # another district's commune
    assert "TỜ TRÌNH" in pdf and "Phường Phú Tân" in pdf


def test_appraisal_minutes_and_draft_decision(client, documents_world):
    w = documents_world
    docx, pdf = both(client, w.secretariat, "appraisal_minutes", w.session.pk)
    e = engine_result(w.appraised_c)
    for expected in ("HỘI ĐỒNG THẨM ĐỊNH", "Số: …/BB-HĐTĐ", "BIÊN BẢN", "ngày 10 tháng 02 năm 2025",
                     "Nguyễn Văn A, Chủ tịch Hội đồng", "Xã Tân Thạch", f"{e.fields_met}/10 (cần 7)",
                     "Không đề nghị công nhận", "Còn thiếu nhiều tiêu chí.", "TM. HỘI ĐỒNG THẨM ĐỊNH"):
        assert expected in docx, expected
    assert "BIÊN BẢN" in pdf and "Xã Tân Thạch" in pdf
    docx, pdf = both(client, w.secretariat, "draft_decision", w.round_2024.pk)
    for expected in ("Số: …/QĐ-UBND", "QUYẾT ĐỊNH", "Về việc công nhận xã đạt chuẩn xã thông minh năm 2024",
                     "QUYẾT ĐỊNH:", "Điều 1.", "Công nhận 0 xã", "PHỤ LỤC", "(Kèm theo Quyết định số …/QĐ-UBND"):
        assert expected in docx, expected
    # Not proposed: not among those recognised; listed apart with the council's comment.
    document = Document(io.BytesIO(get(client, w.secretariat, "draft_decision", w.round_2024.pk, "docx").content))
    recognised, refused = document.tables[-2], document.tables[-1]
    assert len(recognised.rows) == 1  # the header only
    assert [c.text for c in refused.rows[1].cells[1:5]] == [
        "Xã Tân Thạch", "Huyện Châu Thành", f"{e.fields_met}/10 (cần 7)", "Còn thiếu nhiều tiêu chí."]
    assert "PHỤ LỤC" in pdf and "Điều 1." in pdf


def test_recorded_decision_with_its_annex(client, documents_world):
    w = documents_world
    from smartcommune.rounds.models import Decision
    decision = Decision.objects.get(round=w.round_2024, number="15/QĐ-UBND")
    docx, pdf = both(client, w.secretariat, "decision", decision.pk)
    a, b = engine_result(w.pub_a), engine_result(w.pub_b)
    for expected in ("Số: 15/QĐ-UBND", "Nguyễn Văn A", "Công nhận 1 xã", "ngày 01 tháng 3 năm 2025",
                     "(Kèm theo Quyết định số 15/QĐ-UBND ngày 01 tháng 3 năm 2025", "CÁC XÃ KHÔNG ĐƯỢC CÔNG NHẬN"):
        assert expected in docx, expected
    document = Document(io.BytesIO(get(client, w.secretariat, "decision", decision.pk, "docx").content))
    recognised, refused = document.tables[-2], document.tables[-1]
    assert [c.text for c in recognised.rows[1].cells[1:4]] == [
        "Phường Phú Khương", "Thành phố Bến Tre", f"{a.fields_met}/10 (cần 7)"]
    assert [c.text for c in refused.rows[1].cells[1:5]] == [
        "Phường Phú Tân", "Thành phố Bến Tre", f"{b.fields_met}/10 (cần 7)", "Không công nhận"]
    assert "Số: 15/QĐ-UBND" in pdf and "CÁC XÃ KHÔNG ĐƯỢC CÔNG NHẬN" in pdf
    assert get(client, w.district1, "decision", decision.pk, "pdf").status_code == 404


def test_province_report_docx_equals_the_engine(client, documents_world):
    w = documents_world
    docx, pdf = both(client, w.secretariat, "province_report", w.round_2024.pk)
    smart = sum(engine_result(a).smart_commune for a in (w.pub_a, w.pub_b, w.appraised_c))
    assert "có 3 đơn vị cấp xã" in docx and f"{smart} đơn vị đạt từ 7/10" in docx
    for a in (w.pub_a, w.pub_b, w.appraised_c):
        e = engine_result(a)
        assert f"{a.unit.name}" in docx and f"{e.fields_met}/10 (cần 7)" in docx
    assert "PHỤ LỤC" in pdf and "Trên đây là báo cáo" in pdf


@pytest.mark.parametrize("who, allowed", [
    ("officer_b", {"own"}), ("officer_a", set()), ("district1", {"own", "district"}), ("district2", set()),
    ("secretariat", {"own", "district", "province"}), ("admin", {"own", "district", "province"}),
    ("nobody", set()), ("secretariat_vl", set()),
])
def test_who_may_take_which_document(client, documents_world, who, allowed):
    w = documents_world
    user = getattr(w, who)
    cases = {
        "own": ("self_assessment", w.pub_b.pk),
        "district": ("district_proposal", w.round_2024.pk, w.d1.pk),
        "province": ("draft_decision", w.round_2024.pk),
    }
    for name, args in cases.items():
        expected = 200 if name in allowed else 404
        assert get(client, user, args[0], *args[1:], "docx").status_code == expected, (who, name)
    for args in (("appraisal_minutes", w.session.pk), ("province_report", w.round_2024.pk)):
        assert get(client, user, args[0], *args[1:], "pdf").status_code == (200 if "province" in allowed else 404)
    assert get(client, None, "self_assessment", w.pub_b.pk, "docx").status_code == 302  # sign in first


def test_contexts_fill_exactly_their_placeholders(documents_world):
    """What the builders give is what each kind declares (the names a template may use)."""
    from smartcommune.results.selectors.overview import province_overview
    from smartcommune.results.selectors.scorecard import commune_scorecard
    w = documents_world
    card = commune_scorecard(viewer=w.secretariat, unit=w.b, year=2024)
    overview = province_overview(viewer=w.secretariat, province=w.bt, year=2024)
    district = province_overview(viewer=w.secretariat, province=w.bt, year=2024, district=w.d1)
    built = {
        "bao-cao-tu-danh-gia": contexts.self_assessment(card),
        "to-trinh-huyen": contexts.district_proposal(district),
        "bien-ban-tham-dinh": contexts.appraisal_minutes(w.session),
        "du-thao-quyet-dinh": contexts.draft_decision(w.round_2024),
        "bao-cao-tinh": contexts.province_report(overview),
    }
    for code, context in built.items():
        kind = KINDS[code]
        assert set(context) == kind.placeholders, code
        for name, cells in kind.rows.items():
            assert all(set(row) == cells for row in context[name]), (code, name)
