"""A survey of commune A in the world of tests/rounds (2024 round), and helpers."""

from __future__ import annotations

import pytest

from smartcommune.surveys.actions import do_open_survey, do_set_plan, do_submit_answer
from smartcommune.surveys.models import Channel
from tests.rounds.fixtures import assessment_of

HAMLETS = [("Ấp 1", 400), ("Ấp 2", 350), ("Ấp 3", 250)]


def open_survey(world, round_, commune=None, *, actor=None, plan=True):
    assessment = assessment_of(round_, commune or world.a)
    survey = do_open_survey(actor=actor or world.secretariat, assessment=assessment)
    if plan:
        survey = do_set_plan(actor=actor or world.secretariat, survey=survey, frame_kind="households",
                             hamlets=HAMLETS, margin="0.1")
    return survey


def answer(survey, level=4, **kwargs):
    kwargs.setdefault("channel", Channel.WEB)
    return do_submit_answer(survey=survey, level=level, **kwargs)


@pytest.fixture
def survey(world, round_bt):
    return open_survey(world, round_bt)
