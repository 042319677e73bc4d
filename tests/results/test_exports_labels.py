"""The small pieces of the exports: official wording, file names, charts."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from smartcommune.results import charts
from smartcommune.results.exports import labels
from smartcommune.core.downloads import content_disposition
from smartcommune.units.models import Level, Unit


def province(name="Tỉnh Bến Tre"):
    return Unit(code="83", name=name, short_name=name, level=Level.PROVINCE, kind="Tỉnh",
                valid_from=dt.date(2021, 1, 1))


def test_title_block_and_date_line():
    assert labels.authority(province()) == ("ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE")
    assert labels.place_name(province("Thành phố Hồ Chí Minh")) == "Hồ Chí Minh"
    assert labels.date_line(province(), dt.date(2025, 3, 1)) == "Bến Tre, ngày 01 tháng 3 năm 2025"
    # Nghị định 30/2020/NĐ-CP: a 0 before a day below 10 and before the months 1 and 2 only.
    assert labels.date_line(province(), dt.date(2025, 2, 10)) == "Bến Tre, ngày 10 tháng 02 năm 2025"
    assert labels.date_words(dt.date(2024, 12, 31)) == "ngày 31 tháng 12 năm 2024"
    assert labels.number_line("BC-UBND") == "Số: …/BC-UBND"


def test_counts_are_grouped_by_thousands_in_the_language_s_way():
    from django.utils import translation
    with translation.override("vi"):
        assert (labels.count_text(1234567), labels.count_text(999), labels.count_text(0)) == ("1.234.567", "999", "0")
    with translation.override("en"):
        assert labels.count_text(1234567) == "1,234,567"


def test_file_names_keep_vietnamese_with_an_ascii_fallback():
    name = labels.file_name("Kết quả xã thông minh Tỉnh Bến Tre 2024", synthetic=True, extension="xlsx")
    assert name == "Kết quả xã thông minh Tỉnh Bến Tre 2024 (dữ liệu mô phỏng).xlsx"
    header = content_disposition(name)
    assert header.startswith('attachment; filename="Ket-qua-xa-thong-minh-Tinh-Ben-Tre-2024-(du-lieu-mo-phong).xlsx"; ')
    assert header.endswith("filename*=UTF-8''" + quote(name, safe=""))
    assert header.isascii()
    assert labels.file_name('a/b:c"d', synthetic=False, extension="pdf") == "a b c d.pdf"


def test_an_ascii_file_name_is_sent_once_and_a_vietnamese_one_twice():
    """One helper for every download: a plain ASCII name (an import template's) needs no
    RFC 5987 form; anything else gets the ASCII fallback and the real name."""
    assert content_disposition("mau-nhap-lieu-2024-28756.xlsx") == 'attachment; filename="mau-nhap-lieu-2024-28756.xlsx"'
    assert content_disposition("a b.xlsx") == "attachment; filename=\"a-b.xlsx\"; filename*=UTF-8''a%20b.xlsx"


def test_charts_escape_labels_and_scale():
    svg = charts.column_chart([charts.Bar("<1>", 3), charts.Bar("Xã Đông", 12)], title="A & B", reference=(7, "cần 7"))
    assert svg.startswith("<svg") and "&lt;1&gt;" in svg and "A &amp; B" in svg and "Xã Đông" in svg
    assert charts._ticks(12) == [0, 5, 10] and charts._ticks(3) == [0, 1, 2, 3]
    rows = charts.bar_rows([charts.StackedBar("Huyện A", ((2, charts.GREEN), (3, charts.GREY)))], title="t")
    assert "2/5" in rows
    assert [charts.fields_colour(n, 7) for n in (7, 6, 5, 4)] == [charts.GREEN, charts.AMBER, charts.AMBER, charts.RED]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_date_in_words_as_the_decree_writes_it(day):
    """Independent model: "ngày DD tháng M năm YYYY", the day always on two digits, the month
    on two digits for January and February only (Nghị định 30/2020/NĐ-CP)."""
    month = {1: "01", 2: "02"}.get(day.month, str(day.month))
    assert labels.date_words(day) == f"ngày {day.day:02d} tháng {month} năm {day.year}"


@given(st.integers(min_value=0, max_value=10**12))
def test_counts_group_by_three(value):
    from django.utils import translation
    with translation.override("vi"):
        text = labels.count_text(value)
    groups = text.split(".")
    assert "".join(groups) == str(value)
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
