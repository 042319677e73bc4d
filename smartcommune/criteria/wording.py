"""How a result and a rule are said in words: the verdict, what a commune still lacks,
and what a pass rule asks.

The one place for these texts, used by the command line's table
(:mod:`smartcommune.exchange.results`) and its ``criteria list``/``show``, the API's
criteria sets, and, in the viewer's language through :mod:`smartcommune.core.wording`,
the results pages, their exports and documents, and the assessment page.  Pure Python,
nothing here imports Django.

Every text is Vietnamese.  A caller that shows it in the viewer's language passes
Django's ``gettext`` as ``_``: the Vietnamese texts are the catalogue's message ids
(``smartcommune/locale``), so the English page says "Not met (fields short: 2)" where
the command line, which is Vietnamese only, says "Chưa đạt (thiếu 2 lĩnh vực)".  The
parameter is called ``_`` so that ``makemessages`` finds the texts here.

The wording (README.md, "Evaluate a file" and "Results"):

* verdict: "Đạt <what the set recognises>" (the set's ``recognition_name``: "Đạt xã
  thông minh" for Bến Tre), or "Chưa đạt (thiếu 2 lĩnh vực)" -- "Chưa đạt" alone in a
  table whose other columns give the fields met; ", chưa đủ dữ liệu" after it when data is
  missing and the outcome is not yet certain (the command line).  The recognised verdict's
  message id is built from the set's words ("Đạt " + name), so a catalogue translates
  each set's phrase;
* :func:`verdict_of` says it for a whole result: not eligible (a precondition), points
  short, the level reached;
* a criterion's gap in full: "còn thiếu 37 hộ gia đình có thiết bị thông minh", or
  "chưa đạt: <condition>", "chưa báo cáo: <condition>", "thiếu số liệu: <numerator>";
  in short, beside the ratio: "còn thiếu 37";
* a commune's shortfall on one line: "chưa đạt 1.2 (thiếu 37); thiếu dữ liệu 1.1";
* a pass rule at any level (:func:`pass_rule_text`), the set's recognition rule
  (:func:`rule_text`, :func:`rule_short`).

Points in words are written with the decimal comma of Vietnamese ("thiếu 2,37 điểm",
"tổng điểm từ 50,00 trở lên"): the functions that write points take ``decimal`` (``","``
by default), and a caller that shows the English text passes ``"."``.  The exchange
formats keep ``points_text``'s dot.
"""

from __future__ import annotations

from collections.abc import Callable

from smartcommune.criteria.engine import CriterionResult, Evaluation, Status
from smartcommune.criteria.model import CriteriaSet, PassRule, points_text

Translate = Callable[[str], str]


def _as_is(text: str) -> str:
    return text


def _default_name() -> str:
    # The default set's words, for callers that do not name a set.
    from smartcommune.criteria.registry import get_criteria_set

    return get_criteria_set().recognition_name


def recognised_text(name: str | None = None, *, _: Translate = _as_is) -> str:
    """``"Đạt <name>"``: the verdict of a recognised commune, in the words of the set."""
    name = _default_name() if name is None else name
    return _(f"Đạt {name}") if name else _("Đạt")


def verdict(smart_commune: bool, fields_short: int | None = None, *, complete: bool = True,
            _: Translate = _as_is, name: str | None = None) -> str:
    """``"Đạt xã thông minh"`` (``"Đạt " + name``, the set's ``recognition_name``; the
    default set's when ``name`` is None); otherwise ``"Chưa đạt (thiếu 2 lĩnh vực)"``, or
    ``"Chưa đạt"`` when ``fields_short`` is None.  ``complete=False`` adds
    ``", chưa đủ dữ liệu"`` (untranslated: the command line only)."""
    if smart_commune:
        text = recognised_text(name, _=_)
    elif fields_short is None:
        text = _("Chưa đạt")
    else:
        text = _("Chưa đạt (thiếu %(n)d lĩnh vực)") % {"n": fields_short}
    return text if complete else text + ", chưa đủ dữ liệu"


def verdict_of(evaluation: Evaluation, *, _: Translate = _as_is, decimal: str = ",") -> str:
    """The verdict of one result, in the set's words: ``"Đạt xã nông thôn mới kiểu mẫu"``,
    ``"Đạt xã thông minh — Mức 2"``, ``"Chưa đạt (thiếu 2 lĩnh vực)"``, ``"Chưa đạt
    (thiếu 3,33 điểm)"``, ``"Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ1)"``;
    ``", chưa đủ dữ liệu"`` when data is missing and the outcome is not yet certain."""
    e = evaluation
    s = e.criteria_set
    if e.smart_commune:
        text = recognised_text(s.recognition_name, _=_)
    elif not e.eligible:
        text = ineligible_text(e, _=_)
    elif s.pass_rule.by_points:
        text = _("Chưa đạt (thiếu %(points)s điểm)") % {"points": points_text(e.points_short, decimal)}
    else:
        text = _("Chưa đạt (thiếu %(n)d lĩnh vực)") % {"n": e.fields_short}
    if e.level is not None:
        text += " — " + e.level.name
    return text if e.complete or e.outcome_certain else text + ", chưa đủ dữ liệu"


def ineligible_text(evaluation: Evaluation, *, _: Translate = _as_is) -> str:
    """``"Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ1)"``, naming each
    precondition not met or not reported (the verdict of a result that is not eligible)."""
    failing = ", ".join(r.criterion.code for r in evaluation.preconditions if not r.ok)
    return _("Không đủ điều kiện (chưa đạt điều kiện tiên quyết: %(codes)s)") % {"codes": failing}


def next_level_text(evaluation: Evaluation, *, _: Translate = _as_is, decimal: str = ",") -> str:
    """What the next level still needs: ``"Mức 3: thiếu 12,50 điểm"``, ``"Mức 2: thiếu 1
    lĩnh vực"``; empty when there is no next level."""
    need = evaluation.next_level
    if need is None:
        return ""
    parts = []
    if need.preconditions:
        parts.append(_("chưa đạt điều kiện tiên quyết %(codes)s") % {"codes": ", ".join(need.preconditions)})
    if need.points:
        parts.append(_("thiếu %(points)s điểm") % {"points": points_text(need.points, decimal)})
    if need.fields:
        parts.append(_("thiếu %(n)d lĩnh vực") % {"n": need.fields})
    return f"{need.level.name}: " + ("; ".join(parts) or _("đã đủ"))


FIELDS, CRITERIA, CONDITIONS = "lĩnh vực", "tiêu chí", "điều kiện"
"""The parts a :class:`~smartcommune.criteria.model.PassRule` counts, for
:func:`pass_rule_text`: a set's (or a level's) fields, a field's criteria, a criterion's
conditions."""


def _count_texts(parts: str, _: Translate) -> tuple[str, str, str]:
    # Each kind of part has its own sentences (a catalogue translates whole phrases, not a
    # noun put into one); every text is written out so that makemessages finds it.
    if parts == FIELDS:
        return (_("đạt ít nhất %(n)d/%(total)d lĩnh vực"), _("đạt cả %(total)d lĩnh vực"),
                _("đạt các lĩnh vực bắt buộc %(codes)s và ít nhất %(n)d/%(others)d lĩnh vực còn lại"))
    if parts == CRITERIA:
        return (_("đạt ít nhất %(n)d/%(total)d tiêu chí"), _("đạt cả %(total)d tiêu chí"),
                _("đạt các tiêu chí bắt buộc %(codes)s và ít nhất %(n)d/%(others)d tiêu chí còn lại"))
    if parts == CONDITIONS:
        return (_("đạt ít nhất %(n)d/%(total)d điều kiện"), _("đạt cả %(total)d điều kiện"),
                _("đạt các điều kiện bắt buộc %(codes)s và ít nhất %(n)d/%(others)d điều kiện còn lại"))
    raise ValueError(f"no wording for parts {parts!r}")


def pass_rule_text(rule: PassRule, total: int, parts: str = FIELDS, *, _: Translate = _as_is,
                   decimal: str = ",") -> str:
    """What ``rule`` asks of ``total`` parts (:data:`FIELDS`, :data:`CRITERIA` or
    :data:`CONDITIONS`), as a predicate: ``"đạt ít nhất 7/10 lĩnh vực"``, ``"đạt cả 3 tiêu
    chí"``, ``"có tổng điểm từ 50,00 trở lên"``, ``"đạt các lĩnh vực bắt buộc 1, 2 và ít
    nhất 3/5 lĩnh vực còn lại"``.  The one wording of a pass rule, at every level: the
    pages, the exports, the command line and the API say a rule with it."""
    if rule.by_points:
        return _("có tổng điểm từ %(points)s trở lên") % {"points": points_text(rule.points_at_least, decimal)}
    at_least, every, mandatory = _count_texts(parts, _)
    if rule.mandatory:
        return mandatory % {"codes": ", ".join(rule.mandatory), "n": rule.at_least or 0,
                            "others": total - len(rule.mandatory)}
    if rule.at_least is None:
        return every % {"total": total}
    return at_least % {"n": rule.at_least, "total": total}


def rule_text(criteria_set: CriteriaSet, *, _: Translate = _as_is, decimal: str = ",") -> str:
    """What a commune must achieve to be recognised under ``criteria_set``, said after
    "Xã được công nhận khi": the set's :func:`pass_rule_text` over its fields (``"đạt ít
    nhất 7/10 lĩnh vực"``, ``"có tổng điểm từ 50,00 trở lên"``), with the preconditions
    after it (``", và đạt điều kiện tiên quyết TQ"``)."""
    text = pass_rule_text(criteria_set.pass_rule, len(criteria_set.groups), FIELDS, _=_, decimal=decimal)
    if criteria_set.preconditions:
        text = _("%(rule)s, và đạt điều kiện tiên quyết %(codes)s") % {
            "rule": text, "codes": ", ".join(p.code for p in criteria_set.preconditions)}
    return text


def rule_is_count(criteria_set: CriteriaSet) -> bool:
    """Whether the set recognises by a plain count of fields (at least k of them, or all)
    without preconditions: then "7/10 (cần 7)" beside the fields met says the whole rule,
    and the outputs need not spell it out."""
    rule = criteria_set.pass_rule
    return not (rule.by_points or rule.mandatory or criteria_set.preconditions)


def rule_short(criteria_set: CriteriaSet, *, _: Translate = _as_is, decimal: str = ",") -> str:
    """:func:`rule_text` in a few words, after "xã" on a count or a column of the
    communes that reach it: ``"đạt từ 7 lĩnh vực"``, ``"đạt từ 50,00 điểm"``, ``"đạt
    lĩnh vực bắt buộc và từ 3 lĩnh vực khác"``; ``" và đủ điều kiện tiên quyết"`` after
    it for a set with preconditions."""
    rule = criteria_set.pass_rule
    if rule.by_points:
        text = _("đạt từ %(points)s điểm") % {"points": points_text(rule.points_at_least, decimal)}
    elif rule.mandatory:
        text = _("đạt lĩnh vực bắt buộc và từ %(n)d lĩnh vực khác") % {"n": rule.at_least or 0}
    else:
        text = _("đạt từ %(n)s lĩnh vực") % {"n": criteria_set.fields_required}
    if criteria_set.preconditions:
        text = _("%(rule)s và đủ điều kiện tiên quyết") % {"rule": text}
    return text


def _counted_noun(numerator_label: str) -> str:
    """"Số hộ gia đình có thiết bị thông minh" → "hộ gia đình có thiết bị thông minh"."""
    label = numerator_label.strip()
    for prefix in ("Số lượng ", "Số "):
        if label.startswith(prefix):
            return label[len(prefix):]
    return _in_sentence(label)


def _in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter lower case, the rest as written, so that
    names and abbreviations keep theirs ("Văn bản do Chủ tịch UBND xã ký" → "văn bản do Chủ
    tịch UBND xã ký")."""
    return label[:1].lower() + label[1:]


def gap_text(result: CriterionResult, *, _: Translate = _as_is) -> str:
    """What a criterion lacks, in words: ``"còn thiếu 37 hộ gia đình có thiết bị thông minh"``
    for a ratio short of its threshold (built from the criterion's numerator label;
    ``"còn vượt 3 ..."`` for a ratio that must stay at or below it), the pass/fail
    condition for an unmet "Đạt", "thiếu dữ liệu" when not reported; empty when met or not
    applicable.  A caller that follows the outcome rule shows it only for the criteria in
    ``Evaluation.relevant``."""
    if result.status in (Status.MET, Status.NOT_APPLICABLE):
        return ""
    criterion = result.criterion
    parts = []
    ratio = criterion.ratio
    if ratio is not None:
        if result.hundredths is not None and result.gap:
            what = _counted_noun(ratio.numerator_label)
            if ratio.comparator.upward:
                parts.append(_("còn thiếu %(n)s %(what)s") % {"n": result.gap, "what": what})
            else:
                parts.append(_("còn vượt %(n)s %(what)s") % {"n": result.gap, "what": what})
        elif result.input.numerator is None or result.input.denominator is None:
            parts.append(_("thiếu số liệu: %(what)s") % {"what": _in_sentence(ratio.numerator_label.strip())})
    for condition in result.conditions:
        if condition.condition is ratio or condition.condition is criterion.boolean or condition.status in (
                Status.MET, Status.NOT_APPLICABLE):
            continue
        label = condition.condition.label
        if condition.status == Status.MISSING:
            parts.append(_("chưa báo cáo: %(what)s") % {"what": label})
        elif condition.condition.kind == "count" and condition.gap:
            key = "còn thiếu %(n)s: %(what)s" if condition.condition.comparator.upward else "còn vượt %(n)s: %(what)s"
            parts.append(_(key) % {"n": condition.gap, "what": label})
        else:
            parts.append(_("chưa đạt: %(what)s") % {"what": label})
    boolean = criterion.boolean
    if boolean is not None:
        if result.input.met is None:
            parts.append(_("chưa báo cáo: %(what)s") % {"what": boolean.label})
        elif result.input.met is False:
            parts.append(_("chưa đạt: %(what)s") % {"what": boolean.label})
    return "; ".join(parts) or _("chưa đạt chỉ tiêu %(target)s") % {"target": criterion.target}


def lack_text(result: CriterionResult, *, _: Translate = _as_is, decimal: str = ",") -> str:
    """What a criterion lacks in a list of what keeps a commune back (the communes closest
    to recognition): :func:`gap_text`, then, for a criterion that scores less than its
    most, the points it scores -- ``"còn thiếu 2 dịch vụ công trực tuyến; được 0,00/15,00
    điểm"``, or ``"được 5,00/10,00 điểm"`` for a criterion met with partial credit."""
    parts = [gap_text(result, _=_)] if result.status not in (Status.MET, Status.NOT_APPLICABLE) else []
    if result.points is not None and result.points < result.criterion.points_max:
        parts.append(_("được %(points)s/%(max)s điểm") % {
            "points": points_text(result.points, decimal), "max": points_text(result.criterion.points_max, decimal)})
    return "; ".join(parts)


def gap_short(gap: int | None, *, upward: bool = True, _: Translate = _as_is) -> str:
    """``"còn thiếu 37"`` beside a ratio or count that must reach its threshold; ``"còn
    vượt 4"`` beside one that must stay under it (``<=``, ``<``: ``upward`` false, see
    :func:`upward`); empty when nothing is lacking (0 or None)."""
    if not gap:
        return ""
    return (_("còn thiếu %(n)s") if upward else _("còn vượt %(n)s")) % {"n": gap}


def shortfall(evaluation: Evaluation, *, decimal: str = ",") -> str:
    """What keeps a commune-year back, on one line, in Vietnamese: the criteria (and
    preconditions) not met, with gaps, and missing -- ``"chưa đạt 1.2 (thiếu 37); thiếu dữ
    liệu 1.1"``; ``"—"`` when nothing.  Only what could change the outcome
    (``Evaluation.relevant``): a recognised commune with no higher level to reach has no
    shortfall, and a field it does not need is not listed."""
    short, missing = [], []
    relevant = evaluation.relevant
    for c in (*evaluation.preconditions, *evaluation.criteria()):
        if c.criterion.code not in relevant:
            continue
        if c.status == Status.MISSING:
            missing.append(c.criterion.code)
        elif c.status != Status.MET and c.status != Status.NOT_APPLICABLE or c.points is not None:
            if c.gap:
                short.append(f"{c.criterion.code} (thiếu {c.gap})" if upward(c) else f"{c.criterion.code} (vượt {c.gap})")
            elif c.points is not None and c.points < c.criterion.points_max and c.status in (Status.MET, Status.NOT_APPLICABLE):
                short.append(f"{c.criterion.code} ({points_text(c.points, decimal)}/"
                             f"{points_text(c.criterion.points_max, decimal)} điểm)")
            else:
                short.append(c.criterion.code)
    parts = []
    if short:
        parts.append("chưa đạt " + ", ".join(short))
    if missing:
        parts.append("thiếu dữ liệu " + ", ".join(missing))
    return "; ".join(parts) or "—"


def upward(result: CriterionResult) -> bool:
    """Whether the criterion's gap counts what is lacking (its ratio or count must reach a
    threshold) rather than what is too much (it must stay at or under one)."""
    condition = result.criterion.ratio or result.criterion.count
    return condition is None or condition.comparator.upward
