"""What the survey views share: finding a survey the user may see (404 otherwise, so its
existence is not disclosed), reading the answer fields of a form, showing errors."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from smartcommune.rounds.exceptions import RoundError
from smartcommune.surveys.access import visible_surveys
from smartcommune.surveys.models import Survey
from smartcommune.surveys.questionnaire import Questionnaire

MAX_FIELD = 100


def visible_survey_or_404(request: HttpRequest, survey_id: int) -> Survey:
    survey = (visible_surveys(request.user)
              .select_related("assessment", "assessment__round", "assessment__round__province", "assessment__unit")
              .filter(pk=survey_id).first())
    if survey is None:
        raise Http404("Không tìm thấy khảo sát (survey not found).")
    return survey


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def answer_fields(post, q: Questionnaire) -> dict:
    """The answer fields of a submitted form, bounded; what cannot be read is left for the
    action to refuse (a level that is not a number becomes ``None``)."""
    return {
        "level": _int_or_none(post.get("level", "")),
        "topics": {t.key: post.get(f"topic_{t.key}", "")[:MAX_FIELD] for t in q.topics},
        "hamlet_id": _int_or_none(post.get("hamlet", "")),
        "age_band": post.get("age_band", "")[:MAX_FIELD],
        "sex": post.get("sex", "")[:MAX_FIELD],
        "identity": post.get("identity", "")[:MAX_FIELD],
    }


def problem_fields(error: RoundError) -> dict[str, str]:
    """``{field: message}`` of a refusal, for showing each beside its field."""
    return {p.field or "__all__": p.vi for p in getattr(error, "problems", [])}
