"""System checks of the survey's settings, with stable IDs.

============================  ===============================================
ID                            what is wrong
============================  ===============================================
``smartcommune.E041``         a questionnaire template (shipped or in
                              ``SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS``) is
                              unreadable or invalid, or a directory is missing
============================  ===============================================
"""

from __future__ import annotations

from django.core.checks import Error, register

from smartcommune.surveys.questionnaire import QuestionnaireError
from smartcommune.surveys.registry import available, questionnaire_dirs


@register()
def check_questionnaires(app_configs=None, **kwargs):
    errors = [
        Error(f"Thư mục mẫu phiếu không tồn tại: {d} (questionnaire directory missing)",
              hint="Sửa SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS (fix SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS).",
              id="smartcommune.E041")
        for d in questionnaire_dirs() if not d.is_dir()
    ]
    if errors:
        return errors
    try:
        available()
    except QuestionnaireError as exc:
        return [Error(f"Mẫu phiếu không hợp lệ (invalid questionnaire) {exc.where}: " + "; ".join(exc.problems),
                      hint="Xem docs/surveys.md (see docs/surveys.md).", id="smartcommune.E041")]
    return []
