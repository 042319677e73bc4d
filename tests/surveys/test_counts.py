"""The counts the results read (AnswerCount) equal a count made independently from the
stored answers after every kind of write: web and officer answers, voids, imports, a
refused import, and the demo generator's recount."""

from __future__ import annotations

from collections import Counter

import pytest

from smartcommune.rounds.exceptions import ValidationFailed
from smartcommune.surveys import registry
from smartcommune.surveys.actions import do_import_answers, do_void_answer, recount_answers
from smartcommune.surveys.models import Answer, AnswerCount, Channel, TopicCount
from smartcommune.surveys.selectors import results, topic_counts, valid_count
from tests.surveys.fixtures import answer, survey  # noqa: F401


def independent(s) -> Counter:
    return Counter((a.hamlet_id, a.channel, a.level) for a in Answer.objects.filter(survey=s) if a.voided_at is None)


def stored(s) -> Counter:
    return Counter({(c.hamlet_id, c.channel, c.level): c.n for c in AnswerCount.objects.filter(survey=s) if c.n})


def independent_topics(s) -> Counter:
    return Counter(item for a in Answer.objects.filter(survey=s) if a.voided_at is None for item in a.topics.items())


def stored_topics(s) -> Counter:
    return Counter({(c.topic, c.option): c.n for c in TopicCount.objects.filter(survey=s) if c.n})


def test_counts_follow_every_write(world, survey):
    hamlets = list(survey.hamlets.all())
    answer(survey, level=4, topics={"ngan_sach": "ro_rang", "dich_vu_cong": "hai_long"})
    answer(survey, level=4, hamlet_id=hamlets[0].pk, topics={"ngan_sach": "ro_rang"})
    answer(survey, level=2, hamlet_id=hamlets[1].pk, channel=Channel.PAPER, actor=world.officer_a)
    do_import_answers(actor=world.officer_a, survey=survey, name="a.csv",
                      data="level,hamlet,channel,ngan_sach\n4,Ấp 1,paper,khong_biet\n3,,phone,\n4,ấp 1,,ro_rang\n"
                      .encode())
    with pytest.raises(ValidationFailed):
        do_import_answers(actor=world.officer_a, survey=survey, name="b.csv", data=b"level\n4\n9\n")
    do_void_answer(actor=world.secretariat, answer=Answer.objects.filter(survey=survey).first(), reason="thử")
    assert stored(survey) == independent(survey) and sum(independent(survey).values()) == 5
    assert stored_topics(survey) == independent_topics(survey) == Counter(
        {("ngan_sach", "ro_rang"): 2, ("ngan_sach", "khong_biet"): 1})  # the voided answer's two are out
    topics = {t.key: t for t in topic_counts(survey, registry.of_survey(survey))}
    assert sum(n for _, n in topics["ngan_sach"].options) + topics["ngan_sach"].unanswered == 5
    r = results(survey, with_topics=False)
    assert r.valid == valid_count(survey) == 5
    assert r.voided == 1 and r.overall.counts == [0, 1, 1, 3]
    assert [h.distribution.total for h in r.hamlets] == [3, 1, 0] and r.unassigned.total == 1


def test_recount_replaces_the_counts_with_the_answers_count(world, survey):
    answer(survey, level=1)
    Answer.objects.bulk_create([Answer(survey=survey, level=3, channel=Channel.WEB, created_at=a.created_at,
                                       topics={"quy_hoach": "ro_rang"}) for a in Answer.objects.filter(survey=survey)] * 3)
    assert stored(survey) != independent(survey)
    recount_answers(survey=survey)
    assert stored(survey) == independent(survey) == Counter({(None, "web", 1): 1, (None, "web", 3): 3})
    assert stored_topics(survey) == independent_topics(survey) == Counter({("quy_hoach", "ro_rang"): 3})
