"""The entry form of the assessment page: reading what was typed, and the names of its
fields.

Form fields, per row code ``C`` (a criterion's or a precondition's, e.g. ``1.2``, or a
keyed condition's own row, e.g. ``4.1:b``): ``numerator-C``, ``denominator-C``,
``count-C`` (whole numbers), ``met-C`` (``1``, ``0`` or empty), ``choice-C`` (the code of
one of the set's options, or empty) and ``source-C`` (text); an empty field means "not
reported".  Only fields present in the request are changed.  Every value
is read by the rules every channel shares (:mod:`smartcommune.exchange.values`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.http import HttpRequest
from django.utils.translation import gettext as _

from smartcommune.core.language import in_language
from smartcommune.exchange import values as value_rules

VALUE_FIELDS = ("numerator", "denominator", "met", "count", "choice", "source")
COUNT_FIELDS = ("numerator", "denominator", "count")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def field_label(field: str) -> str:
    return {
        "numerator": _("Tử số"),
        "denominator": _("Mẫu số"),
        "met": _("Đạt/Không đạt"),
        "count": _("Số lượng"),
        "choice": _("Lựa chọn"),
        "source": _("Nguồn số liệu"),
        "status": _("Trạng thái"),
        "review_status": _("Tình trạng xác minh"),
        "review_comment": _("Ý kiến thẩm định"),
        "answer": _("Giải trình"),
        "submitted_at": _("Nộp lúc"),
        "late": _("Nộp trễ hạn"),
        "returned_stage": _("Bị trả lại từ"),
        "decision_number": _("Số quyết định"),
        "decision_date": _("Ngày quyết định"),
        "decision_signer": _("Người ký"),
        "decision_recognised": _("Được công nhận"),
        "published_at": _("Công bố lúc"),
    }.get(field, field)


def _parse_count(code: str, field: str, raw: str):
    """``(value, problem)``: ``None`` for an empty field, an int, or a message
    (the rule of every channel: :func:`smartcommune.exchange.values.parse_count`)."""
    try:
        return value_rules.parse_count(raw), None
    except value_rules.ValueRefused as refused:
        return None, _("Tiêu chí %(code)s, %(field)s: %(why)s") % {
            "code": code, "field": field_label(field).lower(), "why": in_language(refused)}


def _parse_met(code: str, raw: str):
    """``(value, problem)``, by :func:`smartcommune.exchange.values.parse_met`."""
    try:
        return value_rules.parse_met(raw), None
    except value_rules.ValueRefused as refused:
        return None, _("Tiêu chí %(code)s: %(why)s") % {"code": code, "why": in_language(refused)}


def posted_values(post, criteria_set):
    """What the entry form posted: ``(values, typed, problems)``.

    ``values`` maps a row code to the fields given (parsed), ``typed`` to the text
    typed (to show again), ``problems`` to the messages of fields that did not parse.
    Rows without any field in the request are left out.
    """
    values, typed, problems = {}, {}, defaultdict(list)
    for slot in criteria_set.slots:
        code = slot.code
        given, text = {}, {}
        for field in VALUE_FIELDS:
            key = f"{field}-{code}"
            if key not in post:
                continue
            raw = post.get(key, "")
            text[field] = raw
            if field in COUNT_FIELDS:
                value, problem = _parse_count(code, field, raw)
            elif field == "met":
                value, problem = _parse_met(code, raw)
            elif field == "choice":
                # An unknown option is the engine's to explain; only its length is bounded here.
                value, problem = raw.strip()[:100] or None, None
            else:
                value, problem = raw.strip(), None
            if problem:
                problems[code].append(problem)
            else:
                given[field] = value
        if text:
            values[code], typed[code] = given, text
    return values, typed, dict(problems)


def expected_version(request: HttpRequest) -> int | None:
    return value_rules.parse_id(request.POST.get("expected_version", ""))


def parse_date(raw: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None
