"""Citizen surveys (field 4): plans and aggregated results, with the web's scoping (roles
reach the commune's assessment; anyone, once the assessment is published), and answer
submission for the officer channel (paper, phone).  Individual answers are never served."""

from __future__ import annotations

from typing import Literal

from django.db.models import Q
from ninja import Field, Path, Router, Schema, Status

from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional, token_required
from smartcommune.api.endpoints.common import absolute, limit_param, offset_param, page, responses, unit_ref, year_param
from smartcommune.api.errors import not_found
from smartcommune.api.schemas import MAX_INT
from smartcommune.rounds.access import published_assessments
from smartcommune.surveys import selectors
from smartcommune.surveys.access import visible_surveys
from smartcommune.surveys.actions import do_submit_answer
from smartcommune.surveys.models import Survey
from smartcommune.surveys.selectors import Distribution

router = Router(tags=["Khảo sát sự hài lòng (surveys)"], auth=token_optional)

SHORT = 100


class HamletOut(Schema):
    id: int
    name: str
    size: int
    quota: int


class PlanOut(Schema):
    frame_kind: str
    method: str
    margin: str
    confidence: int
    population: int
    planned: int
    hamlets: list[HamletOut]


class SurveyOut(Schema):
    id: int
    code: str
    unit: dict
    year: int
    assessment_id: int
    status: str
    questionnaire: str
    opened_at: str
    closed_at: str | None
    synthetic: bool
    plan: PlanOut
    public_form_url: str
    url: str
    results_url: str


class SurveyPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[SurveyOut]


class ShareOut(Schema):
    key: str
    label: str
    count: int
    percent: float
    ci95_low: float
    ci95_high: float


class DistributionOut(Schema):
    valid: int
    levels: list[ShareOut]
    index: ShareOut


class PartOut(DistributionOut):
    name: str
    quota: int | None = None


class ResultsOut(Schema):
    survey_id: int
    status: str
    planned: int
    valid: int
    voided: int
    response_rate: float
    criterion_4_numerator: int
    overall: DistributionOut
    hamlets: list[PartOut]
    channels: list[PartOut]


class AnswerIn(Schema):
    channel: Literal["paper", "phone"]
    level: int = Field(..., ge=1, le=10, description="1 = thụt lùi … 4 = tiến bộ rõ rệt")
    topics: dict[str, str] = Field(default_factory=dict, max_length=20)
    hamlet_id: int | None = Field(None, ge=1, le=MAX_INT)
    age_band: str = Field("", max_length=SHORT)
    sex: str = Field("", max_length=SHORT)
    identity: str = Field("", max_length=SHORT, description="số điện thoại / CCCD; chỉ lưu mã băm")


class AnswerCreated(Schema):
    id: int
    survey_id: int
    channel: str
    created_at: str


def surveys_for(user):
    """Those the caller's roles reach, and every survey of a published assessment."""
    return (Survey.objects.filter(Q(pk__in=visible_surveys(user).values("pk"))
                                  | Q(assessment__in=published_assessments()))
            .select_related("assessment__round", "assessment__unit"))


def survey_dict(request, s: Survey) -> dict:
    return {
        "id": s.pk, "code": s.code, "unit": unit_ref(s.assessment.unit), "year": s.assessment.round.year,
        "assessment_id": s.assessment_id, "status": s.status,
        "questionnaire": f"{s.questionnaire_code} v{s.questionnaire_version}",
        "opened_at": s.opened_at.isoformat(), "closed_at": s.closed_at.isoformat() if s.closed_at else None,
        "synthetic": s.synthetic,
        "plan": {"frame_kind": s.frame_kind, "method": s.method, "margin": str(s.margin), "confidence": s.confidence,
                 "population": s.population, "planned": s.planned,
                 "hamlets": [{"id": h.pk, "name": h.name, "size": h.size, "quota": h.quota} for h in s.hamlets.all()]},
        "public_form_url": absolute(request, "surveys:public_form", s.code),
        "url": absolute(request, "api:v1:survey_detail", s.pk),
        "results_url": absolute(request, "api:v1:survey_results", s.pk),
    }


def _distribution(d: Distribution, results) -> dict:
    q = results.questionnaire

    def share(key, label, s) -> dict:
        low, high = s.interval
        return {"key": key, "label": label, "count": s.count, "percent": round(s.percent, 4),
                "ci95_low": round(low, 4), "ci95_high": round(high, 4)}

    return {"valid": d.total, "levels": [share(o.key, o.label, s) for o, s in zip(q.levels, d.shares)],
            "index": share("index", q.index_name, d.index)}


def _survey_or_404(user, survey_id: int) -> Survey:
    survey = surveys_for(user).filter(pk=survey_id).first()
    if survey is None:
        raise not_found(f"Không tìm thấy khảo sát {survey_id}", f"survey {survey_id} not found")
    return survey


@router.get("/surveys", response=responses(SurveyPage), url_name="survey_list", openapi_extra=OPTIONAL_SECURITY,
            summary="Các khảo sát và kế hoạch mẫu (survey plans)")
def survey_list(request, year: int | None = year_param(), limit: int = limit_param(), offset: int = offset_param()):
    surveys = surveys_for(request.auth.user).order_by("-assessment__round__year", "assessment__unit__code", "pk")
    if year is not None:
        surveys = surveys.filter(assessment__round__year=year)
    rows, envelope = page(request, surveys.prefetch_related("hamlets"), limit=limit, offset=offset)
    return {**envelope, "results": [survey_dict(request, s) for s in rows]}


@router.get("/surveys/{survey_id}", response=responses(SurveyOut), url_name="survey_detail",
            openapi_extra=OPTIONAL_SECURITY, summary="Một khảo sát và kế hoạch mẫu")
def survey_detail(request, survey_id: int = Path(..., ge=1, le=MAX_INT)):
    return survey_dict(request, _survey_or_404(request.auth.user, survey_id))


@router.get("/surveys/{survey_id}/results", response=responses(ResultsOut), url_name="survey_results",
            openapi_extra=OPTIONAL_SECURITY, summary="Kết quả tổng hợp (không bao giờ từng phiếu)")
def survey_results(request, survey_id: int = Path(..., ge=1, le=MAX_INT)):
    survey = _survey_or_404(request.auth.user, survey_id)
    r = selectors.results(survey, with_topics=False)
    return {
        "survey_id": survey.pk, "status": survey.status, "planned": survey.planned, "valid": r.valid,
        "voided": r.voided, "response_rate": round(r.response.percent, 4), "criterion_4_numerator": r.fed_numerator,
        "overall": _distribution(r.overall, r),
        "hamlets": [{"name": h.name, "quota": h.quota, **_distribution(h.distribution, r)} for h in r.hamlets],
        "channels": [{"name": value, **_distribution(d, r)} for value, _label, d in r.channels],
    }


@router.post("/surveys/{survey_id}/answers", response=responses(AnswerCreated, 403, ok_status=201),
             url_name="survey_answer", auth=token_required,
             summary="Ghi một phiếu giấy / điện thoại (cán bộ của xã, Thư ký Hội đồng)")
def survey_answer(request, payload: AnswerIn, survey_id: int = Path(..., ge=1, le=MAX_INT)):
    survey = _survey_or_404(request.auth.user, survey_id)
    answer = do_submit_answer(actor=request.auth.user, survey=survey, **payload.model_dump())
    return Status(201, {"id": answer.pk, "survey_id": survey.pk, "channel": answer.channel,
                        "created_at": answer.created_at.isoformat()})
