"""The value rules of every channel (issue 15.3, 16.1, 16.3, 16.9): pure, no database."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest

from smartcommune.exchange import values
from smartcommune.exchange.values import MAX_COUNT, ValueRefused


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), (" 12 ", 12), ("0", 0), ("007", 7), ("", None), ("   ", None),
    (str(MAX_COUNT), MAX_COUNT), ("0" * 50 + "5", 5),
])
def test_counts_that_are_accepted(text, expected):
    assert values.parse_count(text) == expected


@pytest.mark.parametrize("text", [
    "1e1000000", "1e5000000", "9" * 5000, "9" * 1_000_000, "٣", "１２", "-1", "+3", "1.5", "12.0", "1 000", "1,000",
    "0x10", "1_000", str(MAX_COUNT + 1), "inf", "NaN", "mười",
])
def test_counts_that_are_refused_by_their_shape(text):
    with pytest.raises(ValueRefused) as info:
        values.parse_count(text)
    assert info.value.vi and info.value.en
    # The message quotes a short piece of the text, never a megabyte of it.
    assert len(info.value.vi) < 200


def test_a_huge_count_is_refused_before_any_conversion(monkeypatch):
    """Fast by construction: the digits are counted, never converted (int() of a million
    digits is slow, of over 4,300 a ValueError)."""
    calls = []
    real_int = int

    def spy(*args, **kwargs):
        calls.append(len(str(args[0])) if args else 0)
        return real_int(*args, **kwargs)

    monkeypatch.setattr(values, "int", spy, raising=False)
    for text in ("9" * 1_000_000, "1" + "0" * 20):
        with pytest.raises(ValueRefused, match="too large"):
            values.parse_count(text)
    assert all(n <= values.MAX_COUNT_DIGITS for n in calls)


@pytest.mark.parametrize(("value", "expected"), [
    (12, 12), (12.0, 12), (Decimal("12"), 12), (Decimal("12.000"), 12), (Decimal("0E-100"), 0), (None, None),
    ("12", 12),
])
def test_numbers_from_spreadsheets_and_json(value, expected):
    assert values.count_of(value) == expected


@pytest.mark.parametrize("value", [
    True, -1, 2**80, MAX_COUNT + 1, 12.5, float("inf"), float("nan"), 1e300, -3.0,
    Decimal("1E+1000000"), Decimal("1E-1000000"), Decimal("Infinity"), Decimal("-5"), Decimal("12.5"), [1], {},
])
def test_numbers_that_are_not_counts(value):
    with pytest.raises(ValueRefused):
        values.count_of(value)


SPELLINGS = [
    ("true", True), ("TRUE", True), ("yes", True), ("1", True), ("x", True), ("X", True), ("đạt", True),
    ("Đạt", True), ("ĐẠT", True), (unicodedata.normalize("NFD", "Đạt"), True), ("dat", True), ("Dat", True),
    ("false", False), ("No", False), ("0", False), ("không đạt", False), ("Không  Đạt", False),
    (unicodedata.normalize("NFD", "Không đạt"), False), ("khong dat", False), ("KHONG DAT", False),
    ("", None), ("  ", None),
]
REFUSED_SPELLINGS = ["maybe", "on", "off", "t", "y", "2", "đ", "không", "chưa đạt", "x" * 100_000, "1.0", "\x00"]


@pytest.mark.parametrize(("text", "expected"), SPELLINGS)
def test_pass_fail_vocabulary(text, expected):
    assert values.parse_met(f" {text} ") is expected


@pytest.mark.parametrize("text", REFUSED_SPELLINGS)
def test_pass_fail_refusals(text):
    with pytest.raises(ValueRefused) as info:
        values.parse_met(text)
    assert "true/false" in info.value.vi and len(info.value.vi) < 250


def test_pass_fail_from_cells_and_json():
    assert [values.met_of(v) for v in (True, False, None, 1, 0, 1.0, Decimal("0"), "Đạt")] == [
        True, False, None, True, False, True, False, True]
    for v in (2, 0.5, -1, [True]):
        with pytest.raises(ValueRefused):
            values.met_of(v)


@pytest.mark.parametrize(("field", "text", "fragment"), [
    ("source", "x" * 2001, "Nguồn số liệu dài 2001 ký tự, tối đa 2000"),
    ("document_number", "1" * 101, "Số văn bản dài 101 ký tự, tối đa 100"),
    ("url", "https://a.vn/" + "x" * 1000, "Đường dẫn minh chứng dài"),
    ("note", "a\x00b", "Ghi chú minh chứng chứa ký tự NUL"),
    ("number", "1" * 51, "Số quyết định dài 51 ký tự, tối đa 50"),
    ("reason", "\ud800", "Lý do chứa ký tự không hợp lệ"),
    ("comment", 12, "Ý kiến: phải là văn bản"),
])
def test_text_limits_name_the_field(field, text, fragment):
    refused = values.text_problem(field, text)
    assert refused is not None and fragment in refused.vi


def test_texts_within_their_limits_pass():
    for field, limit in values.TEXT_LIMITS.items():
        assert values.text_problem(field, "a" * limit.max_length) is None
        assert values.text_problem(field, "  " + "a" * limit.max_length + "  ") is None  # measured trimmed
        assert values.text_problem(field, None) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), (" 7 ", 7), ("0", None), ("-1", None), ("9" * 10_000, None), ("18446744073709551616", None),
    (str(values.MAX_ID + 1), None), ("٣", None), ("1.0", None), ("", None), (None, None), (5, 5), (True, None),
])
def test_ids(text, expected):
    assert values.parse_id(text) == expected


def test_dates_of_a_round():
    assert values.date_problem("Ngày quyết định", "decision date", dt.date(2025, 1, 15), 2024) is None
    assert values.date_problem("Ngày quyết định", "decision date", dt.date(2026, 12, 31), 2024) is None
    refused = values.date_problem("Ngày quyết định", "decision date", dt.date(1, 1, 1), 2024)
    assert refused.vi == ("Ngày quyết định 01/01/0001 không hợp lệ với đợt năm 2024: phải từ 01/01/2024 "
                          "đến 31/12/2026")
    assert values.date_problem("x", "x", dt.date(2023, 12, 31), 2024) is not None
    assert values.date_problem("x", "x", dt.date(2027, 1, 1), 2024) is not None
    # Evidence may predate the round, by a bounded number of years.
    assert values.date_problem("x", "x", dt.date(2015, 1, 1), 2024, earlier_years=10) is None
    assert values.date_problem("x", "x", dt.date(2013, 12, 31), 2024, earlier_years=10) is not None
