"""Field 3 in records (the disclosure register and the feedback desk): items with their
channels, moderated public feedback and a commune's yearly statistics.

Messages a gateway took in on a commune's SMS number or e-mail address come in through
``POST /disclosure/inbound/{sms|email}`` (:func:`inbound`; the contract is in
docs/disclosure.md).

Scoping is the web's (:mod:`smartcommune.disclosure.access`): published items for anyone,
unpublished ones for callers whose roles reach the commune; feedback only as the public
page shows it (moderated, without sender or contact); statistics for callers whose roles
reach the commune.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Literal

import pydantic
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status

from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional
from smartcommune.api.endpoints.common import limit_param, offset_param, page, responses, unit_ref, year_param
from smartcommune.api.errors import ApiError, ErrorOut, not_found
from smartcommune.api.schemas import MAX_INT, PageOut, UnitRef
from smartcommune.core import ratelimit
from smartcommune.core.clients import client_address
from smartcommune.disclosure import access, actions, config, selectors
from smartcommune.disclosure.models import Broadcast, Feedback, FeedbackStatus, Item, Posting, normalised_address
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


# -- the inbound adapter: an SMS or mail gateway posts what it received --------------------

INBOUND_MAX_BYTES = 16 * 1024
SIGNATURE_HEADER = "X-Smartcommune-Signature"


class InboundIn(Schema):
    """What the gateway posts (JSON, UTF-8); lengths are checked by the action, with the
    web form's limits."""

    to: str
    """The commune's number or address the message was sent to."""
    sender: str
    """The citizen's number or address: kept only to answer."""
    text: str
    received_at: dt.datetime
    """When the gateway received it (ISO 8601 with its offset)."""

    model_config = pydantic.ConfigDict(extra="forbid")


class InboundOut(Schema):
    tracking_code: str
    unit: UnitRef
    due_on: dt.date


def _inbound_secret() -> bytes:
    secret = getattr(settings, "SMARTCOMMUNE_INBOUND_SECRET", "")
    if not secret:
        raise ApiError(404, "inbound_disabled", "Máy chủ chưa cấu hình khóa bí mật cho cổng nhận tin nhắn",
                       "the inbound adapter has no shared secret configured (SMARTCOMMUNE_INBOUND_SECRET)")
    return secret.encode()


def _check_signature(request, body: bytes) -> None:
    """``X-Smartcommune-Signature: sha256=<hex HMAC-SHA256 of the raw body under the
    deployment's shared secret>``, compared in constant time."""
    given = request.headers.get(SIGNATURE_HEADER, "")
    expected = "sha256=" + hmac.new(_inbound_secret(), body, hashlib.sha256).hexdigest()
    if not given:
        raise ApiError(401, "signature_required", f"Thiếu chữ ký {SIGNATURE_HEADER}",
                       f"the {SIGNATURE_HEADER} header is missing")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode()):
        raise ApiError(401, "bad_signature", "Chữ ký không đúng với nội dung và khóa bí mật",
                       "the signature does not match the body and the shared secret")


def _limit(namespace: str, key: str, limit: int, vi: str, en: str) -> None:
    # The key is hashed: a sender's number never sits in the cache, and any text is a valid key.
    retry = ratelimit.hit(namespace, hashlib.sha256(key.encode()).hexdigest(), limit, 60)
    if retry is not None:
        raise ApiError(429, "rate_limited", f"Quá nhiều tin nhắn ({vi}); thử lại sau {retry} giây",
                       f"too many messages ({en}); retry in {retry} seconds", {"retry_after": retry},
                       headers={"Retry-After": str(retry)})


@router.post("/disclosure/inbound/{channel}", auth=None, url_name="disclosure_inbound",
             response={201: InboundOut, frozenset({400, 401, 404, 413, 422, 429}): ErrorOut},
             openapi_extra={
                 # The body is read raw (its signature covers its bytes), so ninja does not declare it.
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": InboundIn.model_json_schema()}}},
                 "parameters": [{"in": "header", "name": SIGNATURE_HEADER, "required": True,
                                 "description": "sha256=<hex HMAC-SHA256 of the raw body under the shared secret>",
                                 "schema": {"type": "string"}}],
             },
             summary="Cổng nhận phản hồi qua SMS hoặc thư điện tử (gateway ký HMAC)")
def inbound(request, channel: Literal["sms", "email"]):
    """A message the commune's SMS number or e-mail address received, posted by the
    deployment's gateway and signed with the shared secret: stored as the citizen's
    feedback (channel SMS or e-mail) with its tracking code, which the gateway may send
    back to the citizen."""
    _limit("disclosure-inbound-ip", client_address(request), int(config.option("inbound_address_rate")),
           "mỗi địa chỉ IP", "per IP address")
    body = request.body
    if len(body) > INBOUND_MAX_BYTES:
        raise ApiError(413, "too_large", f"Nội dung quá {INBOUND_MAX_BYTES} byte",
                       f"the body is over {INBOUND_MAX_BYTES} bytes")
    _check_signature(request, body)
    try:
        message = InboundIn.model_validate(json.loads(body))
    except (ValueError, pydantic.ValidationError) as exc:
        details = ([{"loc": [str(x) for x in e["loc"]], "message": str(e["msg"])} for e in exc.errors()]
                   if isinstance(exc, pydantic.ValidationError) else None)
        raise ApiError(400, "invalid_body", "Nội dung phải là JSON với các trường to, sender, text, received_at",
                       "the body must be JSON with to, sender, text and received_at", details) from None
    _limit("disclosure-inbound-sender", f"{channel}:{normalised_address(channel, message.sender)}",
           int(config.option("inbound_rate")), "mỗi người gửi", "per sender")
    _limit("disclosure-inbound-to", f"{channel}:{normalised_address(channel, message.to)}",
           int(config.option("inbound_commune_rate")), "mỗi kênh của xã", "per commune channel")
    feedback = actions.do_receive_inbound(channel=channel, to=message.to, sender=message.sender, text=message.text,
                                          received_at=message.received_at)
    return Status(201, {"tracking_code": feedback.tracking_code, "unit": unit_ref(feedback.unit),
                        "due_on": feedback.due_on})
