"""Reads of the register and the desk: what a page lists, the yearly counts of 3.1–3.3 and
the feedback statistics of 3.4.  Counting is done by the database, a few queries whatever
the number of communes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet

from smartcommune.accounts.models import Role
from smartcommune.disclosure import access, config
from smartcommune.disclosure.workdays import add_working_days
from smartcommune.rounds import access as rounds_access
from smartcommune.rounds.models import Assessment
from smartcommune.units.models import Unit
from smartcommune.disclosure.models import (
    Broadcast, ChannelLink, Feedback, FeedbackStatus, InboundAddress, Item, Posting,
)


def with_channels(items: QuerySet[Item]) -> QuerySet[Item]:
    """``items`` annotated with ``on_web``, ``on_loudspeaker``, ``on_posting`` (booleans)."""
    return items.annotate(
        on_loudspeaker=Exists(Broadcast.objects.filter(item=OuterRef("pk"))),
        on_posting=Exists(Posting.objects.filter(item=OuterRef("pk"))),
    )


def on_all_channels() -> Q:
    """Items out on the three required channels (of :func:`with_channels` items)."""
    return Q(published_at__isnull=False, on_loudspeaker=True, on_posting=True)


def inbound_addresses(unit_id: int) -> QuerySet[InboundAddress]:
    """The commune's e-mail addresses and SMS numbers for feedback (shown on its public page)."""
    return InboundAddress.objects.filter(unit_id=unit_id).order_by("channel", "address")


def published_items(unit_id: int) -> QuerySet[Item]:
    """What the public sees of a commune's register."""
    return Item.objects.filter(unit_id=unit_id, published_at__isnull=False)


@dataclass
class KindCount:
    kind: str
    label: str
    criterion: str
    total: int = 0
    on_three: int = 0


def register_counts(unit_ids: list[int], year: int, criteria_set_code: str) -> dict[int, dict[str, KindCount]]:
    """``{commune id: {kind: KindCount}}``: per kind of the set, the year's items and those
    out on the three required channels (one query)."""
    kinds = config.kinds(criteria_set_code)
    result = {u: {k.code: KindCount(k.code, k.label, k.criterion) for k in kinds} for u in unit_ids}
    rows = (
        with_channels(Item.objects.filter(unit_id__in=unit_ids, year=year, kind__in=[k.code for k in kinds]))
        .order_by().values("unit_id", "kind")
        .annotate(total=Count("pk"), on_three=Count("pk", filter=on_all_channels()))
    )
    for row in rows:
        count = result[row["unit_id"]][row["kind"]]
        count.total, count.on_three = row["total"], row["on_three"]
    return result


def criteria_set_code_of(unit) -> str:
    """The criteria set of the commune's latest round (the first configured set without one)."""
    latest = Assessment.objects.filter(unit=unit).select_related("round").order_by("-round__year").first()
    return latest.round.criteria_set_code if latest else next(iter(config.option("kinds")), "")


def channel_open(unit_ids: list[int], year: int) -> set[int]:
    """The communes whose public page (and so its feedback form) was open during ``year``:
    at least one item published on it by the end of the year."""
    return set(Item.objects.filter(unit_id__in=unit_ids, published_at__year__lte=year)
               .values_list("unit_id", flat=True).distinct())


def late_unanswered(unit_ids: list[int], year: int, today: date) -> set[int]:
    """The communes with feedback of ``year`` still open past its deadline."""
    return set(Feedback.objects.filter(unit_id__in=unit_ids, year=year, status=FeedbackStatus.OPEN,
                                       due_on__lt=today).values_list("unit_id", flat=True).distinct())


def feedback_met(unit_ids: list[int], year: int, today: date) -> dict[int, bool]:
    """The feedback condition of 3.1–3.3 per commune, by the configured reading."""
    reading = config.feedback_reading()
    reachable = channel_open(unit_ids, year)
    late = late_unanswered(unit_ids, year, today) if reading == "reachable_and_answered" else set()
    return {u: u in reachable and u not in late for u in unit_ids}


@dataclass
class FeedbackStats:
    received: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    handled: int = 0
    within_deadline: int = 0
    overdue: int = 0
    mean_days: float | None = None
    """Mean time from receipt to answer or forwarding, in days."""

    @property
    def within_share(self) -> float | None:
        """The share of handled feedback answered or forwarded by its deadline (0–100)."""
        return None if not self.handled else 100 * self.within_deadline / self.handled


def feedback_stats(feedback: QuerySet[Feedback], today: date) -> FeedbackStats:
    """The statistics of the 3.4 report over ``feedback`` (one commune's year, or more)."""
    stats = FeedbackStats()
    feedback = feedback.order_by()
    for column, target in (("kind", stats.by_kind), ("channel", stats.by_channel), ("status", stats.by_status)):
        for row in feedback.values(column).annotate(n=Count("pk")):
            target[row[column]] = row["n"]
    stats.received = sum(stats.by_status.values())
    answered = feedback.filter(status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.FORWARDED])
    totals = answered.aggregate(
        handled=Count("pk"), within=Count("pk", filter=Q(handled_at__date__lte=F("due_on"))),
    )
    stats.handled, stats.within_deadline = totals["handled"], totals["within"]
    stats.overdue = feedback.filter(status=FeedbackStatus.OPEN, due_on__lt=today).count()
    mean = answered.aggregate(mean=Avg(F("handled_at") - F("received_at")))["mean"]
    stats.mean_days = None if mean is None else mean.total_seconds() / 86400
    return stats


def stats_by_unit(unit_ids: list[int], year: int, today: date) -> dict[int, dict[str, int]]:
    """Per commune of ``unit_ids``: received, handled, handled within the deadline and
    overdue feedback of ``year`` (one query: the queues' figures)."""
    rows = (
        Feedback.objects.filter(unit_id__in=unit_ids, year=year).order_by().values("unit_id").annotate(
            received=Count("pk"),
            handled=Count("pk", filter=Q(status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.FORWARDED])),
            within=Count("pk", filter=Q(status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.FORWARDED],
                                        handled_at__date__lte=F("due_on"))),
            overdue=Count("pk", filter=Q(status=FeedbackStatus.OPEN, due_on__lt=today)),
        )
    )
    result = defaultdict(lambda: {"received": 0, "handled": 0, "within": 0, "overdue": 0})
    for row in rows:
        result[row.pop("unit_id")] = row
    return result


def computed_values(unit_ids: list[int], year: int, criteria_set_code: str, today: date) -> dict[int, dict[str, dict]]:
    """``{commune id: {criterion: {"numerator", "denominator", "met"}}}``: the ratio of each
    kind's criterion (items on the three required channels / items of that kind in the
    year) and its feedback condition (:func:`feedback_met`).  3.4 is not here: it is met
    when the year's report is produced (:mod:`smartcommune.disclosure.feed`)."""
    counts = register_counts(unit_ids, year, criteria_set_code)
    met = feedback_met(unit_ids, year, today)
    return {
        u: {c.criterion: {"numerator": c.on_three, "denominator": c.total, "met": met[u]} for c in counts[u].values()}
        for u in unit_ids
    }


def channel_counts(items: QuerySet[Item]) -> dict[str, dict[str, int]]:
    """Per kind: items, and those on the website, the loudspeakers, the posting, all three
    and another channel (the report's first table)."""
    linked = Exists(ChannelLink.objects.filter(item=OuterRef("pk")))
    rows = with_channels(items).annotate(on_link=linked).order_by().values("kind").annotate(
        total=Count("pk"), web=Count("pk", filter=Q(published_at__isnull=False)),
        loudspeaker=Count("pk", filter=Q(on_loudspeaker=True)), posting=Count("pk", filter=Q(on_posting=True)),
        all_three=Count("pk", filter=on_all_channels()), other=Count("pk", filter=Q(on_link=True)),
    )
    return {row.pop("kind"): row for row in rows}


DUE_SOON_WORKING_DAYS = 3
DESK_WORK_ROWS = 20


@dataclass
class DeskWork:
    """The citizens' feedback waiting for an answer in the communes a user's roles reach,
    for "Việc của tôi": past its deadline, or due within :data:`DUE_SOON_WORKING_DAYS`
    working days."""

    overdue: int
    due_soon: int
    soon_until: date
    communes: list[dict]
    """The communes with any (most overdue first, at most :data:`DESK_WORK_ROWS`):
    ``{"unit", "overdue", "due_soon"}``."""
    oldest: list[Feedback]
    """The longest overdue messages (at most :data:`DESK_WORK_ROWS`), with their commune."""


def desk_work(user, today: date) -> DeskWork | None:
    """What :class:`DeskWork` says for ``user`` (an officer: their communes; a district
    reviewer: the district's; an agency verifier or the secretariat: the province's);
    ``None`` when no role of theirs reaches a commune.  Three queries."""
    roles = rounds_access.units_by_role(user)
    if not any(roles[r] for r in (Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.AGENCY_VERIFIER,
                                  Role.SECRETARIAT)):
        return None
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    waiting = Feedback.objects.filter(access.unit_scope(user), status=FeedbackStatus.OPEN, due_on__lte=soon)
    rows = list(waiting.order_by().values("unit_id").annotate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), due_soon=Count("pk", filter=Q(due_on__gte=today)),
    ))
    rows.sort(key=lambda r: (-r["overdue"], -r["due_soon"], r["unit_id"]))
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows[:DESK_WORK_ROWS]])
    return DeskWork(
        overdue=sum(r["overdue"] for r in rows), due_soon=sum(r["due_soon"] for r in rows), soon_until=soon,
        communes=[{"unit": units[r["unit_id"]], "overdue": r["overdue"], "due_soon": r["due_soon"]}
                  for r in rows[:DESK_WORK_ROWS]],
        oldest=list(waiting.filter(due_on__lt=today).select_related("unit").only(
            "tracking_code", "due_on", "received_at", "kind", "channel", "unit__name", "unit__id",
        ).order_by("due_on", "pk")[:DESK_WORK_ROWS]),
    )
