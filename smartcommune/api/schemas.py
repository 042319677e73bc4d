"""The shapes of the API's requests and responses (they make the OpenAPI document).

Input rules that keep bad input out of the database are those of every channel
(:mod:`smartcommune.exchange.values`): counts and ids within PostgreSQL's integer range
(a count given as a JSON string or number goes through the same rule as a typed one),
the same pass/fail vocabulary as the web form and the files, codes matched by a pattern,
texts within their field's limit and free of NUL characters (the write path checks the
texts again, for every channel).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict

from smartcommune.exchange import values as value_rules
from smartcommune.rounds.models import Status

MAX_INT = value_rules.MAX_ID
CODE_PATTERN = r"^[0-9A-Za-z._-]{1,40}$"
# A row of the exchange format: a criterion's code, or a keyed condition's "4.1:b".
ROW_CODE_PATTERN = r"^[0-9A-Za-z._-]{1,40}(:[0-9A-Za-z._-]{1,40})?$"
TEXT_PATTERN = r"^[^\x00]*$"


def _by_rule(rule):
    """A pydantic "before" validator applying a value rule; its refusal is the message."""
    def validate(value):
        try:
            return rule(value)
        except value_rules.ValueRefused as refused:
            raise ValueError(f"{refused.vi} | {refused.en}") from None
    return BeforeValidator(validate)


def _text(field: str):
    """A text of ``field``: its limit from the value rules (the write path checks it too)."""
    return Annotated[str, Field(max_length=value_rules.TEXT_LIMITS[field].max_length, pattern=TEXT_PATTERN)]


Code = Annotated[str, Field(pattern=CODE_PATTERN)]
RowCode = Annotated[str, Field(pattern=ROW_CODE_PATTERN)]
Text = _text("comment")
Count = Annotated[int, _by_rule(value_rules.count_of), Field(ge=0, le=value_rules.MAX_COUNT)]
Met = Annotated[bool, _by_rule(value_rules.met_of),
                Field(description=f"Đạt/Không đạt: true/false, or one of {value_rules.MET_VOCABULARY}")]
Version = Annotated[int, Field(ge=1, le=MAX_INT)]


class AssessmentFilters(Schema):
    """The filters of the assessment and result lists (query parameters)."""

    year: int | None = Field(None, ge=1900, le=2200, description="năm đánh giá (year)")
    unit: str | None = Field(None, pattern=CODE_PATTERN, description="mã xã (commune code)")
    district: str | None = Field(None, pattern=CODE_PATTERN,
                                 description="mã huyện (district code, before the 2025 reform)")
    province: str | None = Field(None, pattern=CODE_PATTERN, description="mã tỉnh (province code)")
    status: Status | None = Field(None, description="trạng thái (workflow state)")
    round: int | None = Field(None, ge=1, le=MAX_INT, description="id của đợt (round id)")


class PageOut(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None


# -- criteria sets --------------------------------------------------------------------------


class PassRuleOut(Schema):
    at_least: int | None
    description_vi: str = Field(description='the rule in Vietnamese: "đạt ít nhất 7/10 lĩnh vực", '
                                            '"đạt cả 3 tiêu chí", "có tổng điểm từ 50,00 trở lên"')


class ConditionOut(Schema):
    kind: str
    label: str | None
    numerator_label: str | None
    denominator_label: str | None
    comparator: str | None
    threshold: str | None
    zero_denominator: str | None


class CriterionOut(Schema):
    code: str
    text: str
    target: str
    lead_agencies: list[str]
    coordinating_agencies: list[str]
    evidence: str
    note: str
    pass_rule: PassRuleOut
    conditions: list[ConditionOut]


class GroupOut(Schema):
    code: str
    name: str
    pass_rule: PassRuleOut
    criteria: list[CriterionOut]


class AgencyOut(Schema):
    code: str
    name: str


class CriteriaSetOut(Schema):
    code: str
    name: str
    document: str
    period_start: int
    period_end: int
    fields_required: int
    fields_total: int
    criteria_total: int
    url: str


class CriteriaSetDetailOut(CriteriaSetOut):
    description: str
    pass_rule: PassRuleOut
    agencies: list[AgencyOut]
    groups: list[GroupOut]


class CriteriaSetPage(PageOut):
    results: list[CriteriaSetOut]


# -- units ----------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str
    level: str
    valid_from: dt.date
    valid_to: dt.date | None


class UnitOut(UnitRef):
    short_name: str
    kind: str
    parent: UnitRef | None
    latitude: str | None
    longitude: str | None
    url: str


class SuccessionOut(Schema):
    unit: UnitRef
    effective: dt.date
    is_default: bool


class UnitDetailOut(UnitOut):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class UnitPage(PageOut):
    results: list[UnitOut]


# -- rounds ---------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    criteria_set_code: str
    year: int
    province: UnitRef
    submission_deadline: dt.date
    review_deadline: dt.date
    verification_deadline: dt.date
    opened_at: dt.datetime
    synthetic: bool
    data_notice: str | None = Field(description="“Dữ liệu mô phỏng” for a synthetic demo round, else null")
    url: str
    assessments_url: str


class RoundDetailOut(RoundOut):
    status_counts: dict[str, int] = Field(description="visible assessments of the round by status")


class RoundPage(PageOut):
    results: list[RoundOut]


# -- assessments ----------------------------------------------------------------------------


class DecisionOut(Schema):
    recognised: bool | None
    number: str
    date: dt.date | None
    signer: str


class AssessmentOut(Schema):
    id: int
    round_id: int
    year: int
    criteria_set_code: str
    unit: UnitRef
    district: UnitRef | None
    status: str
    status_label_vi: str
    version: int
    etag: str
    submitted_at: dt.datetime | None
    late: bool
    returned_stage: str | None
    published_at: dt.datetime | None
    decision: DecisionOut | None
    synthetic: bool
    data_notice: str | None
    url: str


class CellsOut(Schema):
    """What a commune reported on one row (empty: not reported)."""

    numerator: int | None
    denominator: int | None
    met: bool | None
    count: int | None
    choice: str | None
    source: str


class KeyedValueOut(CellsOut):
    """A keyed condition's own row ("4.1:b"), reviewed with its criterion."""

    code: str = Field(description="the row's code: the criterion's code, a colon and the condition's key")


class ValueOut(CellsOut):
    criterion_code: str
    precondition: bool = Field(description="a precondition (điều kiện tiên quyết) rather than a field's criterion")
    keyed: list[KeyedValueOut] = Field(description="the rows of the criterion's keyed conditions, in the set's order")
    review_status: str
    review_comment: str
    answer: str
    updated_at: dt.datetime | None
    editable: bool
    verifiable: bool


class EvidenceOut(Schema):
    id: int
    criterion_code: str
    kind: str
    original_name: str
    content_type: str
    size: int | None
    link: str | None
    document_number: str
    document_date: dt.date | None
    note: str
    uploaded_at: dt.datetime
    download_url: str | None = Field(description="the web app's permission-checked download (needs a login)")


class AssessmentDetailOut(AssessmentOut):
    values: list[ValueOut]
    evidence: list[EvidenceOut]
    transitions: list[str] = Field(description="whole-assessment transitions the caller may start now")
    evaluation_url: str
    history_url: str


class AssessmentPage(PageOut):
    results: list[AssessmentOut]


class AuditOut(Schema):
    version: int
    at: dt.datetime
    actor: str | None
    action: str
    criterion_code: str | None
    field: str | None
    old_value: Any = None
    new_value: Any = None
    reason: str


class AuditPage(PageOut):
    results: list[AuditOut]


# -- writes ---------------------------------------------------------------------------------


class ValueIn(Schema):
    """A field left out keeps its value; ``null`` clears it."""

    model_config = ConfigDict(extra="forbid")

    numerator: Count | None = None
    denominator: Count | None = None
    met: Met | None = None
    count: Count | None = Field(None, description="a count condition's whole number")
    choice: Annotated[str, Field(min_length=1, max_length=50, pattern=CODE_PATTERN)] | None = Field(
        None, description="a choice condition: the code of one of the set's options")
    source: _text("source") | None = None


class ValuesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    expected_version: Version | None = Field(
        None, description="the version the client read; or send the ETag back in If-Match"
    )
    values: dict[RowCode, ValueIn] = Field(
        description="by row code: a criterion's (or precondition's) code, "
                    "or \"<code>:<key>\" for a keyed condition's row")


class TransitionIn(Schema):
    """Parameters of a transition; send only those the transition takes (see its name)."""

    model_config = ConfigDict(extra="forbid")

    expected_version: Version | None = None
    criterion_code: Code | None = Field(None, description="verify_item, return_item")
    comment: Text | None = Field(None, description="verify_item, return_item, appraise")
    items: dict[Code, Text] | None = Field(None, description="district_return: {criterion code: comment}")
    recognised: bool | None = Field(None, description="record_decision, amend_decision")
    number: _text("number") | None = Field(None, description="record_decision, amend_decision")
    date: dt.date | None = Field(None, description="record_decision, amend_decision")
    signer: _text("signer") | None = Field(None, description="record_decision, amend_decision")
    reason: _text("reason") | None = Field(
        None, description="reopen, amend_decision (required); record_decision (why not recognised)")


# -- results --------------------------------------------------------------------------------


RESULT_STATUSES = "met (đạt), not_met (chưa đạt), not_applicable (không áp dụng) or missing (thiếu dữ liệu)"


class CriterionResultOut(Schema):
    """One criterion's result."""

    code: str = Field(description="the criterion's code in its criteria set, e.g. \"1.2\"")
    status: str = Field(description=f"{RESULT_STATUSES}; a ratio with denominator 0 is not_applicable "
                                    "unless the set says otherwise, an empty value is missing")
    ratio: str | None = Field(description="numerator × 100 / denominator as a decimal string with two places "
                                          "(\"86.30\"); null for a pass/fail criterion, when not reported or "
                                          "when the denominator is 0")
    threshold: str | None = Field(description="the percentage the ratio must reach (\"90\"); null for pass/fail")
    gap: int | None = Field(description="how many more counted units the numerator needs: "
                                        "ceil(threshold × denominator / 100) − numerator, 0 when met; "
                                        "null for pass/fail or when not reported")
    points: str | None = Field(description="the points this criterion scores, a decimal string with two "
                                           "places (\"26.67\"); null when the set scores no points")


class FieldResultOut(Schema):
    """One field (lĩnh vực): met when all its criteria are met or not applicable."""

    code: str = Field(description="the field's code, e.g. \"1\"")
    status: str = Field(description=RESULT_STATUSES)
    criteria: list[CriterionResultOut]
    points: str
    points_max: str


class NextLevelOut(Schema):
    code: str
    fields_short: int | None
    points_short: str | None
    preconditions: list[str]


class EvaluationOut(Schema):
    """The evaluation of one commune for one year, computed exactly with integers by the
    criteria engine; the same shape as ``smartcommune evaluate --format json`` prints."""

    unit_code: str = Field(description="the commune's GSO code")
    year: int
    fields_met: int = Field(description="fields whose status is met")
    fields_required: int = Field(description="fields a commune must meet to be recognised (7 of 10 in Bến Tre)")
    smart_commune: bool = Field(description="fields_met ≥ fields_required (and any precondition of the set holds)")
    complete: bool = Field(description="false when any criterion is missing")
    fields: list[FieldResultOut]
    points: str
    points_max: str
    level: str | None
    next_level: NextLevelOut | None
    eligible: bool
    preconditions: list[CriterionResultOut]
    outcome_certain: bool


class EvaluationPage(PageOut):
    results: list[EvaluationOut]


class RankedUnitOut(Schema):
    code: str
    name: str


class RankedLevelOut(Schema):
    code: str
    name: str


class RankingRowOut(Schema):
    """One commune's place: ranked by recognition, level, points, fields then criteria met;
    equal results share a rank (``tied``) and the next rank skips."""

    rank: int = Field(description="rank within the province (among the results the caller may see)")
    tied: bool = Field(description="another commune has the same rank")
    district_rank: int | None = Field(description="rank within the district; null without a district level")
    district_tied: bool
    unit_code: str
    name: str
    district: RankedUnitOut | None
    points: str | None = Field(description='points with two decimals ("26.67"); null when the set does not score')
    points_max: str | None
    level: RankedLevelOut | None
    fields_met: int
    criteria_met: int
    smart_commune: bool
    eligible: bool
    outcome_certain: bool
    verdict: str = Field(description="the verdict in the set's words (Vietnamese)")


class RankingPage(PageOut):
    province_code: str
    year: int
    criteria_set: str
    district: str | None
    synthetic: bool
    data_notice: str | None
    results: list[RankingRowOut]


class OpenDataSetOut(Schema):
    province_code: str
    province_name: str
    year: int
    communes: int
    synthetic: bool
    data_notice: str | None
    url: str
    csv_url: str | None
    json_url: str | None


class OpenDataSetPage(PageOut):
    results: list[OpenDataSetOut]


class OpenDataPage(EvaluationPage):
    province_code: str
    year: int
    synthetic: bool
    data_notice: str | None
