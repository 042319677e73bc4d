"""The results pages: public, no login needed, each showing what the viewer may see.

Thin: parse the URL and the query, call :mod:`smartcommune.results.selectors` (which asks
:mod:`smartcommune.rounds.access` who sees what), render.  Anything the viewer may
not see answers 404 (the selectors' :class:`~smartcommune.results.selectors.common.ResultsNotFound`),
like the round's views: the public sees published results only, and nothing discloses
that an unpublished one exists.

Query parameters of the overview, the map and the JSON: ``district`` (a district's GSO
code), ``status`` (a workflow status), ``set`` (a criteria set code, when a province runs
two sets in a year) and, on the overview page, ``sort`` (``code``, ``name``, ``district``,
``fields``, ``status``, ``previous``, ``change``; ``-`` in front for descending); the ranking
takes ``district`` and ``set``.  Unknown filter values are ignored rather than refused: they
come from bookmarks and hand-edited links.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from smartcommune.criteria.engine import STATUS_LABELS_VI
from smartcommune.criteria.model import points_text
from smartcommune.results import caching, delivery
from smartcommune.results import map as commune_map
from smartcommune.results.selectors import common
from smartcommune.results.selectors import lineage as lineage_reads
from smartcommune.results.selectors import national as national_reads
from smartcommune.results.selectors import overview as overview_reads
from smartcommune.results.selectors import ranking as ranking_reads
from smartcommune.results.selectors import scorecard as scorecard_reads
from smartcommune.results.selectors import search as search_reads
from smartcommune.results.charts import trend_chart
from smartcommune.results.exports.labels import recognition, workflow_label
from smartcommune.results.selectors.overview import CommuneResult, Overview
from smartcommune.rounds.models import Round
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Level, Unit


SORTS: dict[str, Callable[[CommuneResult], object]] = {
    "code": lambda r: r.unit.code,
    "name": lambda r: (common.fold(r.unit.short_name or r.unit.name), r.unit.code),
    "district": lambda r: (r.district.code if r.district else "", r.unit.code),
    "fields": lambda r: (r.evaluation.fields_met, r.unit.code),
    "status": lambda r: (Workflow.values.index(r.status), r.unit.code),
    "previous": lambda r: (r.previous is None, r.previous or 0, r.unit.code),
    "change": lambda r: (r.previous is None, r.current - (r.previous or 0), r.unit.code),
}


@dataclass(frozen=True)
class _Query:
    """The overview's URL and query, parsed (unknown filter values dropped)."""

    province: Unit
    round: Round
    year: int
    district: Unit | None
    status: str | None
    set_code: str | None

    @property
    def key(self) -> tuple:
        return self.round.pk, self.district.pk if self.district else None, self.status, self.set_code

    @property
    def params(self) -> dict[str, str]:
        """The query that asks for this page again ("" for a parameter not given)."""
        return {"district": self.district.code if self.district else "", "status": self.status or "",
                "set": self.set_code or ""}


# Which province and round a URL names, kept a short while in this process: every request
# for a kept page would otherwise spend two of its three queries on it.  Provinces and
# rounds are created, not changed, by the product; a kept round is checked against the
# stamp (its id and opening time) on every use, and looked up again when they differ (a
# database reset).  A renamed province shows within the TTL.
ROUND_TTL_SECONDS = 60
_rounds: dict[tuple, tuple[float, Unit, Round]] = {}


def _province_round(province_code: str, year: int, set_code: str | None, *, fresh: bool) -> tuple[Unit, Round]:
    key = (province_code, year, set_code)
    kept = None if fresh else _rounds.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1], kept[2]
    province = common.find_province(code=province_code, year=year)
    round_ = common.find_round(province=province, year=year, criteria_set_code=set_code)
    if len(_rounds) > 1000:
        _rounds.clear()
    _rounds[key] = (time.monotonic() + ROUND_TTL_SECONDS, province, round_)
    return province, round_


def _query(request: HttpRequest, province_code: str, year: int, *, fresh: bool = False) -> _Query:
    set_code = request.GET.get("set", "").strip() or None
    province, round_ = _province_round(province_code, year, set_code, fresh=fresh)
    district = None
    if code := request.GET.get("district", "").strip():
        district = Unit.objects.filter(level=Level.DISTRICT, code=code, parent=province).first()
    status = request.GET.get("status", "").strip()
    return _Query(province, round_, year, district, status if status in Workflow.values else None, set_code)


def _overview(request: HttpRequest, q: _Query) -> Overview:
    return overview_reads.province_overview(
        viewer=request.user, province=q.province, year=q.year, district=q.district, status=q.status,
        criteria_set_code=q.set_code,
    )


def _stamped(request: HttpRequest, province_code: str, year: int) -> tuple[_Query, tuple]:
    """The parsed query and the overview's stamp for the viewer (see
    :mod:`smartcommune.results.caching`).  Raises ``ResultsNotFound`` as
    :func:`~smartcommune.results.selectors.overview.province_overview`."""
    q = _query(request, province_code, year)
    try:
        stamp = overview_reads.overview_stamp(viewer=request.user, round_=q.round)
    except common.ResultsNotFound:
        stamp = None
    if stamp is None or dict(stamp[1])[q.round.pk][-1] != str(q.round.opened_at):
        q = _query(request, province_code, year, fresh=True)  # the kept round may be gone
        stamp = overview_reads.overview_stamp(viewer=request.user, round_=q.round)
    return q, stamp


def _answer(request: HttpRequest, page: str, parts: tuple, body: Callable[[], str | bytes],
            around: Callable[[str | bytes, dict], HttpResponse], query: dict[str, str] | None = None) -> HttpResponse:
    """The response of ``page``, kept under ``parts`` (stamp, scope, query…).

    ``body()`` computes the kept content; ``around(body, context)`` makes the response
    around it, ``context`` holding what the page template needs to know whether it is
    public (:mod:`smartcommune.results.delivery`).  Public: the whole response is kept,
    compressed, and sent with its validators (304 when they match).  Signed in: the
    content is kept and the page around it (navigation, CSRF token) made per request,
    private.  ``query``: the parsed parameters the page was made for (the language form
    of a kept public page returns there, not to whatever else the first URL held)."""
    if delivery.is_public(request):
        return delivery.kept(request, caching.page_key(page + ":public", *parts),
                             lambda: around(body(), {"public_page": True, "lang_next": _canonical_path(request, query)}))
    return delivery.private(around(caching.get_or_compute(caching.page_key(page, *parts), body), {}))


def _canonical_path(request: HttpRequest, query: dict[str, str] | None) -> str:
    query = urlencode({k: v for k, v in (query or {}).items() if v})
    return request.path + ("?" + query if query else "")


def _filters(request: HttpRequest, overview: Overview) -> dict[str, str]:
    """The query that reproduces the overview's filters (for links between the pages)."""
    query = {}
    if overview.district is not None:
        query["district"] = overview.district.code
    if overview.status:
        query["status"] = overview.status
    if request.GET.get("set", "").strip():
        query["set"] = overview.round.criteria_set_code
    return query


def _made_per_request(request: HttpRequest, template: str, context: dict,
                      query: dict[str, str] | None = None) -> HttpResponse:
    """A small page made per request (nothing to stamp it by): public, compressed with an
    ETag of its content (:func:`delivery.unkept`), or private."""
    if delivery.is_public(request):
        return delivery.unkept(request, render(request, template, {
            **context, "public_page": True, "lang_next": _canonical_path(request, query)}))
    return delivery.private(render(request, template, context))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Provinces and years with results the viewer may see, and where to find them."""
    return _made_per_request(request, "results/index.html",
                             {"years": national_reads.years_with_results(viewer=request.user)})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Find my commune (``?q=``, accents optional) among the communes whose results the
    viewer may see.  Made per request, never kept: each viewer's scope and query is its own."""
    found = search_reads.find_communes(viewer=request.user, query=request.GET.get("q", ""))
    return _made_per_request(request, "results/search.html", {"found": found}, {"q": found.query})


@require_GET
def overview(request: HttpRequest, province: str, year: int) -> HttpResponse:
    """The province overview, kept per stamp, scope, language, filters and sort
    (:func:`_answer`)."""
    sort = request.GET.get("sort", "code")
    if sort.lstrip("-") not in SORTS:
        sort = "code"
    signed_in = request.user.is_authenticated

    def content(q: _Query) -> str:
        ov = _overview(request, q)
        key = SORTS[sort.lstrip("-")]
        filters = _filters(request, ov)
        return render_to_string("results/_overview_body.html", {
            "ov": ov,
            "rows": sorted(ov.rows, key=key, reverse=sort.startswith("-")),
            "sort": sort,
            "sort_links": {
                name: "?" + urlencode({**filters, "sort": "-" + name if sort == name else name})
                for name in SORTS
            },
            "query": urlencode(filters),
            "status_choices": [(s, workflow_label(s, districts=bool(ov.districts))) for s in ov.statuses],
            "signed_in": signed_in,
        })

    q, stamp = _stamped(request, province, year)
    return _answer(request, "overview", (stamp, *q.key, sort), lambda: content(q),
                   lambda body, extra: render(request, "results/overview.html",
                                              {"province": q.province, "year": year, "body": body,
                                               "recognition": recognition(q.round.criteria_set), **extra}),
                   {**q.params, "sort": "" if sort == "code" else sort})


def _row_json(r: CommuneResult) -> dict:
    return _with_previous(r, {
        "unit_id": r.unit.pk,
        "unit_code": r.unit.code,
        "name": r.unit.name,
        "district": None if r.district is None else {"code": r.district.code, "name": r.district.name},
        "status": r.status,
        "published": r.published,
        "recognised": r.recognised,
        "fields_met": r.evaluation.fields_met,
        "fields_required": r.evaluation.fields_required,
        "smart_commune": r.evaluation.smart_commune,
        "complete": r.evaluation.complete,
        "fields": [{"code": f.group.code, "status": f.status, "points": f.points_text,
                    "points_max": points_text(f.points_max)} for f in r.evaluation.fields],
        "previous_fields_met": r.previous_fields_met,
        "points": r.evaluation.points_text,
        "points_max": points_text(r.evaluation.points_max),
        "level": None if r.evaluation.level is None else r.evaluation.level.code,
        "eligible": r.evaluation.eligible,
        "outcome_certain": r.evaluation.outcome_certain,
    })


def _with_previous(r: CommuneResult, row: dict) -> dict:
    """``row`` with the year before in what the set has beside ``previous_fields_met``:
    ``previous_points`` (decimal string) for a set that scores, ``previous_level`` (its
    code) for a set with levels; null without a visible result that year.  A set like
    Bến Tre's adds neither."""
    criteria_set = r.evaluation.criteria_set
    known = r.previous_fields_met is not None
    if criteria_set.scores:
        row["previous_points"] = points_text(r.previous_points) if known else None
    if criteria_set.levels:
        row["previous_level"] = r.previous_level.code if known and r.previous_level else None
    return row


def _comparison_json(ov: Overview) -> dict:
    """The comparison with the year before; a set that scores adds the average points
    (decimal strings) and a set with levels the communes at each level, both years."""
    cmp = ov.comparison
    data = {
        "previous_year": cmp.previous_year,
        "available": cmp.available,
        "fields_met_before": cmp.fields_met_before,
        "fields_met_now": cmp.fields_met_now,
        "smart_before": cmp.smart_before,
        "smart_now": cmp.smart_now,
        "improved": cmp.improved,
        "declined": cmp.declined,
        "unchanged": cmp.unchanged,
        "new": cmp.new,
    }
    if ov.criteria_set.scores:
        data["average_points_before"] = points_text(cmp.average_points_before)
        data["average_points_now"] = points_text(cmp.average_points_now)
    if ov.criteria_set.levels:
        data["levels_before"] = cmp.levels_before
        data["levels_now"] = cmp.levels_now
    return data


@require_GET
def overview_json(request: HttpRequest, province: str, year: int) -> HttpResponse:
    """The overview as JSON: the same rows, counts and lists as the page, the same scope.
    The body is kept (per stamp, scope, language and filters)."""
    q, stamp = _stamped(request, province, year)
    return _answer(request, "overview.json", (stamp, *q.key), lambda: _overview_json(_overview(request, q)),
                   lambda body, _extra: HttpResponse(body, content_type=delivery.JSON))


def _overview_json(ov: Overview) -> bytes:
    data = {
        "province": {"code": ov.province.code, "name": ov.province.name},
        "year": ov.year,
        "criteria_set": ov.criteria_set.code,
        "recognition_name": ov.criteria_set.recognition_name,
        "synthetic": ov.synthetic,
        "filters": {"district": ov.district.code if ov.district else None, "status": ov.status},
        "rows": [_row_json(r) for r in ov.rows],
        "district_counts": [
            {
                "district": None if c.district is None else {"code": c.district.code, "name": c.district.name},
                "communes": c.communes,
                "by_status": c.by_status,
                "recognised": c.recognised,
                "smart_commune": c.smart,
                "fields_met_total": c.fields_met_total,
            }
            for c in ov.district_counts
        ],
        "most_missed": [
            {"code": m.code, "name": m.name, "field": m.field.code, "count": m.count, "missing": m.missing}
            for m in ov.most_missed
        ],
        "closest": [
            {
                "unit_code": c.result.unit.code,
                "name": c.result.unit.name,
                "fields_met": c.result.evaluation.fields_met,
                "fields_short": c.fields_short,
                "points_short": None if c.points_short is None else points_text(c.points_short),
                "lacks": [
                    {"criterion": x.criterion.code, "field": x.field and x.field.code, "status": x.status, "gap": x.gap,
                     "text": x.text}
                    for x in c.lacks
                ],
            }
            for c in ov.closest
        ],
        "comparison": _comparison_json(ov),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


@require_GET
def map_view(request: HttpRequest, province: str, year: int) -> HttpResponse:
    """The province map, kept like the overview (per stamp, scope, language and filters)."""
    signed_in = request.user.is_authenticated
    q, stamp = _stamped(request, province, year)

    def content() -> str:
        ov = _overview(request, q)
        return render_to_string("results/_map_body.html", {
            "ov": ov,
            "layout": commune_map.layout(ov.rows, criteria_set=ov.criteria_set),
            "communes": sorted(ov.rows, key=lambda r: (r.district.code if r.district else "",
                                                       common.fold(r.unit.short_name or r.unit.name))),
            "query": urlencode(_filters(request, ov)),
            "signed_in": signed_in,
        })

    return _answer(request, "map", (stamp, *q.key), content,
                   lambda body, extra: render(request, "results/map.html",
                                              {"province": q.province, "year": year, "body": body,
                                               "recognition": recognition(q.round.criteria_set), **extra}),
                   q.params)


@require_GET
def ranking(request: HttpRequest, province: str, year: int) -> HttpResponse:
    """The province's results ranked (``?district=`` keeps one district's communes, each
    with its rank in the district and in the province), kept like the overview."""
    signed_in = request.user.is_authenticated
    q, stamp = _stamped(request, province, year)

    def content() -> str:
        ranked = ranking_reads.province_ranking(viewer=request.user, province=q.province, year=q.year,
                                                district=q.district, criteria_set_code=q.set_code)
        query = urlencode({k: v for k, v in q.params.items() if v and k != "status"})
        return render_to_string("results/_ranking_body.html", {
            "ranking": ranked, "ov": ranked.overview, "query": query, "signed_in": signed_in})

    return _answer(request, "ranking", (stamp, *q.key), content,
                   lambda body, extra: render(request, "results/ranking.html",
                                              {"province": q.province, "year": year, "body": body, **extra}),
                   {k: v for k, v in q.params.items() if k != "status"})


@require_GET
def national(request: HttpRequest, year: int) -> HttpResponse:
    """The national summary.  Its content is kept rendered (per stamp, scope and language):
    it evaluates every commune of the year, so it is computed once at a time."""
    signed_in = request.user.is_authenticated
    stamp = national_reads.national_stamp(viewer=request.user, year=year)

    def content() -> str:
        summary = national_reads.national_summary(viewer=request.user, year=year)
        return render_to_string("results/_national_body.html", {"summary": summary, "signed_in": signed_in})

    return _answer(request, "national", (year, stamp), content,
                   lambda body, extra: render(request, "results/national.html", {"year": year, "body": body, **extra}))


@require_GET
def scorecard(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """A commune's scorecard, kept per stamp of the commune's visible assessments (every
    year: the trend shows them), scope, language and set -- and per person when signed in,
    since who may open the evidence depends on their roles.  Evidence: metadata for
    everyone who sees the result; the file (through the permission-checked download) and
    the web address only for people whose roles reach the assessment (see
    ``permissions.may_open_evidence``)."""
    set_code = request.GET.get("set", "").strip() or None
    signed_in = request.user.is_authenticated
    # A kept page is found by the unit's id alone: the unit is read only to make a page.
    links = lineage_reads.lineage_stamp(unit_id=unit_id)
    stamp = scorecard_reads.scorecard_stamp(viewer=request.user, unit_id=unit_id,
                                            linked=lineage_reads.linked_units(links, unit_id=unit_id))

    @functools.cache
    def commune() -> Unit:
        unit = Unit.objects.filter(pk=unit_id, level=Level.COMMUNE).select_related("parent").first()
        if unit is None:
            raise Http404(_("Không tìm thấy xã."))
        return unit

    def content() -> str:
        card = scorecard_reads.commune_scorecard(viewer=request.user, unit=commune(), year=year,
                                                 criteria_set_code=set_code)
        return render_to_string("results/_scorecard_body.html", {
            "card": card,
            "signed_in": signed_in,
            "status_labels": STATUS_LABELS_VI,
            "fields_total": len(card.round.criteria_set.groups),
            "chart": trend_chart(card.trend, fields_required=card.evaluation.fields_required,
                                 points_required=card.round.criteria_set.pass_rule.points_at_least),
            "lineage": lineage_reads.unit_lineage(viewer=request.user, unit=commune()),
        })

    person = request.user.pk if signed_in else None
    return _answer(request, "scorecard", (stamp, links, unit_id, year, set_code, person), content,
                   lambda body, extra: render(request, "results/scorecard.html",
                                              {"unit": commune(), "year": year, "body": body, **extra}),
                   {"set": set_code or ""})
