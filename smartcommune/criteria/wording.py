"""How a result is said in words: the verdict and what a commune still lacks.

The one place for these texts, used by the command line's table
(:mod:`smartcommune.exchange.results`), the results pages and their exports, and the
assessment page.  Pure Python, nothing here imports Django.

Every text is Vietnamese.  A caller that shows it in the viewer's language passes
Django's ``gettext`` as ``_``: the Vietnamese texts are the catalogue's message ids
(``smartcommune/locale``), so the English page says "Not met (fields short: 2)" where
the command line, which is Vietnamese only, says "Chưa đạt (thiếu 2 lĩnh vực)".  The
parameter is called ``_`` so that ``makemessages`` finds the texts here.

The wording (README.md, "Evaluate a file" and "Results"):

* verdict: "Đạt xã thông minh", or "Chưa đạt (thiếu 2 lĩnh vực)" -- "Chưa đạt" alone in a
  table whose other columns give the fields met; ", chưa đủ dữ liệu" after it when data is
  missing (the command line);
* a criterion's gap in full: "còn thiếu 37 hộ gia đình có thiết bị thông minh", or
  "chưa đạt: <condition>", "chưa báo cáo: <condition>", "thiếu số liệu: <numerator>";
  in short, beside the ratio: "còn thiếu 37";
* a commune's shortfall on one line: "chưa đạt 1.2 (thiếu 37); thiếu dữ liệu 1.1".
"""

from __future__ import annotations

from collections.abc import Callable

from smartcommune.criteria.engine import CriterionResult, Evaluation, Status

Translate = Callable[[str], str]


def _as_is(text: str) -> str:
    return text


def verdict(smart_commune: bool, fields_short: int | None = None, *, complete: bool = True,
            _: Translate = _as_is) -> str:
    """``"Đạt xã thông minh"``; otherwise ``"Chưa đạt (thiếu 2 lĩnh vực)"``, or
    ``"Chưa đạt"`` when ``fields_short`` is None.  ``complete=False`` adds
    ``", chưa đủ dữ liệu"`` (untranslated: the command line only)."""
    if smart_commune:
        text = _("Đạt xã thông minh")
    elif fields_short is None:
        text = _("Chưa đạt")
    else:
        text = _("Chưa đạt (thiếu %(n)d lĩnh vực)") % {"n": fields_short}
    return text if complete else text + ", chưa đủ dữ liệu"


def _counted_noun(numerator_label: str) -> str:
    """"Số hộ gia đình có thiết bị thông minh" → "hộ gia đình có thiết bị thông minh"."""
    label = numerator_label.strip()
    for prefix in ("Số lượng ", "Số "):
        if label.startswith(prefix):
            return label[len(prefix):]
    return label[:1].lower() + label[1:]


def gap_text(result: CriterionResult, *, _: Translate = _as_is) -> str:
    """What a criterion lacks, in words: ``"còn thiếu 37 hộ gia đình có thiết bị thông minh"``
    for a ratio short of its threshold (built from the criterion's numerator label), the
    pass/fail condition for an unmet "Đạt", "thiếu dữ liệu" when not reported; empty when
    met or not applicable."""
    if result.status in (Status.MET, Status.NOT_APPLICABLE):
        return ""
    criterion = result.criterion
    parts = []
    ratio = criterion.ratio
    if ratio is not None:
        if result.gap:
            what = _counted_noun(ratio.numerator_label)
            parts.append(_("còn thiếu %(n)s %(what)s") % {"n": result.gap, "what": what})
        elif result.input.numerator is None or result.input.denominator is None:
            parts.append(_("thiếu số liệu: %(what)s") % {"what": ratio.numerator_label.lower()})
    boolean = criterion.boolean
    if boolean is not None:
        if result.input.met is None:
            parts.append(_("chưa báo cáo: %(what)s") % {"what": boolean.label})
        elif result.input.met is False:
            parts.append(_("chưa đạt: %(what)s") % {"what": boolean.label})
    return "; ".join(parts) or _("chưa đạt chỉ tiêu %(target)s") % {"target": criterion.target}


def gap_short(gap: int | None, *, _: Translate = _as_is) -> str:
    """``"còn thiếu 37"`` beside a ratio; empty when nothing is lacking (0 or None)."""
    return _("còn thiếu %(n)s") % {"n": gap} if gap else ""


def shortfall(evaluation: Evaluation) -> str:
    """What keeps a commune-year back, on one line, in Vietnamese: criteria not met (with
    gaps) and missing -- ``"chưa đạt 1.2 (thiếu 37); thiếu dữ liệu 1.1"``, ``"—"`` when nothing."""
    short, missing = [], []
    for c in evaluation.criteria():
        if c.status == Status.NOT_MET:
            short.append(f"{c.criterion.code} (thiếu {c.gap})" if c.gap else c.criterion.code)
        elif c.status == Status.MISSING:
            missing.append(c.criterion.code)
    parts = []
    if short:
        parts.append("chưa đạt " + ", ".join(short))
    if missing:
        parts.append("thiếu dữ liệu " + ", ".join(missing))
    return "; ".join(parts) or "—"
