"""A criteria set as readable Vietnamese text (``smartcommune criteria show``)."""

from __future__ import annotations

import textwrap

from smartcommune.criteria.model import (
    BooleanCondition,
    ChoiceCondition,
    CountCondition,
    CriteriaSet,
    Criterion,
    RatioCondition,
    Scoring,
    ScoringMethod,
    ZeroDenominator,
    points_text,
)
from smartcommune.criteria.wording import CONDITIONS, CRITERIA, FIELDS, pass_rule_text, rule_text

_ZERO_VI = {
    ZeroDenominator.NOT_APPLICABLE: "không áp dụng (tính là đạt)",
    ZeroDenominator.MET: "tính là đạt",
    ZeroDenominator.NOT_MET: "tính là chưa đạt",
}


def condition_text(condition) -> str:
    """One condition in words: ``"Tỷ lệ >= 90%: [..] / [..]; mẫu số bằng 0: .."``."""
    key = f"[{condition.key}] " if condition.key else ""
    if isinstance(condition, RatioCondition):
        share = "" if condition.share else " (có thể vượt 100%)"
        return (f"{key}Tỷ lệ {condition.comparator.value} {condition.threshold_text}%{share}: "
                f"[{condition.numerator_label}] / [{condition.denominator_label}]; "
                f"mẫu số bằng 0: {_ZERO_VI[condition.zero_denominator]}")
    if isinstance(condition, CountCondition):
        return f"{key}Số đếm {condition.comparator.value} {condition.threshold}: {condition.label}"
    if isinstance(condition, ChoiceCondition):
        options = "; ".join(f"{o.label} ({o.code}): {points_text(o.points, ',')} điểm, {'đạt' if o.passes else 'chưa đạt'}"
                            for o in condition.options)
        return f"{key}Lựa chọn: {condition.label} — {options}"
    assert isinstance(condition, BooleanCondition)
    return f"{key}Đạt/Không đạt: {condition.label}"


def scoring_text(scoring: Scoring) -> str:
    most = points_text(scoring.points, ",")
    if scoring.method is ScoringMethod.OPTION:
        return f"Điểm: theo phương án chọn, tối đa {most}"
    if scoring.method is ScoringMethod.PROPORTIONAL:
        return f"Điểm: tỷ lệ / {format(scoring.full_at.normalize(), 'f')}% × {most}, tối đa {most}"
    if scoring.method is ScoringMethod.PER_STEP:
        return (f"Điểm: mỗi {format(scoring.step.normalize(), 'f')} đơn vị được "
                f"{points_text(scoring.step_points, ',')}, tối đa {most}")
    return f"Điểm: {most} khi đạt"


def describe_set(criteria_set: CriteriaSet, *, width: int = 100) -> str:
    s = criteria_set

    def wrap(text: str, indent: str, *, hanging: str | None = None) -> str:
        return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=hanging or indent)

    def agencies(codes: tuple[str, ...]) -> str:
        return "; ".join(s.agency(c).name for c in codes)

    def criterion_lines(c: Criterion) -> list[str]:
        lines = [wrap(f"{c.code}. {c.text}", "  ")]
        lead = f"   Chủ trì: {agencies(c.lead_agencies)}" if c.lead_agencies else ""
        lines.append(f"      Chỉ tiêu: {c.target}{lead}")
        if c.coordinating_agencies:
            lines.append(f"      Phối hợp: {agencies(c.coordinating_agencies)}")
        for condition in c.conditions:
            lines.append(wrap(condition_text(condition), "      - ", hanging="        "))
        if c.pass_rule != type(c.pass_rule)():
            lines.append(f"      Cần {pass_rule_text(c.pass_rule, len(c.conditions), CONDITIONS)}")
        if c.evidence:
            lines.append(wrap(f"Minh chứng: {c.evidence}", "      "))
        if c.note:
            lines.append(wrap(f"Cách hiểu: {c.note}", "      "))
        if c.scoring is not None:
            lines.append(f"      {scoring_text(c.scoring)}")
        return lines

    what = s.recognition_name or "công nhận"
    lines = [
        s.name,
        f"Mã: {s.code}   Giai đoạn: {s.period_start}–{s.period_end}",
        f"Văn bản: {s.document}",
        f"Công nhận {what} khi {rule_text(s)}. {len(s.criteria)} tiêu chí; "
        "một lĩnh vực đạt khi các tiêu chí của nó đạt theo quy tắc của lĩnh vực.",
    ]
    if s.scores:
        lines.append(f"Tổng điểm tối đa: {points_text(s.points_max, ',')}")
    for level in s.levels:
        lines.append(f"{level.name} ({level.code}): {pass_rule_text(level.rule, len(s.groups), FIELDS)}")
    if s.preconditions:
        lines += ["", "Điều kiện tiên quyết (không đạt thì không đủ điều kiện xét):"]
        for p in s.preconditions:
            lines += criterion_lines(p)
    for group in s.groups:
        rule = "" if group.pass_rule == type(group.pass_rule)() else f" (cần {pass_rule_text(group.pass_rule, len(group.criteria), CRITERIA)})"
        lines += ["", f"Lĩnh vực {group.code}. {group.name}{rule}"]
        for c in group.criteria:
            lines += criterion_lines(c)
    return "\n".join(lines)
