"""Who may do what with a commune's survey; built on :mod:`smartcommune.rounds.access`.

=====================================  ==============================================
who                                    may
=====================================  ==============================================
the province's secretariat             open a survey for any commune of the round, set
                                       its plan, enter and import answers, void an
                                       answer (with a reason), close it, reopen it
                                       (with a reason) before the assessment is
                                       decided
an officer of the commune              the same for the commune's own survey, except
                                       voiding (nobody at the commune edits or removes
                                       an answer)
anyone whose roles reach the           see the survey, its plan and results (district
assessment                             reviewers, agency verifiers)
anyone                                 answer an open survey through its public form;
                                       see its aggregated results once the assessment
                                       is published
=====================================  ==============================================
"""

from __future__ import annotations

from django.db.models import QuerySet

from smartcommune.rounds import access as rounds_access
from smartcommune.rounds.models import Assessment
from smartcommune.surveys.models import Survey


def _runs(user, assessment: Assessment) -> bool:
    return (rounds_access.is_secretariat_of(user, assessment.round.province)
            or rounds_access.is_officer_of(user, assessment.unit))


def may_open_survey(user, assessment: Assessment) -> bool:
    """The province's secretariat, or an officer of the commune, while the assessment is
    not decided (a frozen assessment takes no new counts)."""
    return not assessment.frozen and _runs(user, assessment)


def may_run_survey(user, survey: Survey) -> bool:
    """Set the plan, enter and import answers, close: secretariat or commune officer."""
    return _runs(user, survey.assessment)


def may_void_answers(user, survey: Survey) -> bool:
    return rounds_access.is_secretariat_of(user, survey.assessment.round.province)


def may_reopen_survey(user, survey: Survey) -> bool:
    """The province's secretariat (the action refuses it too once the assessment is
    decided or published: criterion 4's counts are then final)."""
    return rounds_access.is_secretariat_of(user, survey.assessment.round.province)


def visible_surveys(user) -> QuerySet[Survey]:
    """The surveys of every assessment ``user``'s roles reach (administrators: all)."""
    return Survey.objects.filter(assessment__in=rounds_access.assessments_in_scope(user))


def results_are_public(survey: Survey) -> bool:
    """Aggregated results are public once the assessment is published."""
    return rounds_access.is_published(survey.assessment)
