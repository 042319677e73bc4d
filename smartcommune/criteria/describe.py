"""A criteria set as readable Vietnamese text (``smartcommune criteria show``)."""

from __future__ import annotations

import textwrap

from smartcommune.criteria.model import BooleanCondition, CriteriaSet, RatioCondition, ZeroDenominator

_ZERO_VI = {
    ZeroDenominator.NOT_APPLICABLE: "không áp dụng (tính là đạt)",
    ZeroDenominator.MET: "tính là đạt",
    ZeroDenominator.NOT_MET: "tính là chưa đạt",
}


def describe_set(criteria_set: CriteriaSet, *, width: int = 100) -> str:
    s = criteria_set

    def wrap(text: str, indent: str, *, hanging: str | None = None) -> str:
        return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=hanging or indent)

    def agencies(codes: tuple[str, ...]) -> str:
        return "; ".join(s.agency(c).name for c in codes)

    lines = [
        s.name,
        f"Mã: {s.code}   Giai đoạn: {s.period_start}–{s.period_end}",
        f"Văn bản: {s.document}",
        f"Công nhận khi đạt {s.pass_rule.describe(len(s.groups))} lĩnh vực "
        f"({len(s.criteria)} tiêu chí); một lĩnh vực đạt khi các tiêu chí của nó đạt theo quy tắc của lĩnh vực.",
    ]
    for p in s.preconditions:
        lines.append(f"Điều kiện tiên quyết {p.code}: {p.text}")
    for group in s.groups:
        rule = "" if group.pass_rule.at_least is None else f" (đạt khi {group.pass_rule.describe(len(group.criteria))} tiêu chí)"
        lines += ["", f"Lĩnh vực {group.code}. {group.name}{rule}"]
        for c in group.criteria:
            lines.append(wrap(f"{c.code}. {c.text}", "  "))
            lines.append(f"      Chỉ tiêu: {c.target}   Chủ trì: {agencies(c.lead_agencies)}")
            if c.coordinating_agencies:
                lines.append(f"      Phối hợp: {agencies(c.coordinating_agencies)}")
            for condition in c.conditions:
                if isinstance(condition, RatioCondition):
                    lines.append(wrap(
                        f"Tỷ lệ {condition.comparator.value} {condition.threshold_text}%: "
                        f"[{condition.numerator_label}] / [{condition.denominator_label}]; "
                        f"mẫu số bằng 0: {_ZERO_VI[condition.zero_denominator]}", "      - ", hanging="        "))
                elif isinstance(condition, BooleanCondition):
                    lines.append(wrap(f"Đạt/Không đạt: {condition.label}", "      - ", hanging="        "))
            if c.pass_rule.at_least is not None:
                lines.append(f"      Đạt khi {c.pass_rule.describe(len(c.conditions))} điều kiện")
            lines.append(wrap(f"Minh chứng: {c.evidence}", "      "))
            if c.note:
                lines.append(wrap(f"Cách hiểu: {c.note}", "      "))
            if c.scoring is not None:
                partial = ", có tính điểm từng phần" if c.scoring.partial_credit else ""
                lines.append(f"      Điểm: {c.scoring.points}{partial}")
    return "\n".join(lines)
