"""The results index (provinces and years with results) and the national summary (one
row per province).  See :mod:`smartcommune.results.selectors` for who sees what."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from smartcommune.criteria.model import CriteriaSet
from smartcommune.rounds import access as permissions
from smartcommune.results import caching
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.evaluation import evaluations_of
from smartcommune.results.selectors.common import DECIDED, ResultsNotFound, average, average_points
from smartcommune.rounds.models import Round
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Level, Unit


@dataclass(frozen=True)
class PublishedYear:
    province: Unit
    year: int
    communes: int
    published: int
    province_communes: int  # every commune of the province, with a result or not


def province_commune_counts(province_ids: set[int], year: int) -> Counter[int]:
    """How many communes each province had in ``year`` (in force on any of its days), directly
    or through its districts.  Two queries."""
    counts: Counter[int] = Counter()
    communes = Unit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1)), valid_from__lte=date(year, 12, 31),
        level=Level.COMMUNE).order_by()
    for key in ("parent_id", "parent__parent_id"):
        for row in communes.filter(**{key + "__in": province_ids}).values(key).annotate(n=Count("pk")):
            counts[row[key]] += row["n"]
    return counts


def years_with_results(*, viewer) -> list[PublishedYear]:
    """Provinces and years with at least one result ``viewer`` may see (published ones for
    the public), newest first, with how many communes each province had that year; two
    queries and two per year."""
    rows = (
        permissions.visible_assessments(viewer)
        .values("round__province_id", "round__year")
        .annotate(n=Count("pk"), published=Count("pk", filter=Q(status=Workflow.PUBLISHED)))
        .order_by("-round__year", "round__province_id")
    )
    rows = list(rows)
    provinces = Unit.objects.in_bulk({r["round__province_id"] for r in rows})
    sizes = {year: province_commune_counts(set(provinces), year) for year in {r["round__year"] for r in rows}}
    return [
        PublishedYear(provinces[r["round__province_id"]], r["round__year"], r["n"], r["published"],
                      sizes[r["round__year"]][r["round__province_id"]])
        for r in rows
    ]


@dataclass(frozen=True)
class ProvinceSummary:
    round: Round
    province: Unit
    communes: int
    published: int
    recognised: int
    smart: int
    fields_met_total: int
    synthetic: bool
    points_total: Fraction = Fraction(0)
    """The communes' points, summed exactly (0 for a set that does not score)."""

    @property
    def average_fields_met(self) -> Decimal:
        return average(self.fields_met_total, self.communes)

    @property
    def average_points(self) -> Decimal:
        return average_points(self.points_total, self.communes)

    @property
    def by_fields(self) -> bool:
        """Whether the province's set recognises by fields met (not by points)."""
        return not self.round.criteria_set.pass_rule.by_points

    @property
    def scores(self) -> bool:
        return self.round.criteria_set.scores


@dataclass(frozen=True)
class NationalSummary:
    year: int
    provinces: list[ProvinceSummary]

    @property
    def communes(self) -> int:
        return sum(p.communes for p in self.provinces)

    @property
    def published(self) -> int:
        return sum(p.published for p in self.provinces)

    @property
    def recognised(self) -> int:
        return sum(p.recognised for p in self.provinces)

    @property
    def smart(self) -> int:
        return sum(p.smart for p in self.provinces)

    @property
    def average_fields_met(self) -> Decimal:
        """Over the provinces whose set recognises by fields met."""
        counted = [p for p in self.provinces if p.by_fields]
        return average(sum(p.fields_met_total for p in counted), sum(p.communes for p in counted))

    @property
    def average_points(self) -> Decimal:
        """Over the provinces whose set scores points."""
        counted = [p for p in self.provinces if p.scores]
        return average_points(sum((p.points_total for p in counted), Fraction(0)), sum(p.communes for p in counted))

    @property
    def by_fields(self) -> bool:
        """Whether any province's set recognises by fields met: the page shows their average."""
        return any(p.by_fields for p in self.provinces)

    @property
    def scores(self) -> bool:
        """Whether any province's set scores points: the page shows their average."""
        return any(p.scores for p in self.provinces)

    @property
    def synthetic(self) -> bool:
        return any(p.synthetic for p in self.provinces)

    @property
    def criteria_sets(self) -> list[CriteriaSet]:
        """The provinces' criteria sets, one each, by code: one set names what the page is
        about; several, and each province's row says what its set recognises."""
        by_code = {p.round.criteria_set_code: p.round.criteria_set for p in self.provinces}
        return [by_code[code] for code in sorted(by_code)]


def national_stamp(*, viewer, year: int) -> tuple:
    """What :func:`national_summary` depends on, cheaply (see
    :mod:`smartcommune.results.caching`): the stamps of the viewer's visible assessments of
    every round of ``year``, and the viewer's scope.  Two queries (and the signed-in
    viewer's roles).  Raises :class:`ResultsNotFound` when :func:`national_summary` would."""
    visible = permissions.visible_assessments(viewer)
    rounds = dict(Round.objects.filter(year=year).values_list("pk", "opened_at"))
    scope = caching.viewer_scope(viewer, visible)
    stamps = caching.kept_stamp((scope, "national", tuple(sorted(rounds))), lambda: visible, rounds)
    if not stamps:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s.") % {"year": year})
    return tuple(sorted(stamps.items())), scope


def national_summary(*, viewer, year: int) -> NationalSummary:
    """One row per province with a round in ``year`` and results ``viewer`` may see:
    communes, published, recognised and the engine's smart communes, fields met and points.  Four
    queries (the assessments, their rounds, the synthetic marks, the values of those whose
    results are not kept).  Raises :class:`ResultsNotFound` when there is none."""
    visible = permissions.visible_assessments(viewer).filter(round__year=year)
    rows = list(visible.values_list("pk", "version", "round_id", "unit__code", "status", "decision_recognised")
                .order_by())
    if not rows:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s.") % {"year": year})
    rounds = {r.pk: r for r in Round.objects.filter(pk__in={row[2] for row in rows}).select_related("province")}
    synthetic = set(SyntheticRound.objects.filter(round_id__in=list(rounds)).values_list("round_id", flat=True))
    evaluations = evaluations_of([(row[0], row[1], rounds[row[2]], row[3]) for row in rows],
                                 superset=visible)
    totals: dict[int, Counter[str]] = defaultdict(Counter)
    points: dict[int, Fraction] = defaultdict(Fraction)
    for pk, _version, round_id, _code, status, recognised in rows:
        t = totals[round_id]
        t["communes"] += 1
        t["published"] += status == Workflow.PUBLISHED
        t["recognised"] += status in DECIDED and bool(recognised)
        t["smart"] += evaluations[pk].smart_commune
        t["fields_met"] += evaluations[pk].fields_met
        points[round_id] += evaluations[pk].points
    provinces = [
        ProvinceSummary(
            round=round_,
            province=round_.province,
            communes=totals[round_id]["communes"],
            published=totals[round_id]["published"],
            recognised=totals[round_id]["recognised"],
            smart=totals[round_id]["smart"],
            fields_met_total=totals[round_id]["fields_met"],
            synthetic=round_id in synthetic,
            points_total=points[round_id],
        )
        for round_id, round_ in rounds.items()
    ]
    provinces.sort(key=lambda p: (p.province.name, p.round.criteria_set_code))
    return NationalSummary(year, provinces)

