"""Writes the shipped DOCX templates of the official documents
(``smartcommune/documents/shipped/*.docx``) in the form of Nghị định 30/2020/NĐ-CP,
Phụ lục I: A4, margins 20–25 / 15–20 / 30–35 / 15–20 mm, Times New Roman 13–14 pt.

Run it after changing the layout here (``.venv/bin/python scripts/build_document_templates.py``)
and commit the files it writes. The placeholders are docxtpl's (Jinja2): ``{{ name }}``,
``{%p for … %}`` around paragraphs and ``{%tr for … %}`` around table rows; the names a
template may use are listed per document in ``smartcommune/documents/kinds.py`` and
``docs/documents.md``. A province replaces a template by uploading its own file; this
script is for the shipped ones only.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[1] / "smartcommune" / "documents" / "shipped"
FONT = "Times New Roman"


def new_document(*, landscape_annex: bool = False):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    return document


def paragraph(container, text: str = "", *, bold=False, italic=False, underline=False, size=None,
              align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=False, after=None):
    p = container.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    return p


def short_rule(p, *, indent_mm: float) -> None:
    """A line under the paragraph's text, shortened by ``indent_mm`` on each side (the
    decree's line under the issuing body: a third to a half of the line's length)."""
    p.paragraph_format.left_indent = Mm(indent_mm)
    p.paragraph_format.right_indent = Mm(indent_mm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def heading(document) -> None:
    """Quốc hiệu and Tiêu ngữ, the issuing body, the number and symbol, place and date; above
    them, for a synthetic demo round, the mark that says so."""
    paragraph(document, "{%p if du_lieu_mo_phong %}")
    paragraph(document, "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, "{%p endif %}")
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.add_run("{{ co_quan_chu_quan }}").font.size = Pt(12)
    p = paragraph(left, "{{ co_quan_1 }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    p = paragraph(left, "{{ co_quan_2 }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    short_rule(p, indent_mm=20)
    paragraph(left, "{{ so_ky_hieu }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    nation = right.paragraphs[0]
    nation.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = nation.add_run("{{ quoc_hieu }}")
    run.bold, run.font.size = True, Pt(12)
    paragraph(right, "{{ tieu_ngu }}", bold=True, underline=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    paragraph(right, "{{ dia_danh_ngay }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, "")
    paragraph(document, "{{ ten_loai }}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    p = paragraph(document, "{{ trich_yeu }}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    short_rule(p, indent_mm=55)


def closing(document, *, ending: str = "{{ ket_thuc }}") -> None:
    """The body's last sentence, then "Nơi nhận:" and the signature block side by side."""
    if ending:
        paragraph(document, ending, indent=True)
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    paragraph(left, "{%p for dong in noi_nhan %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph(left, "{{ dong }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    paragraph(left, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(right, "{%p for dong in ky_thay %}", align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, "{{ dong }}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    paragraph(right, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(4):
        paragraph(right, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, "{{ nguoi_ky }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def data_table(document, headers: list[tuple[str, float]], cells: list[str], loop: str, *, size=11):
    """A bordered table: a header row (repeated on every page), then one row per item of
    ``loop`` (``{%tr for … %}`` … ``{%tr endfor %}``)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for cell, (text, width) in zip(header.cells, headers):
        cell.width = Mm(width)
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in " + loop + " %}")
    for cell, text, (_, width) in zip(table.rows[2].cells, cells, headers):
        cell.width = Mm(width)
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.add_run(text).font.size = Pt(size)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return table


def annex_heading(document, title: str) -> None:
    document.add_page_break()
    paragraph(document, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    paragraph(document, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    paragraph(document, "{{ ghi_chu_phu_luc }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)


def self_assessment():
    d = new_document()
    heading(d)
    paragraph(d, "Thực hiện {{ can_cu }}, {{ co_quan_ten }} báo cáo kết quả tự đánh giá {{ danh_hieu }} năm {{ nam }} "
                 "theo {{ bo_tieu_chi }} như sau:", indent=True)
    paragraph(d, "I. KẾT QUẢ TỰ ĐÁNH GIÁ", bold=True)
    paragraph(d, "Đơn vị: {{ don_vi }}{% if huyen %}; {{ huyen }}{% endif %}. Số lĩnh vực đạt: {{ so_linh_vuc_dat }}. "
                 "Kết quả: {{ ket_qua }}.", indent=True)
    data_table(d, [("Lĩnh vực", 18), ("Tên lĩnh vực", 110), ("Kết quả", 37)],
               ["{{ r.ma }}", "{{ r.ten }}", "{{ r.ket_qua }}"], "linh_vuc")
    paragraph(d, "II. KẾT QUẢ TỪNG TIÊU CHÍ", bold=True)
    data_table(d, [("Tiêu chí", 13), ("Nội dung", 48), ("Chỉ tiêu", 15), ("Số liệu", 17), ("Tỷ lệ", 15),
                   ("Kết quả", 17), ("Minh chứng", 40)],
               ["{{ r.ma }}", "{{ r.noi_dung }}", "{{ r.chi_tieu }}", "{{ r.so_lieu }}", "{{ r.ty_le }}",
                "{{ r.ket_qua }}", "{{ r.minh_chung }}"], "tieu_chi", size=10)
    paragraph(d, "III. KIẾN NGHỊ", bold=True)
    paragraph(d, "{{ kien_nghi }}", indent=True)
    closing(d)
    return d


def district_proposal():
    d = new_document()
    heading(d)
    paragraph(d, "Kính gửi: {{ kinh_gui }}.", align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    paragraph(d, "Căn cứ {{ can_cu }}; trên cơ sở hồ sơ tự đánh giá của các xã và kết quả rà soát của "
                 "{{ co_quan_ten }}, {{ co_quan_ten }} kính trình {{ kinh_gui }} xem xét, thẩm định và công nhận "
                 "xã đạt chuẩn {{ danh_hieu }} năm {{ nam }} như sau:", indent=True)
    paragraph(d, "1. Kết quả rà soát: {{ so_xa }} xã đã nộp hồ sơ; {{ so_xa_dat }} xã đạt từ {{ muc_dat }} "
                 "trở lên.", indent=True)
    data_table(d, [("STT", 12), ("Tên xã", 55), ("Số lĩnh vực đạt", 30), ("Kết quả", 35), ("Trạng thái hồ sơ", 33)],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.so_linh_vuc_dat }}", "{{ r.ket_qua }}", "{{ r.trang_thai }}"],
               "xa")
    paragraph(d, "2. Đề nghị công nhận: {{ de_nghi }}.", indent=True)
    closing(d)
    return d


def appraisal_minutes():
    d = new_document()
    heading(d)
    paragraph(d, "Hôm nay, {{ ngay_hop }}, {{ co_quan_ten }} họp thẩm định kết quả đánh giá {{ danh_hieu }} năm "
                 "{{ nam }} theo {{ bo_tieu_chi }}.", indent=True)
    paragraph(d, "I. THÀNH PHẦN", bold=True)
    paragraph(d, "{%p for dong in thanh_phan %}")
    paragraph(d, "- {{ dong }}", indent=True, after=0)
    paragraph(d, "{%p endfor %}")
    paragraph(d, "II. NỘI DUNG", bold=True)
    paragraph(d, "{{ noi_dung }}", indent=True)
    paragraph(d, "Hội đồng đã thẩm định hồ sơ của {{ so_xa }} xã; đề nghị công nhận {{ so_de_nghi }} xã:", indent=True)
    data_table(d, [("STT", 12), ("Tên xã", 42), ("Huyện", 33), ("Số lĩnh vực đạt", 22), ("Kết luận", 28),
                   ("Ý kiến thẩm định", 28)],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.huyen }}", "{{ r.so_linh_vuc_dat }}", "{{ r.ket_luan }}",
                "{{ r.y_kien }}"], "xa")
    closing(d)
    return d


def draft_decision():
    d = new_document()
    heading(d)
    paragraph(d, "{{ tham_quyen }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    paragraph(d, "{%p for dong in can_cu_list %}")
    paragraph(d, "{{ dong }}", italic=True, indent=True, after=0)
    paragraph(d, "{%p endfor %}")
    paragraph(d, "QUYẾT ĐỊNH:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    paragraph(d, "Điều 1. {{ dieu_1 }}", indent=True)
    paragraph(d, "Điều 2. {{ dieu_2 }}", indent=True)
    paragraph(d, "Điều 3. {{ dieu_3 }}", indent=True)
    closing(d, ending="")
    annex_heading(d, "{{ tieu_de_phu_luc }}")
    data_table(d, [("STT", 12), ("Tên xã", 55), ("Huyện", 45), ("Số lĩnh vực đạt", 25), ("Ghi chú", 28)],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.huyen }}", "{{ r.so_linh_vuc_dat }}", "{{ r.ghi_chu }}"],
               "cong_nhan")
    paragraph(d, "{%p if khong_cong_nhan %}")
    paragraph(d, "CÁC XÃ KHÔNG ĐƯỢC CÔNG NHẬN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    data_table(d, [("STT", 12), ("Tên xã", 50), ("Huyện", 40), ("Số lĩnh vực đạt", 25), ("Lý do", 38)],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.huyen }}", "{{ r.so_linh_vuc_dat }}", "{{ r.ghi_chu }}"],
               "khong_cong_nhan")
    paragraph(d, "{%p endif %}")
    return d


def province_report():
    d = new_document()
    heading(d)
    paragraph(d, "I. TỔNG QUAN", bold=True)
    paragraph(d, "Năm {{ nam }}, {{ tinh }} có {{ so_don_vi }} đơn vị cấp xã đánh giá theo {{ bo_tieu_chi }}. "
                 "Theo kết quả đánh giá, {{ so_dat }} đơn vị đạt từ {{ muc_dat }} trở lên; "
                 "{{ so_cong_nhan }} đơn vị đã được công nhận bằng quyết định; {{ so_gan_dat }} đơn vị còn thiếu "
                 "{{ muc_gan_dat }}.", indent=True)
    paragraph(d, "II. KẾT QUẢ THEO HUYỆN", bold=True)
    data_table(d, [("Huyện", 55), ("Số đơn vị", 25), ("Đạt theo đánh giá", 28), ("Được công nhận", 28),
                   ("Bình quân số lĩnh vực đạt", 29)],
               ["{{ r.huyen }}", "{{ r.so_don_vi }}", "{{ r.so_dat }}", "{{ r.so_cong_nhan }}", "{{ r.binh_quan }}"],
               "theo_huyen")
    paragraph(d, "III. CÁC TIÊU CHÍ CHƯA ĐẠT NHIỀU NHẤT", bold=True)
    data_table(d, [("Tiêu chí", 18), ("Nội dung", 97), ("Số đơn vị chưa đạt", 25), ("Thiếu dữ liệu", 25)],
               ["{{ r.ma }}", "{{ r.noi_dung }}", "{{ r.so_chua_dat }}", "{{ r.thieu_du_lieu }}"], "chua_dat")
    closing(d)
    annex_heading(d, "KẾT QUẢ TỪNG ĐƠN VỊ")
    data_table(d, [("STT", 11), ("Mã ĐVHC", 16), ("Tên đơn vị", 40), ("Huyện", 33), ("Số lĩnh vực đạt", 20),
                   ("Kết quả", 23), ("Trạng thái", 22)],
               ["{{ r.stt }}", "{{ r.ma }}", "{{ r.ten }}", "{{ r.huyen }}", "{{ r.so_linh_vuc_dat }}",
                "{{ r.ket_qua }}", "{{ r.trang_thai }}"], "phu_luc", size=10)
    return d


BUILDERS = {
    "bao-cao-tu-danh-gia": self_assessment,
    "to-trinh-huyen": district_proposal,
    "bien-ban-tham-dinh": appraisal_minutes,
    "du-thao-quyet-dinh": draft_decision,
    "bao-cao-tinh": province_report,
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        path = OUT / f"{name}.docx"
        build().save(path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
