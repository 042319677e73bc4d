"""Assessments: what the caller may see (:func:`~smartcommune.rounds.access.visible_assessments`),
their values, evidence metadata, history and evaluation; saving values and running
workflow transitions through :mod:`smartcommune.rounds.actions`, like the web.

An assessment the caller may not see answers 404, as on the web.  Writes need a token.
Conflict detection: GET returns the version (``version``, and ``ETag: "<version>"``);
a write sends it back (``expected_version`` in the body, or ``If-Match``); when it is
stale the answer is 409 ``edit_conflict`` with the changes made since, and nothing is
written.  A write answers with the version (and ETag) *its own* write produced, taken
from the action's result, even when another client has written since.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Header, Path, Query, Router

from smartcommune.rounds import access as permissions
from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional, token_required
from smartcommune.api.endpoints.common import (
    SYNTHETIC_NOTICE,
    absolute,
    limit_param,
    offset_param,
    page,
    responses,
    unit_ref,
)
from smartcommune.api.errors import ApiError, audit_dict, not_found
from smartcommune.api.schemas import (
    MAX_INT,
    AssessmentDetailOut,
    AssessmentFilters,
    AssessmentPage,
    AuditPage,
    EvaluationOut,
    TransitionIn,
    ValuesIn,
)
from smartcommune.demo.selectors import synthetic_round_ids
from smartcommune.exchange.results import evaluation_dict
from smartcommune.rounds import evaluation, selectors
from smartcommune.rounds.actions import do_save_values, do_transition
from smartcommune.rounds.models import Assessment, Status, vi_label
from smartcommune.rounds.workflow import TRANSITIONS, available_transitions
from smartcommune.units.models import Level

router = Router(tags=["Hồ sơ tự đánh giá (assessments)"], auth=token_optional)

TRANSITION_PATTERN = r"^[a-z_]{1,40}$"


def filtered_assessments(user, filters: AssessmentFilters | None = None):
    """The assessments ``user`` may see, narrowed by the list filters
    (:func:`smartcommune.rounds.selectors.filter_assessments`)."""
    if filters is None:
        return selectors.filter_assessments(user)
    return selectors.filter_assessments(
        user, year=filters.year, unit_code=filters.unit, district_code=filters.district,
        province_code=filters.province, status=filters.status, round_id=filters.round,
    )


def visible_or_404(user, assessment_id: int) -> Assessment:
    found = filtered_assessments(user).filter(pk=assessment_id).first()
    if found is None:
        raise not_found(f"Không tìm thấy hồ sơ đánh giá {assessment_id}", f"assessment {assessment_id} not found")
    return found


def etag(assessment: Assessment) -> str:
    return f'"{assessment.version}"'


def _assessment(request: HttpRequest, a: Assessment, synthetic: set[int]) -> dict:
    parent = a.unit.parent
    decided = a.decision_recognised is not None or a.decision_number
    return {
        "id": a.pk,
        "round_id": a.round_id,
        "year": a.round.year,
        "criteria_set_code": a.round.criteria_set_code,
        "unit": unit_ref(a.unit),
        "district": unit_ref(parent) if parent is not None and parent.level == Level.DISTRICT else None,
        "status": a.status,
        "status_label_vi": vi_label(Status(a.status)),
        "version": a.version,
        "etag": etag(a),
        "submitted_at": a.submitted_at,
        "late": a.late,
        "returned_stage": a.returned_stage or None,
        "published_at": a.published_at,
        "decision": {"recognised": a.decision_recognised, "number": a.decision_number, "date": a.decision_date,
                     "signer": a.decision_signer} if decided else None,
        "synthetic": a.round_id in synthetic,
        "data_notice": SYNTHETIC_NOTICE if a.round_id in synthetic else None,
        "url": absolute(request, "api:v1:assessment_detail", a.pk),
    }


def _detail(request: HttpRequest, a: Assessment, response: HttpResponse) -> dict:
    user = request.auth.user
    editable = permissions.editable_criteria(user, a)
    verifiable = permissions.verifiable_criteria(user, a)
    openable = permissions.may_open_evidence(user, a)
    criteria_set = a.round.criteria_set
    response["ETag"] = etag(a)

    def keyed(v):
        try:
            slots = criteria_set.criterion(v.criterion_code).slots[1:]
        except KeyError:
            return []
        return [{"code": s.code, **v.given(s.code)} for s in slots]

    return {
        **_assessment(request, a, synthetic_round_ids([a.round_id])),
        "values": [
            {"criterion_code": v.criterion_code, "precondition": criteria_set.is_precondition(v.criterion_code),
             "numerator": v.numerator, "denominator": v.denominator,
             "met": v.met, "count": v.count, "choice": v.choice, "source": v.source, "keyed": keyed(v),
             "review_status": v.review_status,
             "review_comment": v.review_comment, "answer": v.answer, "updated_at": v.updated_at,
             "editable": v.criterion_code in editable, "verifiable": v.criterion_code in verifiable}
            for v in a.values.all()
        ],
        # What each item is for everyone who sees the assessment; where it is (the link, the
        # file's download) only for those who may open its evidence.
        "evidence": [
            {"id": e.pk, "criterion_code": e.criterion_code, "kind": e.kind, "original_name": e.original_name,
             "content_type": e.content_type, "size": e.size, "link": (e.url or None) if openable else None,
             "document_number": e.document_number, "document_date": e.document_date, "note": e.note,
             "uploaded_at": e.uploaded_at,
             "download_url": absolute(request, "rounds:evidence_download", e.pk) if e.file and openable else None}
            for e in a.evidence.filter(removed_at__isnull=True)
        ],
        "transitions": [t.name for t in available_transitions(user, a)],
        "evaluation_url": absolute(request, "api:v1:assessment_evaluation", a.pk),
        "history_url": absolute(request, "api:v1:assessment_history", a.pk),
    }


def _version_from(if_match: str | None, body_version: int | None, *, required: bool) -> int | None:
    """The version the client read, from ``If-Match`` and/or the body; they must agree."""
    header_version = None
    if if_match is not None:
        text = if_match.strip().removeprefix("W/").strip('"')
        if not text.isdigit() or not 0 < int(text) <= MAX_INT:
            raise ApiError(400, "bad_if_match", f"If-Match phải là ETag của hồ sơ, ví dụ \"3\"; nhận được {if_match!r}",
                           f"If-Match must be the assessment's ETag, e.g. \"3\"; got {if_match!r}")
        header_version = int(text)
    if header_version is not None and body_version is not None and header_version != body_version:
        raise ApiError(400, "version_mismatch", "If-Match và expected_version không khớp nhau",
                       "If-Match and expected_version disagree",
                       {"if_match": header_version, "expected_version": body_version})
    version = header_version if header_version is not None else body_version
    if version is None and required:
        raise ApiError(428, "version_required",
                       "Cần gửi lại phiên bản đã đọc (expected_version hoặc If-Match) để phát hiện xung đột",
                       "send back the version you read (expected_version or If-Match) so conflicts are detected")
    return version


@router.get("/assessments", response=responses(AssessmentPage), url_name="assessment_list",
            openapi_extra=OPTIONAL_SECURITY, summary="Hồ sơ tự đánh giá người gọi được xem")
def assessment_list(
    request,
    filters: Query[AssessmentFilters],
    limit: int = limit_param(),
    offset: int = offset_param(),
):
    assessments = filtered_assessments(request.auth.user, filters)
    assessments = assessments.order_by("-round__year", "round_id", "unit__code", "pk")
    rows, envelope = page(request, assessments, limit=limit, offset=offset)
    synthetic = synthetic_round_ids(a.round_id for a in rows)
    return {**envelope, "results": [_assessment(request, a, synthetic) for a in rows]}


@router.get("/assessments/{assessment_id}", response=responses(AssessmentDetailOut),
            url_name="assessment_detail", openapi_extra=OPTIONAL_SECURITY,
            summary="Một hồ sơ: số liệu, minh chứng (siêu dữ liệu), các bước được làm; ETag = phiên bản")
def assessment_detail(request, response: HttpResponse, assessment_id: int = Path(..., ge=1, le=MAX_INT)):
    return _detail(request, visible_or_404(request.auth.user, assessment_id), response)


@router.get("/assessments/{assessment_id}/evaluation", response=responses(EvaluationOut),
            url_name="assessment_evaluation", openapi_extra=OPTIONAL_SECURITY,
            summary="Kết quả đánh giá của hồ sơ theo số liệu hiện tại (dạng EvaluationOut)")
def assessment_evaluation(request, assessment_id: int = Path(..., ge=1, le=MAX_INT)):
    return evaluation_dict(evaluation.evaluate_assessment(visible_or_404(request.auth.user, assessment_id)))


@router.get("/assessments/{assessment_id}/history", response=responses(AuditPage, 403),
            url_name="assessment_history", auth=token_required,
            summary="Nhật ký thay đổi của hồ sơ, mới nhất trước (cần khóa API)")
def assessment_history(request, assessment_id: int = Path(..., ge=1, le=MAX_INT),
                       limit: int = limit_param(), offset: int = offset_param()):
    assessment = visible_or_404(request.auth.user, assessment_id)
    rows, envelope = page(request, selectors.history(assessment), limit=limit, offset=offset)
    openable = permissions.may_open_evidence(request.auth.user, assessment)
    return {**envelope, "results": [audit_dict(e, evidence_openable=openable) for e in rows]}


@router.patch("/assessments/{assessment_id}/values", response=responses(AssessmentDetailOut, 403, 409, 428),
              url_name="assessment_values", auth=token_required,
              summary="Lưu số liệu (như nút Lưu trên web); cần phiên bản đã đọc")
def assessment_save_values(request, response: HttpResponse, payload: ValuesIn,
                           assessment_id: int = Path(..., ge=1, le=MAX_INT),
                           if_match: str | None = Header(None, alias="If-Match", max_length=100)):
    assessment = visible_or_404(request.auth.user, assessment_id)
    version = _version_from(if_match, payload.expected_version, required=True)
    values = {code: given.model_dump(exclude_unset=True) for code, given in payload.values.items()}
    saved = do_save_values(actor=request.auth.user, assessment=assessment, expected_version=version, values=values)
    # The row the action wrote: its version is this write's, not a later client's.
    return _detail(request, saved, response)


@router.post("/assessments/{assessment_id}/transitions/{name}",
             response=responses(AssessmentDetailOut, 403, 409), url_name="assessment_transition",
             auth=token_required, summary="Chuyển bước quy trình (submit, district_forward, …), như trên web")
def assessment_transition(request, response: HttpResponse, payload: TransitionIn,
                          assessment_id: int = Path(..., ge=1, le=MAX_INT),
                          name: str = Path(..., pattern=TRANSITION_PATTERN,
                                           description=", ".join(TRANSITIONS)),
                          if_match: str | None = Header(None, alias="If-Match", max_length=100)):
    assessment = visible_or_404(request.auth.user, assessment_id)
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise not_found(f"Không có bước “{name}”; các bước: {', '.join(TRANSITIONS)}",
                        f"no transition {name!r}; transitions: {', '.join(TRANSITIONS)}")
    given = payload.model_dump(exclude_unset=True)
    body_version = given.pop("expected_version", None)
    unexpected = sorted(set(given) - transition.params)
    if unexpected:
        raise ApiError(422, "unexpected_parameter",
                       f"Bước {name} không nhận tham số {', '.join(unexpected)}; nhận: {', '.join(sorted(transition.params)) or '—'}",
                       f"transition {name} takes no {', '.join(unexpected)}; it takes: {', '.join(sorted(transition.params)) or '—'}",
                       {"unexpected": unexpected, "accepted": sorted(transition.params)})
    version = _version_from(if_match, body_version, required=False)
    done = do_transition(actor=request.auth.user, assessment=assessment, transition_name=name,
                         expected_version=version, **given)
    return _detail(request, done, response)
