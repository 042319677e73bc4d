"""The questionnaire templates the product offers: the shipped directory, then the
directories of ``SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS`` (a province's own files, which
replace a shipped template of the same code).  Read on every call: a file dropped into a
directory is offered at once, without a restart or code."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from smartcommune.surveys.questionnaire import Questionnaire, QuestionnaireError, load_dirs, parse

SHIPPED_DIR = Path(__file__).resolve().parent / "questionnaires"
DEFAULT_CODE = "hai-long-tien-bo-xa"


def questionnaire_dirs() -> list[Path]:
    return [SHIPPED_DIR, *map(Path, getattr(settings, "SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS", []))]


def available() -> dict[str, Questionnaire]:
    return load_dirs(questionnaire_dirs())


def of_survey(survey) -> Questionnaire:
    """The template a survey was opened with (its stored copy)."""
    return parse(survey.questionnaire, f"survey {survey.pk}")


__all__ = ["DEFAULT_CODE", "QuestionnaireError", "available", "of_survey", "questionnaire_dirs"]
