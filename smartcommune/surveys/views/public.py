"""The public side of a survey: the form anyone answers without signing in (reached by
``/s/<code>/``, printed as a QR code on the poster), its thank-you page and, once the
assessment is published, the aggregated results.

The form is one page of plain HTML with a small style sheet: no script, no font, nothing
from elsewhere, so it loads on a cheap phone over a slow network.  It is never cached
(it carries a CSRF token and a signed time stamp, see :mod:`smartcommune.surveys.guard`).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from smartcommune.core.clients import client_address
from smartcommune.rounds.exceptions import RoundError
from smartcommune.surveys import access, guard, registry, selectors
from smartcommune.surveys.charts import results_charts
from smartcommune.surveys.actions import do_submit_answer
from smartcommune.surveys.models import Channel, Survey
from smartcommune.surveys.views.common import answer_fields, problem_fields

MAX_CODE = 12
# What the form, the answer and the thank-you and closed pages read of a survey: only these
# columns are selected and built on each of an answer's three requests.
ANSWERING_FIELDS = ("code", "status", "questionnaire", "synthetic", "assessment__round__year",
                    "assessment__unit__name")


def _survey_or_404(code: str, fields: tuple[str, ...] = ()) -> Survey:
    """The survey of ``code`` (with only ``fields`` loaded, when given), or 404."""
    surveys = Survey.objects.select_related("assessment", "assessment__round", "assessment__unit")
    try:  # the code is unique: get() compiles no ordering, as first() would
        return (surveys.only(*fields) if fields else surveys).get(code=code[:MAX_CODE])
    except Survey.DoesNotExist:
        raise Http404("Không tìm thấy khảo sát (survey not found).") from None


def _form(request: HttpRequest, survey: Survey, *, status: int = 200, errors=None, given=None) -> HttpResponse:
    return render(request, "surveys/public_form.html", {
        "survey": survey, "q": registry.of_survey(survey), "hamlets": list(survey.hamlets.all()),
        "stamp": guard.form_stamp(survey.code), "errors": errors or {}, "given": given or {},
        "honeypot": guard.HONEYPOT,
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, code: str) -> HttpResponse:
    survey = _survey_or_404(code, ANSWERING_FIELDS)
    if not survey.is_open:
        return render(request, "surveys/public_closed.html", {"survey": survey}, status=410 if request.method == "POST"
                      else 200)
    if request.method == "GET":
        return _form(request, survey)
    wait = guard.rate_limited(survey.code, client_address(request))
    if wait is not None:
        response = render(request, "surveys/public_closed.html", {"survey": survey, "wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    q = registry.of_survey(survey)
    given = answer_fields(request.POST, q)
    if guard.looks_automated(survey.code, request.POST.get("stamp", "")[:200], request.POST.get(guard.HONEYPOT, "")):
        return _form(request, survey, status=400, given=given, errors={
            "__all__": "Phiếu chưa được gửi: hãy đọc câu hỏi, chọn câu trả lời rồi bấm Gửi (không gửi tự động)."})
    try:
        do_submit_answer(survey=survey, channel=Channel.WEB, **given)
    except RoundError as error:
        return _form(request, survey, status=400, given=given, errors=problem_fields(error))
    return redirect("surveys:public_thanks", code=survey.code)


@never_cache
@require_GET
def public_thanks(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "surveys/public_thanks.html", {"survey": _survey_or_404(code, ANSWERING_FIELDS)})


@require_GET
def public_results(request: HttpRequest, code: str) -> HttpResponse:
    """Aggregated results for everyone, once the commune's assessment is published."""
    survey = _survey_or_404(code)
    if not access.results_are_public(survey):
        raise Http404("Kết quả khảo sát chưa được công bố (not published).")
    results = selectors.results(survey)
    return render(request, "surveys/public_results.html", {
        "survey": survey, "results": results, "charts": results_charts(results)})
