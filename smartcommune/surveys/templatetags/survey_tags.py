from django import template

register = template.Library()


@register.inclusion_tag("surveys/_queue_proof.html")
def survey_proof(assessment, criterion_code: str):
    """On a verifier's queue row of criterion 4 or 3.4 of an assessment that has a survey
    in the product: the survey's state and counts, with links to its results page and its
    report (PDF; for 3.4 the report of the answers on public services, planning and
    budget).  Nothing for other criteria or an assessment without a survey."""
    from smartcommune.surveys.actions import CRITERION, TOPICS_CRITERION
    from smartcommune.surveys.models import Survey
    from smartcommune.surveys.selectors import valid_count

    if criterion_code not in (CRITERION, TOPICS_CRITERION):
        return {"shown": False}
    survey = Survey.objects.filter(assessment_id=assessment.pk).only("pk", "status", "planned").first()
    if survey is None:
        return {"shown": False}
    return {"shown": True, "survey": survey, "topics": criterion_code == TOPICS_CRITERION,
            "valid": valid_count(survey)}
