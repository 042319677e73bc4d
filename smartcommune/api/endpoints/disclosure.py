"""Field 3 in records (the disclosure register and the feedback desk): items with their
channels, moderated public feedback and a commune's yearly statistics.

Scoping is the web's (:mod:`smartcommune.disclosure.access`): published items for anyone,
unpublished ones for callers whose roles reach the commune; feedback only as the public
page shows it (moderated, without sender or contact); statistics for callers whose roles
reach the commune.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone
from ninja import Path, Query, Router, Schema

from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional
from smartcommune.api.endpoints.common import limit_param, offset_param, page, responses, unit_ref, year_param
from smartcommune.api.errors import not_found
from smartcommune.api.schemas import MAX_INT, PageOut, UnitRef
from smartcommune.disclosure import access, config, selectors
from smartcommune.disclosure.models import Broadcast, Feedback, FeedbackStatus, Item, Posting
from smartcommune.units.models import Level, Unit

router = Router(tags=["Công khai thông tin và phản hồi (disclosure)"], auth=token_optional)


class BroadcastOut(Schema):
    date: dt.date
    hamlets: str


class PostingOut(Schema):
    posted_on: dt.date
    taken_down_on: dt.date | None
    has_photo: bool


class LinkOut(Schema):
    channel: str
    url: str


class ItemOut(Schema):
    id: int
    unit: UnitRef
    year: int
    kind: str
    kind_label: str
    title: str
    document_number: str
    document_date: dt.date | None
    published_at: dt.datetime | None
    broadcasts: list[BroadcastOut]
    postings: list[PostingOut]
    links: list[LinkOut]
    on_three_channels: bool


class ItemPage(PageOut):
    results: list[ItemOut]


class FeedbackOut(Schema):
    id: int
    unit: UnitRef
    item_id: int | None
    kind: str
    message: str
    status: str
    public_answer: str
    received_on: dt.date
    answered_on: dt.date | None


class FeedbackPage(PageOut):
    results: list[FeedbackOut]


class KindStatOut(Schema):
    kind: str
    label: str
    criterion: str
    items: int
    on_three_channels: int


class StatisticsOut(Schema):
    unit: UnitRef
    year: int
    kinds: list[KindStatOut]
    feedback_received: int
    feedback_by_kind: dict[str, int]
    feedback_by_channel: dict[str, int]
    feedback_by_status: dict[str, int]
    answered_or_forwarded: int
    within_deadline: int
    overdue: int
    mean_answer_days: float | None


def _item(i: Item, labels: dict[str, str]) -> dict:
    return {
        "id": i.pk, "unit": unit_ref(i.unit), "year": i.year, "kind": i.kind, "kind_label": labels.get(i.kind, i.kind),
        "title": i.title, "document_number": i.document_number, "document_date": i.document_date,
        "published_at": i.published_at,
        "broadcasts": [{"date": b.date, "hamlets": b.hamlets} for b in i.broadcasts.all()],
        "postings": [{"posted_on": p.posted_on, "taken_down_on": p.taken_down_on, "has_photo": bool(p.photo)}
                     for p in i.postings.all()],
        "links": [{"channel": link.channel, "url": link.url} for link in i.links.all()],
        "on_three_channels": bool(i.published_at and i.on_loudspeaker and i.on_posting),
    }


@router.get("/disclosure/items", response=responses(ItemPage), url_name="disclosure_items",
            openapi_extra=OPTIONAL_SECURITY, summary="Thông tin phải công khai và các phương tiện đã đăng")
def items(request, unit: int | None = Query(None, ge=1, le=MAX_INT), year: int | None = year_param(),
          kind: str | None = Query(None, max_length=40), limit: int = limit_param(), offset: int = offset_param()):
    user = request.auth.user
    rows = selectors.with_channels(Item.objects.filter(Q(published_at__isnull=False) | access.unit_scope(user)))
    if unit:
        rows = rows.filter(unit_id=unit)
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    rows = rows.select_related("unit").prefetch_related(
        Prefetch("broadcasts", queryset=Broadcast.objects.only("item_id", "date", "hamlets")),
        Prefetch("postings", queryset=Posting.objects.only("item_id", "posted_on", "taken_down_on", "photo")),
        "links",
    ).order_by("unit_id", "-year", "kind", "pk")
    found, envelope = page(request, rows, limit=limit, offset=offset)
    labels = config.kind_labels()
    return {**envelope, "results": [_item(i, labels) for i in found]}


@router.get("/disclosure/feedback", response=responses(FeedbackPage), url_name="disclosure_feedback",
            openapi_extra=OPTIONAL_SECURITY, summary="Hỏi đáp đã duyệt công khai (không có người gửi)")
def feedback(request, unit: int | None = Query(None, ge=1, le=MAX_INT), year: int | None = year_param(),
             limit: int = limit_param(), offset: int = offset_param()):
    rows = Feedback.objects.filter(shown_publicly=True).exclude(status=FeedbackStatus.CLOSED)
    if unit:
        rows = rows.filter(unit_id=unit)
    if year:
        rows = rows.filter(year=year)
    rows = rows.select_related("unit").order_by("-received_at", "-pk")
    found, envelope = page(request, rows, limit=limit, offset=offset)
    return {**envelope, "results": [{
        "id": f.pk, "unit": unit_ref(f.unit), "item_id": f.item_id, "kind": f.kind, "message": f.message,
        "status": f.status, "public_answer": f.public_answer, "received_on": timezone.localdate(f.received_at),
        "answered_on": timezone.localdate(f.handled_at) if f.handled_at else None,
    } for f in found]}


@router.get("/disclosure/statistics/{unit_id}/{year}", response=responses(StatisticsOut),
            url_name="disclosure_statistics", openapi_extra=OPTIONAL_SECURITY,
            summary="Số liệu năm của một xã: sổ công khai và phản hồi (3.1–3.4)")
def statistics(request, unit_id: int = Path(..., ge=1, le=MAX_INT), year: int = Path(..., ge=1900, le=2200)):
    unit = Unit.objects.filter(pk=unit_id, level=Level.COMMUNE).first()
    if unit is None or not access.may_read(request.auth.user, unit):
        raise not_found(f"Không có số liệu công khai của xã {unit_id}", f"no disclosure statistics of unit {unit_id}")
    counts = selectors.register_counts([unit.pk], year, selectors.criteria_set_code_of(unit))[unit.pk]
    stats = selectors.feedback_stats(Feedback.objects.filter(unit=unit, year=year), timezone.localdate())
    return {
        "unit": unit_ref(unit), "year": year,
        "kinds": [{"kind": c.kind, "label": c.label, "criterion": c.criterion, "items": c.total,
                   "on_three_channels": c.on_three} for c in counts.values()],
        "feedback_received": stats.received, "feedback_by_kind": stats.by_kind,
        "feedback_by_channel": stats.by_channel, "feedback_by_status": stats.by_status,
        "answered_or_forwarded": stats.handled, "within_deadline": stats.within_deadline,
        "overdue": stats.overdue, "mean_answer_days": stats.mean_days,
    }
