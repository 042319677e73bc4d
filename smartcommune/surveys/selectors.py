"""Reading surveys: the results, read from the counts kept per hamlet, channel and level
(:class:`~smartcommune.surveys.models.AnswerCount`) and per option of the optional
questions (:class:`~smartcommune.surveys.models.TopicCount`), written with every answer,
never answer by answer, so a province-wide survey of a million answers reads a few hundred
rows.

Only answers not voided count.  :func:`results` gives the distribution over the four
levels overall, per hamlet (with its quota and progress) and per channel, each share with
its Wilson interval, the satisfaction index the questionnaire defines, the response rate
against the planned sample, and the counts of the optional questions (criterion 3.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from smartcommune.surveys import registry, sampling
from smartcommune.surveys.models import Answer, AnswerCount, Channel, Survey, TopicCount
from smartcommune.surveys.questionnaire import Questionnaire


@dataclass(frozen=True, slots=True)
class Share:
    count: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        low, high = sampling.wilson(self.count, self.total)
        return (100 * low, 100 * high)


@dataclass(slots=True)
class Distribution:
    """Counts per level (index 0 is level 1) and the index levels of the questionnaire."""

    counts: list[int]
    index_levels: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def shares(self) -> list[Share]:
        return [Share(n, self.total) for n in self.counts]

    @property
    def index(self) -> Share:
        return Share(sum(self.counts[level - 1] for level in self.index_levels), self.total)


@dataclass(slots=True)
class HamletRow:
    name: str
    size: int
    quota: int
    distribution: Distribution

    @property
    def progress(self) -> Share:
        return Share(min(self.distribution.total, self.quota), self.quota)


@dataclass(slots=True)
class TopicRow:
    key: str
    topic: str
    text: str
    options: list[tuple[str, int]]
    unanswered: int


@dataclass(slots=True)
class Results:
    survey: Survey
    questionnaire: Questionnaire
    overall: Distribution
    hamlets: list[HamletRow]
    unassigned: Distribution
    channels: list[tuple[str, str, Distribution]]
    topics: list[TopicRow] = field(default_factory=list)
    voided: int = 0

    @property
    def valid(self) -> int:
        return self.overall.total

    @property
    def response(self) -> Share:
        """Valid answers against the planned sample (may pass 100 %)."""
        return Share(self.valid, self.survey.planned)

    @property
    def overall_rows(self) -> list[tuple[str, int, Distribution]]:
        """``(name, quota, distribution)`` rows of the tables, the commune's one row."""
        return [(self.survey.assessment.unit.name, self.survey.planned, self.overall)]

    @property
    def hamlet_rows(self) -> list[tuple[str, int | str, Distribution]]:
        rows: list[tuple[str, int | str, Distribution]] = [(h.name, h.quota, h.distribution) for h in self.hamlets]
        if self.unassigned.total:
            rows.append(("(không nêu ấp)", "", self.unassigned))
        return rows

    @property
    def channel_rows(self) -> list[tuple[str, str, Distribution]]:
        return [(label, "", d) for _value, label, d in self.channels]

    @property
    def fed_numerator(self) -> int:
        """What criterion 4's numerator receives: the valid answers, at most the plan."""
        return min(self.valid, self.survey.planned)


def level_counts(survey: Survey) -> dict[tuple[int | None, str, int], int]:
    """``{(hamlet id, channel, level): answers}`` of the valid answers."""
    rows = AnswerCount.objects.filter(survey=survey, n__gt=0).values_list("hamlet_id", "channel", "level", "n")
    return {(h, c, level): n for h, c, level, n in rows}


def valid_count(survey: Survey) -> int:
    """How many valid answers the survey has."""
    return AnswerCount.objects.filter(survey=survey).aggregate(n=Sum("n"))["n"] or 0


def results(survey: Survey, *, with_topics: bool = True) -> Results:
    q = registry.of_survey(survey)
    size = len(q.levels)
    counts = level_counts(survey)

    def distribution(keep) -> Distribution:
        levels = [0] * size
        for (h, c, level), n in counts.items():
            if keep(h, c) and 1 <= level <= size:
                levels[level - 1] += n
        return Distribution(levels, q.index_levels)

    hamlets = [HamletRow(h.name, h.size, h.quota, distribution(lambda hid, c, pk=h.pk: hid == pk))
               for h in survey.hamlets.all()]
    channels = [(value, str(label), distribution(lambda hid, c, v=value: c == v))
                for value, label in Channel.choices if any(key[1] == value for key in counts)]
    out = Results(
        survey=survey, questionnaire=q, overall=distribution(lambda hid, c: True), hamlets=hamlets,
        unassigned=distribution(lambda hid, c: hid is None), channels=channels,
        voided=Answer.objects.filter(survey=survey, voided_at__isnull=False).count(),
    )
    if with_topics and q.topics:
        out.topics = topic_counts(survey, q)
    return out


def topic_counts(survey: Survey, q: Questionnaire) -> list[TopicRow]:
    """The optional questions' counts, read from the counts kept with every answer."""
    seen: dict[tuple[str, str], int] = {
        (t, o): n for t, o, n in TopicCount.objects.filter(survey=survey).values_list("topic", "option", "n")}
    valid = valid_count(survey)
    out = []
    for t in q.topics:
        options = [(o.label, seen.get((t.key, o.key), 0)) for o in t.options]
        out.append(TopicRow(t.key, t.topic, t.text, options, valid - sum(n for _, n in options)))
    return out


def topic_answers_of(*, unit_id: int, year: int) -> list[TopicRow] | None:
    """The answers of a commune's survey of ``year`` to the optional questions on public
    services, planning and budget (the 3.4 questions): per question, the count per option
    and of answers without one — aggregates only, never an answer or a respondent.  ``None``
    when the commune has no survey that year or its questionnaire asks none of them (for
    the disclosure app's yearly feedback report)."""
    survey = (Survey.objects.filter(assessment__unit_id=unit_id, assessment__round__year=year)
              .order_by("-opened_at", "-pk").first())
    if survey is None:
        return None
    q = registry.of_survey(survey)
    return topic_counts(survey, q) if q.topics else None
