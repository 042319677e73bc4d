"""The value rules: what a count, a pass/fail value, a text, an id and a date may be.

One place for every channel that brings a value into the product -- the long CSV
(:mod:`smartcommune.exchange.long_csv`, so ``smartcommune evaluate``), the entry template
(:mod:`smartcommune.imports.workbook`), the web form, the JSON API and the write path
(:mod:`smartcommune.rounds.actions`) -- so that the same text gives the same answer
everywhere.  Pure Python: nothing here imports Django.

Each parser either returns the value or raises :class:`ValueRefused`, whose ``vi`` and
``en`` say what is wrong (the caller adds where: line, cell, criterion).  Every check
looks at the *shape* of the text before converting it, so hostile input (a
million-digit number, ``1e1000000``, a megabyte of text) is refused in time linear in
its length and without building a huge number: nothing here calls ``int()`` or
``Decimal()`` on more than :data:`MAX_COUNT_DIGITS` digits.

The rules (documented for users in README.md, "Giá trị hợp lệ / value rules"):

* **count** (numerator, denominator): ASCII digits ``0-9`` only, surrounding spaces
  ignored, no sign, no decimal point, no exponent, no thousands separator, at most
  :data:`MAX_COUNT` (PostgreSQL's ``integer``).  A spreadsheet's numeric cell may hold a
  whole number as a float (``12.0``): it is accepted when it is finite and whole.
* **pass/fail** (met): case-insensitive, after NFC normalisation (so an "Đạt" typed
  with combining accents is "Đạt") and trimming: ``true yes 1 x đạt dat`` are pass,
  ``false no 0 không đạt khong dat`` are fail; empty is "not reported".
* **text**: one limit per field (:data:`TEXT_LIMITS`), no NUL character and no lone
  surrogate (PostgreSQL cannot store either), measured after trimming.
* **id** (a database key typed in a URL or a form): a whole number 1 … :data:`MAX_ID`.
* **date** of a round's year ``Y`` (a decision, an evidence document, a deadline): not
  before 1 January ``Y`` (:data:`EARLIEST_YEARS_BEFORE` years earlier for documents,
  which may predate the round), not after 31 December ``Y`` + :data:`LATEST_YEARS_AFTER`.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from typing import NamedTuple

INTEGER_MAX = 2_147_483_647
"""The largest value of the database's ``integer`` column (PostgreSQL; the bound everywhere)."""

MAX_COUNT = INTEGER_MAX
"""The largest count (a value row's ``integer`` column)."""
MAX_COUNT_DIGITS = len(str(MAX_COUNT))

MAX_ID = INTEGER_MAX
"""The largest database id a request may name (the ``integer``/``serial`` range).  A
larger one names nothing; it is never passed to the database (SQLite raises
``OverflowError`` beyond 64 bits)."""


class ValueRefused(ValueError):
    """A value that breaks a rule: ``vi`` and ``en`` say why, without saying where."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


def _shown(text: str, limit: int = 30) -> str:
    """The refused text as a message quotes it: short, whatever its length."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} ký tự/characters)"


# -- counts --------------------------------------------------------------------------------


def _count_of_digits(digits: str) -> int:
    """``digits`` (ASCII 0-9, non-empty) as a count, refused above :data:`MAX_COUNT`."""
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_COUNT_DIGITS or int(significant) > MAX_COUNT:
        raise ValueRefused(f"{_shown(digits)} quá lớn (tối đa {MAX_COUNT})",
                           f"{_shown(digits)} is too large (at most {MAX_COUNT})")
    return int(significant)


def parse_count(text: str) -> int | None:
    """A count typed as text: ``""`` (or spaces) → ``None``; ``"12"`` → 12.

    Refused (:class:`ValueRefused`): anything but ASCII digits once surrounding spaces are
    dropped (a sign, a decimal point, an exponent, ``٣``, a separator), and a number above
    :data:`MAX_COUNT`.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_count takes text, not {type(text).__name__}")
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValueRefused(f"“{_shown(text)}” không phải là số nguyên không âm (chỉ gồm chữ số 0–9)",
                           f"{_shown(text)!r} is not a whole number, 0 or more (digits 0-9 only)")
    return _count_of_digits(value)


def count_of(value: object) -> int | None:
    """A count from any channel: text (:func:`parse_count`), an ``int``, or a
    spreadsheet's or JSON's number (``float``/``Decimal``) that is finite and whole.

    ``None`` → ``None``.  Refused: ``bool`` (a ticked box is not a count), negative, not
    whole, infinite or NaN, above :data:`MAX_COUNT`.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return parse_count(value)
    if isinstance(value, bool):
        raise ValueRefused(f"“{value}” không phải số nguyên không âm", f"{value!r} is not a whole number, 0 or more")
    if isinstance(value, int):
        if value < 0:
            raise ValueRefused(f"{value} là số âm; cần số nguyên không âm", f"{value} is negative; 0 or more expected")
        if value.bit_length() > 31 or value > MAX_COUNT:
            raise ValueRefused(f"số quá lớn (tối đa {MAX_COUNT})", f"the number is too large (at most {MAX_COUNT})")
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueRefused(f"“{value}” không phải số nguyên", f"{value!r} is not a whole number")
        if value < 0:
            raise ValueRefused(f"{value:g} là số âm; cần số nguyên không âm", f"{value:g} is negative; 0 or more expected")
        if value > MAX_COUNT:
            raise ValueRefused(f"số quá lớn (tối đa {MAX_COUNT})", f"the number is too large (at most {MAX_COUNT})")
        return int(value)
    if isinstance(value, Decimal):
        # Look at the digits and the exponent before anything computes with them:
        # 1E+1000000 is tiny to store and huge to expand.
        if not value.is_finite():
            raise ValueRefused(f"“{value}” không phải số nguyên", f"{value!r} is not a whole number")
        sign, digits, exponent = value.as_tuple()
        if sign and any(digits):
            raise ValueRefused(f"{_shown(str(value))} là số âm; cần số nguyên không âm",
                               f"{_shown(str(value))} is negative; 0 or more expected")
        if len(digits) + exponent > MAX_COUNT_DIGITS + 1:
            raise ValueRefused(f"số quá lớn (tối đa {MAX_COUNT})", f"the number is too large (at most {MAX_COUNT})")
        if exponent < 0 and any(digits[exponent:]):
            raise ValueRefused(f"“{_shown(str(value))}” không phải số nguyên", f"{_shown(str(value))!r} is not a whole number")
        return count_of(int(value))
    raise ValueRefused(f"“{_shown(str(value))}” không phải số nguyên không âm",
                       f"{_shown(str(value))!r} is not a whole number, 0 or more")


# -- pass/fail -----------------------------------------------------------------------------

PASS_WORDS = ("true", "yes", "1", "x", "đạt", "dat")
FAIL_WORDS = ("false", "no", "0", "không đạt", "khong dat")
MET_WORDS = {**{w: True for w in PASS_WORDS}, **{w: False for w in FAIL_WORDS}}
MET_VOCABULARY = "true/false, yes/no, 1/0, x, đạt/không đạt (dat/khong dat)"
_MET_TEXT_LIMIT = 40


def parse_met(text: str) -> bool | None:
    """A pass/fail value typed as text: see the module's rule; ``""`` → ``None``.

    Raises :class:`ValueRefused` for any other text.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_met takes text, not {type(text).__name__}")
    if len(text) > _MET_TEXT_LIMIT:  # no listed spelling is longer; do not normalise a megabyte
        key = None
    else:
        key = " ".join(unicodedata.normalize("NFC", text).lower().split())
        if not key:
            return None
    if key in MET_WORDS:
        return MET_WORDS[key]
    raise ValueRefused(f"“{_shown(text)}” không phải giá trị Đạt/Không đạt (dùng {MET_VOCABULARY})",
                       f"{_shown(text)!r} is not a pass/fail value (use {MET_VOCABULARY})")


def met_of(value: object) -> bool | None:
    """A pass/fail value from any channel: ``bool``, text (:func:`parse_met`), or the
    numbers 1 and 0 (a spreadsheet's or JSON's ``1``, ``1.0``, ``0``)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_met(value)
    if isinstance(value, (int, float, Decimal)) and value in (0, 1):
        return value == 1
    raise ValueRefused(f"“{_shown(str(value))}” không phải giá trị Đạt/Không đạt (dùng {MET_VOCABULARY})",
                       f"{_shown(str(value))!r} is not a pass/fail value (use {MET_VOCABULARY})")


# -- texts ---------------------------------------------------------------------------------


class TextLimit(NamedTuple):
    max_length: int
    label_vi: str
    label_en: str


TEXT_LIMITS: dict[str, TextLimit] = {
    "source": TextLimit(2000, "Nguồn số liệu", "data source"),
    "note": TextLimit(2000, "Ghi chú minh chứng", "evidence note"),
    "document_number": TextLimit(100, "Số văn bản", "document number"),
    "url": TextLimit(1000, "Đường dẫn minh chứng", "evidence address"),
    "comment": TextLimit(2000, "Ý kiến", "comment"),
    "answer": TextLimit(2000, "Giải trình", "answer"),
    "reason": TextLimit(2000, "Lý do", "reason"),
    "number": TextLimit(50, "Số quyết định", "decision number"),
    "signer": TextLimit(200, "Người ký", "signer"),
    "signer_title": TextLimit(200, "Chức vụ người ký", "signer's title"),
    "issuing_body": TextLimit(200, "Cơ quan ban hành", "issuing body"),
    "members": TextLimit(4000, "Thành phần Hội đồng", "council members"),
    "minutes": TextLimit(20000, "Nội dung biên bản", "minutes"),
}
"""Field → its limit in characters (after trimming) and its name in messages.  The
database columns with a length (``document_number`` 100, ``url`` 1000, the decision's
``number`` 50 and ``signer`` 200) are at least as long; a test keeps them in step."""


def text_problem(field: str, value: object) -> ValueRefused | None:
    """Why ``value`` cannot be stored as ``field`` (see :data:`TEXT_LIMITS`), or ``None``.

    ``None`` and ``""`` are fine here (whether a text is required is the caller's rule).
    """
    limit = TEXT_LIMITS[field]
    if value is None:
        return None
    if not isinstance(value, str):
        return ValueRefused(f"{limit.label_vi}: phải là văn bản", f"{limit.label_en}: must be text")
    length = len(value.strip())
    if length > limit.max_length:
        return ValueRefused(f"{limit.label_vi} dài {length} ký tự, tối đa {limit.max_length} ký tự",
                            f"the {limit.label_en} is {length} characters long, at most {limit.max_length}")
    if "\x00" in value:
        return ValueRefused(f"{limit.label_vi} chứa ký tự NUL (mã 0), không lưu được",
                            f"the {limit.label_en} holds a NUL character, which cannot be stored")
    if not _encodable(value):
        return ValueRefused(f"{limit.label_vi} chứa ký tự không hợp lệ (nửa cặp UTF-16)",
                            f"the {limit.label_en} holds an invalid character (a lone surrogate)")
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(text: str) -> bool:
    """Whether ``text`` holds no NUL and no lone surrogate (any length)."""
    return "\x00" not in text and _encodable(text)


# -- ids -----------------------------------------------------------------------------------


def parse_id(text: object) -> int | None:
    """An id typed in a URL or a form: ``"12"`` → 12; ``None`` for anything that is not
    1 … :data:`MAX_ID` in ASCII digits (so a filter with a bad id is simply not applied)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= MAX_ID else None
    if not isinstance(text, str):
        return None
    value = text.strip()
    if not (value and value.isascii() and value.isdigit()):
        return None
    significant = value.lstrip("0")
    if not significant or len(significant) > len(str(MAX_ID)) or int(significant) > MAX_ID:
        return None
    return int(significant)


def parse_year(text: object) -> int | None:
    """A year typed in a URL or a form: four ASCII digits, 1900 … 2200, else ``None``."""
    value = text.strip() if isinstance(text, str) else str(text) if isinstance(text, int) else ""
    if len(value) != 4 or not (value.isascii() and value.isdigit()):
        return None
    year = int(value)
    return year if 1900 <= year <= 2200 else None


# -- dates ---------------------------------------------------------------------------------

LATEST_YEARS_AFTER = 2
"""A date entered for a round of year ``Y`` is at most 31 December ``Y + 2``: the round runs
in ``Y + 1`` (the 2025 round's deadlines fall in 2026) and a late decision or a deadline
may spill into the year after."""
EARLIEST_YEARS_BEFORE = 10
"""An evidence document may predate its round (a commune's decree of some years ago),
by at most this many years; a decision or a deadline may not predate the round's year."""


def date_problem(label_vi: str, label_en: str, value: dt.date, round_year: int, *,
                 earlier_years: int = 0) -> ValueRefused | None:
    """Why ``value`` cannot be a date of the round of ``round_year``, or ``None``.

    Allowed: 1 January ``round_year - earlier_years`` … 31 December ``round_year +``
    :data:`LATEST_YEARS_AFTER`.
    """
    first = dt.date(round_year - earlier_years, 1, 1)
    last = dt.date(round_year + LATEST_YEARS_AFTER, 12, 31)
    if first <= value <= last:
        return None
    return ValueRefused(
        f"{label_vi} {_vn_date(value)} không hợp lệ với đợt năm {round_year}: phải từ {_vn_date(first)} "
        f"đến {_vn_date(last)}",
        f"the {label_en} {value.isoformat()} does not fit the {round_year} round: it must be between "
        f"{first.isoformat()} and {last.isoformat()}",
    )


def _vn_date(value: dt.date) -> str:
    # strftime does not pad a year below 1000 on every platform.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
