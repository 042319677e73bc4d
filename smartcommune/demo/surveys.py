"""The demo's citizen surveys (field 4), for its 2025 round: synthetic, labelled so.

Among the 2025 drafts, the first showcase commune (whose officer has a login) gets an open
survey with answers still arriving; :data:`CLOSED` other drafts get a survey that their
officer closed, which fed criterion 4 and attached the reports as evidence (the real
actions).  Each has a sampling plan over invented hamlets; its answers come from a seeded
generator and are written in one ``bulk_create`` per survey (a demo build stays fast),
then closed through :func:`~smartcommune.surveys.actions.do_close_survey` like any other.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.demo.scenario import MARK, calendar, day_at
from smartcommune.rounds.models import Assessment, Status
from smartcommune.surveys.actions import do_close_survey, do_open_survey, do_set_plan, recount_answers
from smartcommune.surveys.models import Answer, Channel

YEAR = 2025
CLOSED = 3
# Chances of each level (thụt lùi … tiến bộ rõ rệt) and of each channel.
LEVEL_WEIGHTS = (4, 11, 35, 50)
CHANNELS = ((Channel.WEB, 60), (Channel.PAPER, 30), (Channel.PHONE, 10))


def load_surveys(*, province, secretariat, showcase: set[str], seed: int, ceiling) -> int:
    """Create the demo's surveys; returns how many.  ``ceiling``: no moment after it."""
    rng = random.Random(f"smartcommune-demo-surveys:{seed}")
    drafts = list(Assessment.objects.filter(round__province=province, round__year=YEAR, status=Status.DRAFT)
                  .select_related("round", "round__province", "unit").order_by("unit__code"))
    shown = [a for a in drafts if a.unit.code in showcase][:1]
    others = [a for a in drafts if a not in shown][:CLOSED]
    officers = dict(RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit__in=[a.unit for a in drafts])
                    .values_list("unit_id", "user"))
    users = get_user_model().objects.in_bulk(list(officers.values()))
    start = min(day_at(calendar(YEAR).fill_from, 9), ceiling)
    for i, assessment in enumerate(others + shown):
        officer = users[officers[assessment.unit_id]]
        moment = min(start + timedelta(days=7 * i), ceiling)
        survey = do_open_survey(actor=secretariat, assessment=assessment, synthetic=True, now=lambda: moment)
        hamlets = [(f"Ấp {n} {MARK}", rng.randrange(150, 700)) for n in range(1, rng.randrange(4, 8))]
        survey = do_set_plan(actor=officer, survey=survey, frame_kind="households", hamlets=hamlets, margin="0.05",
                             now=lambda: moment)
        closing = assessment not in shown
        share = rng.uniform(0.88, 1.08) if closing else rng.uniform(0.5, 0.7)
        _answers(survey, round(survey.planned * share), officer, rng, moment, ceiling)
        if closing:
            closed_at = min(moment + timedelta(days=30), ceiling)
            do_close_survey(actor=officer, survey=survey, now=lambda: closed_at)
    return len(others) + len(shown)


def _answers(survey, n: int, officer, rng: random.Random, since, ceiling) -> None:
    hamlets = list(survey.hamlets.all())
    weights = [h.size for h in hamlets]
    channels, channel_weights = zip(*CHANNELS)
    q = survey.questionnaire
    topics = [(t["key"], [o["key"] for o in t["options"]]) for t in q.get("topics", [])]
    ages = [o["key"] for o in q.get("facts", {}).get("age_bands", [])]
    sexes = [o["key"] for o in q.get("facts", {}).get("sexes", [])]
    answers = []
    for k in range(n):
        channel = rng.choices(channels, channel_weights)[0]
        answers.append(Answer(
            survey=survey, level=rng.choices((1, 2, 3, 4), LEVEL_WEIGHTS)[0],
            topics={key: rng.choice(options) for key, options in topics if rng.random() < 0.7},
            hamlet=rng.choices(hamlets, weights)[0], age_band=rng.choice(ages) if ages else "",
            sex=rng.choice(sexes) if sexes else "", channel=channel,
            entered_by=None if channel == Channel.WEB else officer,
            created_at=min(since + timedelta(minutes=7 * k + rng.randrange(7)), ceiling),
        ))
    Answer.objects.bulk_create(answers, batch_size=1000)
    recount_answers(survey=survey)
