"""What every round view needs: finding an assessment the user may see, and
turning domain errors into messages.

An assessment the user may not see answers 404, not 403, so its existence is
not disclosed; an action the user's roles do not allow answers 403
(:class:`~smartcommune.rounds.exceptions.NotAllowed` is a PermissionDenied).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from smartcommune.core.language import english
from smartcommune.rounds.access import visible_assessments
from smartcommune.rounds.exceptions import RoundError
from smartcommune.rounds.models import Assessment


def visible_assessment_or_404(request: HttpRequest, assessment_id: int) -> Assessment:
    """The assessment, if ``request.user`` may see it; Http404 otherwise."""
    assessment = (
        visible_assessments(request.user)
        .select_related("round", "unit", "unit__parent")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404("Không tìm thấy hồ sơ đánh giá (assessment not found).")
    return assessment


def error_text(error: RoundError) -> str:
    """The message shown to a person: Vietnamese first, English after."""
    return f"{error.vi} ({error.en})"


def error_message(error: RoundError) -> str:
    """:func:`error_text` on a Vietnamese page; the English alone on an English one."""
    return error.en if english() else error_text(error)
