"""What an import would change: the diff old → new per commune and criterion, with the
statuses the engine gives before and after, and each field's and the commune's outcome.

:func:`build_preview` reads everything in a bounded number of queries (the assessments
of the file's units, then all their values in one query), checks every entry's values
with the engine's :func:`~smartcommune.criteria.engine.input_problems` (after merging
the fields the file leaves out) and who may change what with
:func:`~smartcommune.rounds.access.editable_criteria` — the same rule the
single-assessment save applies — and returns a :class:`Preview`, or raises
:class:`~smartcommune.imports.exceptions.ImportRefused` listing every problem.
Only *changed* criteria need edit rights: importing a file identical to the stored data
changes nothing and is not refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from smartcommune.rounds import access as permissions
from smartcommune.criteria.engine import STATUS_LABELS_VI, CriterionInput, Evaluation, evaluate_valid, input_problems
from smartcommune.criteria.registry import UnknownCriteriaSet
from smartcommune.criteriasets.store import get_criteria_set
from smartcommune.imports.exceptions import ImportProblem, ImportRefused
from smartcommune.imports.sources import XLSX, Entry, Plan
from smartcommune.rounds.actions import VALUE_FIELDS, fed_refusal, refuse_edit
from smartcommune.rounds.evaluation import inputs_from
from smartcommune.rounds.models import Assessment, CriterionValue, Round, Status, criterion_of_slot, vi_label

INPUT_FIELDS = ("numerator", "denominator", "met")


@dataclass(slots=True)
class CriterionChange:
    code: str
    old: dict[str, object]
    new: dict[str, object]
    fields: list[str]
    """The value fields that change."""
    old_status: str
    new_status: str


@dataclass(slots=True)
class CommuneChange:
    assessment: Assessment
    changes: list[CriterionChange]
    before: Evaluation
    after: Evaluation

    @property
    def field_changes(self) -> list[tuple[str, str, str, str]]:
        """``(field code, name, old status, new status)`` of each field whose status moves."""
        return [(b.group.code, b.group.name, b.status, a.status)
                for b, a in zip(self.before.fields, self.after.fields) if b.status != a.status]


@dataclass(slots=True)
class Preview:
    plan: Plan
    communes: list[CommuneChange] = field(default_factory=list)
    entries: int = 0
    assessments_seen: int = 0

    @property
    def changed_values(self) -> int:
        return sum(len(c.fields) for cc in self.communes for c in cc.changes)

    @property
    def versions(self) -> dict[int, int]:
        """The version of each assessment to change, as the preview saw it."""
        return {cc.assessment.pk: cc.assessment.version for cc in self.communes}

    def changes(self) -> list[tuple[int, str, dict[str, object]]]:
        """``(assessment id, criterion code, {field: new value})`` of every changed field."""
        return [(cc.assessment.pk, c.code, {f: c.new[f] for f in c.fields}) for cc in self.communes for c in cc.changes]

    def as_json(self) -> dict:
        """The preview as stored for the confirmation page (plain JSON)."""
        return {
            "file_name": self.plan.file_name,
            "kind": self.plan.kind,
            "criteria_set": self.plan.criteria_set_code,
            "entries": self.entries,
            "assessments_seen": self.assessments_seen,
            "changed_values": self.changed_values,
            "communes": [
                {
                    "assessment_id": cc.assessment.pk,
                    "unit_code": cc.assessment.unit.code,
                    "unit_name": cc.assessment.unit.name,
                    "year": cc.assessment.round.year,
                    "version": cc.assessment.version,
                    "fields_met": [cc.before.fields_met, cc.after.fields_met],
                    "fields_required": cc.after.fields_required,
                    "smart_commune": [cc.before.smart_commune, cc.after.smart_commune],
                    "field_changes": [list(x) for x in cc.field_changes],
                    "criteria": [
                        {"code": c.code, "fields": c.fields, "old": c.old, "new": c.new,
                         "status": [c.old_status, c.new_status]}
                        for c in cc.changes
                    ],
                }
                for cc in self.communes
            ],
        }


def _norm(field_name: str, value: object) -> object:
    if field_name == "source":
        return (value or "").strip() if isinstance(value, str) or value is None else str(value)
    return value


def build_preview(plan: Plan, actor, *, round_: Round | None = None) -> Preview:
    """The changes ``plan`` makes for ``actor`` (in ``round_`` only, when given)."""
    name = plan.file_name
    problems: list[ImportProblem] = []
    try:
        criteria_set = get_criteria_set(plan.criteria_set_code)
    except UnknownCriteriaSet:
        raise ImportRefused(name, [ImportProblem(
            f"tệp dành cho bộ tiêu chí {plan.criteria_set_code!r}, hệ thống không có bộ này",
            f"the file is for the criteria set {plan.criteria_set_code!r}, which this system does not have")]) from None
    if round_ is not None:
        wrong = []
        if plan.criteria_set_code != round_.criteria_set_code:
            wrong.append((f"bộ tiêu chí {plan.criteria_set_code}", f"criteria set {plan.criteria_set_code}"))
        other_years = [y for y in plan.years if y != round_.year]
        if other_years:
            wrong.append((f"năm {', '.join(map(str, other_years))}", f"year {', '.join(map(str, other_years))}"))
        if plan.kind == XLSX and plan.province_code != round_.province.code:
            wrong.append((f"tỉnh mã {plan.province_code}", f"province {plan.province_code}"))
        if wrong:
            raise ImportRefused(name, [ImportProblem(
                f"tệp là của {', '.join(vi for vi, _ in wrong)}, không phải của đợt này ({round_.criteria_set_code}, "
                f"năm {round_.year}, {round_.province.name})",
                f"the file is for {', '.join(en for _, en in wrong)}, not this round ({round_.criteria_set_code}, "
                f"{round_.year}, {round_.province.name})")])

    assessments = Assessment.objects.filter(
        round__criteria_set_code=criteria_set.code,
        round__year__in=plan.years,
        unit__code__in={e.unit_code for e in plan.entries},
    ).select_related("round", "round__province", "unit", "unit__parent")
    if round_ is not None:
        assessments = assessments.filter(round=round_)
    if plan.kind == XLSX:
        assessments = assessments.filter(round__province__code=plan.province_code)
    found: dict[tuple[str, int], list[Assessment]] = defaultdict(list)
    for a in assessments:
        found[a.unit.code, a.round.year].append(a)
    visible = set(
        permissions.visible_assessments(actor).filter(pk__in=[a.pk for group in found.values() for a in group])
        .values_list("pk", flat=True)
    )

    by_assessment: dict[int, list[Entry]] = defaultdict(list)
    targets: dict[int, Assessment] = {}
    reported: set[tuple[str, int]] = set()
    for entry in plan.entries:
        key = (entry.unit_code, entry.year)
        candidates = found.get(key, [])
        if entry.unit_valid_from is not None:
            candidates = [a for a in candidates if a.unit.valid_from == entry.unit_valid_from]
        where = dict(sheet=entry.sheet, row=entry.row, column="A" if entry.sheet else "unit_code")
        if len(candidates) != 1 or candidates[0].pk not in visible:
            if key not in reported:
                reported.add(key)
                if len(candidates) > 1:
                    problems.append(ImportProblem(
                        f"mã đơn vị {entry.unit_code} năm {entry.year} có ở nhiều đợt/tỉnh (mã dùng lại sau sắp xếp "
                        "2025); hãy nhập trong trang của đợt, hoặc dùng --round",
                        f"unit code {entry.unit_code} in {entry.year} is in several rounds/provinces (codes were "
                        "reused in 2025); import from the round's page, or use --round", **where))
                else:
                    problems.append(ImportProblem(
                        f"không có hồ sơ của đơn vị {entry.unit_code} năm {entry.year} ({criteria_set.code}) "
                        "mà bạn được phép xem",
                        f"no assessment of unit {entry.unit_code} for {entry.year} ({criteria_set.code}) "
                        "that you may see", **where))
            continue
        a = candidates[0]
        targets[a.pk] = a
        by_assessment[a.pk].append(entry)

    values: dict[int, dict[str, CriterionValue]] = defaultdict(dict)
    for v in CriterionValue.objects.filter(assessment_id__in=list(targets)):
        values[v.assessment_id][v.criterion_code] = v
    preview = Preview(plan, entries=len(plan.entries), assessments_seen=len(targets))
    # Every row a file may set: a criterion's or precondition's own, or a keyed one.
    criteria = {s.code: s for s in criteria_set.slots}
    order = {code: i for i, code in enumerate(criteria)}
    editable_of = permissions.editable_criteria_many(actor, targets.values())
    for pk, entries in by_assessment.items():
        a = targets[pk]
        unit, year = a.unit, a.round.year
        rows = values[pk]
        current = inputs_from(rows.values())
        after = dict(current)
        changes: list[tuple[Entry, str, dict, dict, list[str]]] = []
        for entry in entries:
            row = rows.get(criterion_of_slot(entry.criterion))
            criterion = criteria.get(entry.criterion)
            if row is None or criterion is None:
                problems.append(ImportProblem(
                    f"tiêu chí {entry.criterion} không có trong hồ sơ", f"criterion {entry.criterion} is not in the "
                    "assessment", sheet=entry.sheet, row=entry.row, column="D" if entry.sheet else "criterion"))
                continue
            old = row.given(entry.criterion)
            new = {f: _norm(f, entry.given[f]) if f in entry.given else old[f] for f in VALUE_FIELDS}
            if row.fed_by and any(new[f] != old[f] for f in VALUE_FIELDS):
                refusal = fed_refusal(row)
                problems.append(ImportProblem(
                    f"{unit.name} ({unit.code}), năm {year}: {refusal.vi}",
                    f"{unit.name} ({unit.code}), {year}: {refusal.en}",
                    sheet=entry.sheet, row=entry.row, column="D" if entry.sheet else "criterion"))
                continue
            given = CriterionInput(new["numerator"], new["denominator"], new["met"], new["count"], new["choice"])
            bad = input_problems(criterion, given)
            for p in bad:
                problems.append(ImportProblem(
                    f"{unit.name} ({unit.code}), năm {year}, tiêu chí {entry.criterion}: {p.vi}",
                    f"{unit.name} ({unit.code}), {year}, criterion {entry.criterion}: {p.en}",
                    sheet=entry.sheet, row=entry.row, column=entry.column(p.column)))
            changed = [f for f in VALUE_FIELDS if new[f] != old[f]]
            if changed and not bad:
                after[entry.criterion] = given
                changes.append((entry, entry.criterion, old, new, changed))
        if not changes:
            continue
        codes = {code for _, code, *_ in changes}
        editable = editable_of[pk]
        refused = sorted(code for code in codes if criterion_of_slot(code) not in editable)
        if refused:
            first = next(e for e, code, *_ in changes if code in refused)
            where = dict(sheet=first.sheet, row=first.row)
            if a.frozen:
                state = Status(a.status)
                problems.append(ImportProblem(
                    f"{unit.name} ({unit.code}), năm {year}: hồ sơ đã chốt (“{vi_label(state)}”), không sửa được; "
                    f"tệp sửa các tiêu chí {', '.join(refused)}",
                    f"{unit.name} ({unit.code}), {year}: the assessment is frozen ({state.value}); "
                    f"the file changes criteria {', '.join(refused)}", **where))
            elif not editable:
                err = refuse_edit(actor, a)
                problems.append(ImportProblem(
                    f"{unit.name} ({unit.code}), năm {year}: {err.vi}; tệp sửa các tiêu chí {', '.join(refused)}",
                    f"{unit.name} ({unit.code}), {year}: {err.en}; the file changes criteria {', '.join(refused)}",
                    **where))
            else:
                problems.append(ImportProblem(
                    f"{unit.name} ({unit.code}), năm {year}: không được sửa các tiêu chí {', '.join(refused)} lúc này "
                    "(chỉ các tiêu chí bị trả lại)",
                    f"{unit.name} ({unit.code}), {year}: criteria {', '.join(refused)} cannot be edited now "
                    "(only returned items can)", **where))
            continue
        before_eval = evaluate_valid(criteria_set, current, unit_code=unit.code, year=year)
        after_eval = evaluate_valid(criteria_set, after, unit_code=unit.code, year=year)
        status_before = {r.criterion.code: r.status for r in (*before_eval.preconditions, *before_eval.criteria())}
        status_after = {r.criterion.code: r.status for r in (*after_eval.preconditions, *after_eval.criteria())}
        preview.communes.append(CommuneChange(
            a,
            [CriterionChange(code, old, new, changed, status_before[criterion_of_slot(code)],
                             status_after[criterion_of_slot(code)])
             for _, code, old, new, changed in sorted(changes, key=lambda x: order[x[1]])],
            before_eval, after_eval,
        ))
    if problems:
        raise ImportRefused(name, problems)
    preview.communes.sort(key=lambda cc: (cc.assessment.round.year, cc.assessment.unit.code))
    return preview


def status_label(status: str) -> str:
    return STATUS_LABELS_VI[status]


def _shown(field_name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if field_name == "met":
        return "Đạt" if value else "Không đạt"
    return str(value)


def describe(preview: Preview) -> str:
    """The preview as text for the command line (Vietnamese, statuses as labels)."""
    lines = [
        f"Tệp {preview.plan.file_name} ({preview.plan.kind}, {preview.plan.criteria_set_code}): "
        f"{preview.entries} dòng, {preview.assessments_seen} hồ sơ; {preview.changed_values} giá trị thay đổi "
        f"ở {len(preview.communes)} hồ sơ "
        f"({preview.changed_values} value(s) change in {len(preview.communes)} assessment(s))"
    ]
    for cc in preview.communes:
        a, b, after = cc.assessment, cc.before, cc.after
        outcome = f"lĩnh vực đạt {b.fields_met} → {after.fields_met} (cần {after.fields_required})"
        if b.smart_commune != after.smart_commune:
            outcome += ", sẽ đủ điều kiện công nhận" if after.smart_commune else ", sẽ không còn đủ điều kiện công nhận"
        lines.append(f"{a.unit.code} {a.unit.name}, năm {a.round.year} (phiên bản {a.version}): {outcome}")
        for code, name, old, new in cc.field_changes:
            lines.append(f"  lĩnh vực {code} {name}: {status_label(old)} → {status_label(new)}")
        for c in cc.changes:
            values = "; ".join(f"{f} {_shown(f, c.old[f])} → {_shown(f, c.new[f])}" for f in c.fields)
            status = (status_label(c.new_status) if c.old_status == c.new_status
                      else f"{status_label(c.old_status)} → {status_label(c.new_status)}")
            lines.append(f"  {c.code}: {values} [{status}]")
    return "\n".join(lines)
