"""Questionnaire templates: the shipped one, a province's own replacing it without code, a
bad file named by the check; a survey keeps the copy it was opened with."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartcommune.surveys import registry
from smartcommune.surveys.actions import do_open_survey
from smartcommune.surveys.checks import check_questionnaires
from smartcommune.surveys.questionnaire import QuestionnaireError, parse
from tests.rounds.fixtures import assessment_of

SHIPPED = (registry.SHIPPED_DIR / "hai-long-tien-bo-xa.toml").read_text(encoding="utf-8")


def test_the_shipped_template_has_the_regulations_four_levels():
    q = registry.available()[registry.DEFAULT_CODE]
    assert [o.label for o in q.levels] == ["Thụt lùi", "Không tiến bộ", "Tiến bộ không rõ rệt", "Tiến bộ rõ rệt"]
    assert q.index_levels == (3, 4)
    assert {t.topic for t in q.topics} == {"public_services", "planning", "budget"}


def test_a_provinces_file_replaces_the_shipped_one_and_running_surveys_keep_theirs(world, round_bt, settings,
                                                                                      tmp_path: Path):
    first = do_open_survey(actor=world.secretariat, assessment=assessment_of(round_bt, world.a))
    (tmp_path / "own.toml").write_text(SHIPPED.replace("version = 1", "version = 2").replace(
        'label = "Hài lòng"', 'label = "Rất hài lòng"'), encoding="utf-8")
    settings.SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS = [str(tmp_path)]
    second = do_open_survey(actor=world.secretariat, assessment=assessment_of(round_bt, world.b))
    assert (first.questionnaire_version, second.questionnaire_version) == (1, 2)
    assert registry.of_survey(first).topics[0].options[0].label == "Hài lòng"
    assert registry.of_survey(second).topics[0].options[0].label == "Rất hài lòng"
    assert check_questionnaires() == []


def test_a_bad_file_is_named_by_the_check(settings, tmp_path: Path):
    (tmp_path / "bad.toml").write_text(SHIPPED.replace('  { key = "tien_bo_ro_ret", label = "Tiến bộ rõ rệt" },\n',
                                                       ""), encoding="utf-8")
    settings.SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS = [str(tmp_path)]
    [error] = check_questionnaires()
    assert error.id == "smartcommune.E041" and "bad.toml" in error.msg and "đúng 4 mức" in error.msg
    settings.SMARTCOMMUNE_SURVEY_QUESTIONNAIRE_DIRS = [str(tmp_path / "nowhere")]
    assert check_questionnaires()[0].id == "smartcommune.E041"


@pytest.mark.parametrize("data, problem", [
    ({}, ".code"),
    ({"code": "x", "version": 0}, ".version"),
    ({"code": "x", "version": 1, "main": {"levels": "bốn"}}, "main.levels"),
])
def test_parse_names_every_problem(data, problem):
    with pytest.raises(QuestionnaireError) as caught:
        parse(data)
    assert any(problem in p for p in caught.value.problems)
