"""Every write of the register and the feedback desk (keyword-only, atomic, logged,
``now=`` clock).  Refusals raise the errors of :mod:`smartcommune.rounds.exceptions`
(Vietnamese and English) and change nothing."""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from smartcommune.disclosure import access, config
from smartcommune.disclosure.models import (
    Broadcast, ChannelLink, CloseReason, DisclosureLog, Feedback, FeedbackChannel, FeedbackStatus, InboundAddress,
    Item, Posting, normalised_address,
)
from smartcommune.disclosure.workdays import add_working_days
from smartcommune.exchange import values as value_rules
from smartcommune.rounds import notifications
from smartcommune.rounds.audit import clock, to_json
from smartcommune.rounds.exceptions import NotAllowed, Problem, UploadRejected, ValidationFailed
from smartcommune.rounds.models import Notification
from smartcommune.rounds.uploads import validate_upload
from smartcommune.units.models import Level, Unit

logger = logging.getLogger(__name__)

# Field → (limit in characters after trimming, Vietnamese name, English name).
LIMITS = {
    "title": (500, "Tiêu đề", "title"),
    "document_number": (100, "Số văn bản", "document number"),
    "hamlets": (500, "Ấp, khu phố", "hamlets"),
    "text_read": (10000, "Nội dung đã đọc", "text read"),
    "url": (1000, "Đường dẫn", "link"),
    "name": (200, "Họ tên", "name"),
    "contact": (200, "Liên hệ", "contact"),
    "message": (4000, "Nội dung phản hồi", "message"),
    "public_answer": (4000, "Trả lời công khai", "public answer"),
    "internal_note": (2000, "Ghi chú nội bộ", "internal note"),
    "forwarded_to": (200, "Nơi chuyển đến", "forwarded to"),
    "close_note": (2000, "Giải thích", "explanation"),
}
REQUIRED = {"title", "hamlets", "text_read", "url", "message", "public_answer", "forwarded_to"}
PHOTO_TYPES = ("PNG", "JPEG", "WebP", "PDF")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def text_problems(texts: dict[str, object]) -> list[Problem]:
    problems = []
    for field, value in texts.items():
        limit, vi, en = LIMITS[field]
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(Problem(f"{vi}: phải là văn bản", f"{en}: must be text", field=field))
        elif not value_rules.clean_text(value):
            problems.append(Problem(f"{vi} chứa ký tự không lưu được (NUL hoặc nửa cặp UTF-16)",
                                    f"the {en} holds a character that cannot be stored", field=field))
        elif len(value.strip()) > limit:
            problems.append(Problem(f"{vi} dài {len(value.strip())} ký tự, tối đa {limit} ký tự",
                                    f"the {en} is {len(value.strip())} characters long, at most {limit}",
                                    field=field))
        elif field in REQUIRED and not value.strip():
            problems.append(Problem(f"Cần nhập {vi.lower()}", f"the {en} is required", field=field))
    return problems


def _check(texts: dict[str, object], dates: dict[str, tuple[str, str, object]] | None = None, *,
           year: int | None = None) -> None:
    problems = text_problems(texts)
    for field, (vi, en, value) in (dates or {}).items():
        if value is not None and year is not None:
            refused = value_rules.date_problem(vi, en, value, year, earlier_years=value_rules.EARLIEST_YEARS_BEFORE)
            if refused is not None:
                problems.append(Problem(refused.vi, refused.en, field=field, value=value.isoformat()))
    if problems:
        raise ValidationFailed(problems)


def _log(unit, actor, at, action: str, *, item=None, feedback=None, detail=None) -> None:
    DisclosureLog.objects.create(
        unit=unit, actor=actor if actor is not None and actor.is_authenticated else None, at=at, action=action,
        item=item, feedback=feedback, detail={k: to_json(v) for k, v in (detail or {}).items()},
    )


def _check_year(year: object) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise ValidationFailed([Problem(f"Năm không hợp lệ: {year!r}", f"invalid year: {year!r}", field="year")])
    return year


def check_kind(kind: str) -> str:
    labels = config.kind_labels()
    if kind not in labels:
        raise ValidationFailed([Problem(
            f"Loại thông tin “{str(kind)[:40]}” không có; dùng một trong: {', '.join(labels)}",
            f"unknown kind {str(kind)[:40]!r}; use one of: {', '.join(labels)}", field="kind", value=str(kind)[:40],
        )])
    return kind


def _stored_file(upload: File, *, accepted: Iterable[str] | None = None) -> tuple[File, str, str]:
    """Check ``upload`` as evidence is checked; ``(file, stored name, content type)``."""
    detected = validate_upload(upload, name=upload.name, size=upload.size)
    if accepted is not None and detected.label not in accepted:
        raise UploadRejected(upload.name, f"ảnh chụp phải là {', '.join(accepted)}",
                             f"the photo must be {', '.join(accepted)}")
    extension = next(e for e in detected.extensions if upload.name.lower().endswith(e))
    return upload, f"upload{extension}", detected.content_type


def _save_file(field, upload: File | None, *, accepted=None) -> tuple[str, str]:
    """Store ``upload`` in the file ``field`` of an unsaved row; (original name, type)."""
    if upload is None:
        return "", ""
    file, name, content_type = _stored_file(upload, accepted=accepted)
    field.save(name, file, save=False)
    return upload.name[-255:], content_type


def _discard_on_failure(field) -> None:
    """Remove the file just stored for a row the database did not keep."""
    if field.name:
        try:
            field.storage.delete(field.name)
        except Exception:
            logger.exception("could not remove %s after a failed write", field.name)


# -- the register --------------------------------------------------------------------------


def do_create_item(*, actor, unit: Unit, year: int, kind: str, title: str, document_number: str = "",
                   document_date: date | None = None, document: File | None = None, now=None) -> Item:
    """Add an item to ``unit``'s register of ``year`` (an officer of the commune)."""
    access.check_manage(actor, unit)
    year = _check_year(year)
    check_kind(kind)
    _check({"title": title, "document_number": document_number},
           {"document_date": ("Ngày văn bản", "document date", document_date)}, year=year)
    at = clock(now)()
    item = Item(unit=unit, year=year, kind=kind, title=title.strip(), document_number=document_number.strip(),
                document_date=document_date, created_by=actor, created_at=at)
    try:
        with transaction.atomic():
            item.document_name, item.document_type = _save_file(item.document, document)
            item.save()
            _log(unit, actor, at, "item_created", item=item, detail={"title": item.title, "kind": kind, "year": year})
    except BaseException:
        _discard_on_failure(item.document)
        raise
    return item


def _locked_item(actor, item: Item) -> Item:
    locked = Item.objects.select_for_update().select_related("unit").get(pk=item.pk)
    access.check_manage(actor, locked.unit)
    return locked


def do_publish_item(*, actor, item: Item, now=None) -> Item:
    """Put ``item`` on the commune's public page (the website channel), dated now."""
    with transaction.atomic():
        item = _locked_item(actor, item)
        if item.published_at is None:
            item.published_at = clock(now)()
            item.save(update_fields=["published_at"])
            _log(item.unit, actor, item.published_at, "item_published", item=item)
    return item


def do_record_broadcast(*, actor, item: Item, date: date, hamlets: str, text_read: str, now=None) -> Broadcast:
    """Record that ``item`` was read on the loudspeakers of ``hamlets`` on ``date``."""
    _check({"hamlets": hamlets, "text_read": text_read}, {"date": ("Ngày phát", "broadcast date", date)},
           year=item.year)
    at = clock(now)()
    with transaction.atomic():
        item = _locked_item(actor, item)
        row = Broadcast.objects.create(item=item, date=date, hamlets=hamlets.strip(), text_read=text_read.strip(),
                                       recorded_by=actor, recorded_at=at)
        _log(item.unit, actor, at, "broadcast_recorded", item=item, detail={"date": date, "hamlets": row.hamlets})
    return row


def do_record_posting(*, actor, item: Item, posted_on: date, taken_down_on: date | None = None,
                      photo: File | None = None, now=None) -> Posting:
    """Record that ``item`` was posted at the People's Committee (with a photo, checked as
    evidence is: PNG, JPEG, WebP or a PDF scan)."""
    _check({}, {"posted_on": ("Ngày niêm yết", "posting date", posted_on),
                "taken_down_on": ("Ngày gỡ", "take-down date", taken_down_on)}, year=item.year)
    if taken_down_on is not None and taken_down_on < posted_on:
        raise ValidationFailed([Problem("Ngày gỡ phải sau ngày niêm yết", "the take-down date must follow the posting",
                                        field="taken_down_on")])
    at = clock(now)()
    row = Posting(item=item, posted_on=posted_on, taken_down_on=taken_down_on, recorded_by=actor, recorded_at=at)
    try:
        with transaction.atomic():
            row.item = _locked_item(actor, item)
            row.photo_name, row.photo_type = _save_file(row.photo, photo, accepted=PHOTO_TYPES)
            row.save()
            _log(row.item.unit, actor, at, "posting_recorded", item=row.item,
                 detail={"posted_on": posted_on, "taken_down_on": taken_down_on, "photo": row.photo_name})
    except BaseException:
        _discard_on_failure(row.photo)
        raise
    return row


def do_add_link(*, actor, item: Item, channel: str, url: str, now=None) -> ChannelLink:
    """Record ``item`` on another configured channel, by its address."""
    channels = config.other_channels()
    if channel not in channels:
        raise ValidationFailed([Problem(f"Kênh “{str(channel)[:40]}” chưa được cấu hình",
                                        f"channel {str(channel)[:40]!r} is not configured", field="channel")])
    _check({"url": url})
    try:
        URLValidator(schemes=["http", "https"])(url.strip())
    except ValidationError:
        raise ValidationFailed([Problem(f"Đường dẫn không hợp lệ: {url[:80]!r}", f"invalid link: {url[:80]!r}",
                                        field="url")]) from None
    at = clock(now)()
    with transaction.atomic():
        item = _locked_item(actor, item)
        row = ChannelLink.objects.create(item=item, channel=channel, url=url.strip(), recorded_by=actor,
                                         recorded_at=at)
        _log(item.unit, actor, at, "link_added", item=item, detail={"channel": channel, "url": row.url})
    return row


def do_copy_year(*, actor, unit: Unit, from_year: int, to_year: int, now=None) -> int:
    """Copy the titles, kinds and document references of ``unit``'s items of ``from_year``
    into ``to_year`` (unpublished, without channels: each must go out again); the titles
    already in ``to_year`` are skipped.  Returns how many items were added."""
    access.check_manage(actor, unit)
    _check_year(from_year)
    _check_year(to_year)
    at = clock(now)()
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        have = set(Item.objects.filter(unit=unit, year=to_year).values_list("kind", "title"))
        new = [
            Item(unit=unit, year=to_year, kind=i.kind, title=i.title, document_number=i.document_number,
                 document_date=i.document_date, copied_from=i, created_by=actor, created_at=at)
            for i in Item.objects.filter(unit=unit, year=from_year).order_by("pk")
            if (i.kind, i.title) not in have
        ]
        Item.objects.bulk_create(new)
        _log(unit, actor, at, "items_copied", detail={"from_year": from_year, "to_year": to_year, "count": len(new)})
    return len(new)


# -- the feedback desk ---------------------------------------------------------------------


def _new_code() -> str:
    return "PH-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def do_submit_feedback(*, unit: Unit, message: str, item: Item | None = None, kind: str = "", name: str = "",
                       contact: str = "", channel: str = FeedbackChannel.WEB, actor=None, now=None) -> Feedback:
    """A citizen's feedback: sent through the public form (``actor`` ``None``), or an
    e-mail or SMS an officer of the commune records (``actor`` that officer).  What a
    gateway posts comes in through :func:`do_receive_inbound`; both store through
    :func:`_new_feedback`."""
    if unit.level != Level.COMMUNE:
        raise ValidationFailed([Problem("Chỉ gửi phản hồi cho xã, phường, thị trấn", "feedback goes to a commune")])
    if channel not in FeedbackChannel.values:
        raise ValidationFailed([Problem(f"Kênh không hợp lệ: {str(channel)[:20]!r}", "invalid channel",
                                        field="channel")])
    if channel != FeedbackChannel.WEB:
        access.check_manage(actor, unit)
    if item is not None:
        if item.unit_id != unit.pk or item.published_at is None:
            raise ValidationFailed([Problem("Thông tin này không có trên trang của xã", "no such item on this page",
                                            field="item")])
        kind = item.kind
    elif kind:
        check_kind(kind)
    _check({"message": message, "name": name, "contact": contact})
    return _new_feedback(unit=unit, item=item, kind=kind, channel=channel, name=name, contact=contact,
                         message=message, received=clock(now)(), actor=actor,
                         detail={"item": item.pk if item else None})


# A gateway's clock may run a little ahead of ours; a message older than this is not "just
# received" (a gateway's backlog is recorded by an officer instead).
INBOUND_CLOCK_SKEW = timedelta(minutes=5)
INBOUND_MAX_AGE = timedelta(days=30)


def do_receive_inbound(*, channel: str, to: str, sender: str, text: str, received_at: datetime,
                       now=None) -> Feedback:
    """A message a gateway took in on a commune's e-mail address or SMS number
    (:class:`~smartcommune.disclosure.models.InboundAddress`), as the citizen's feedback of
    that commune.  The caller has authenticated the gateway.  The sender is kept only as
    the contact to answer, like the web form's; nothing else of the message's envelope."""
    if channel not in (FeedbackChannel.EMAIL, FeedbackChannel.SMS):
        raise ValidationFailed([Problem(f"Kênh không hợp lệ: {str(channel)[:20]!r}", "invalid channel",
                                        field="channel")])
    address = normalised_address(channel, to)
    inbound = InboundAddress.objects.filter(channel=channel, address=address).select_related("unit").first()
    if inbound is None:
        vi = "Số điện thoại" if channel == FeedbackChannel.SMS else "Địa chỉ thư"
        raise ValidationFailed([Problem(f"{vi} {to[:40]} không phải kênh nhận phản hồi của xã nào",
                                        f"{to[:40]} is no commune's {channel} channel for feedback", field="to",
                                        value=to[:40])])
    problems = text_problems({"message": text, "contact": sender})
    contact = normalised_address(channel, sender)
    if channel == FeedbackChannel.SMS and not 3 <= len(contact.lstrip("+")) <= 15:
        problems.append(Problem(f"Số gửi “{sender[:40]}” không phải số điện thoại",
                                f"the sender {sender[:40]!r} is not a phone number", field="sender"))
    elif channel == FeedbackChannel.EMAIL:
        try:
            EmailValidator()(contact)
        except ValidationError:
            problems.append(Problem(f"Người gửi “{sender[:40]}” không phải địa chỉ thư",
                                    f"the sender {sender[:40]!r} is not an e-mail address", field="sender"))
    at = clock(now)()
    if timezone.is_naive(received_at):
        problems.append(Problem("Thời điểm nhận phải kèm múi giờ (ISO 8601, ví dụ 2025-03-01T08:30:00+07:00)",
                                "the received time needs its time zone (ISO 8601)", field="received_at"))
    elif not at - INBOUND_MAX_AGE <= received_at <= at + INBOUND_CLOCK_SKEW:
        problems.append(Problem(
            f"Thời điểm nhận {received_at.isoformat()} ở tương lai hoặc đã quá {INBOUND_MAX_AGE.days} ngày",
            f"the received time {received_at.isoformat()} is in the future or over {INBOUND_MAX_AGE.days} days old",
            field="received_at"))
    if problems:
        raise ValidationFailed(problems)
    return _new_feedback(unit=inbound.unit, item=None, kind="", channel=channel, name="", contact=contact,
                         message=text, received=min(received_at, at), actor=None, detail={"via": "gateway"})


def _new_feedback(*, unit: Unit, item: Item | None, kind: str, channel: str, name: str, contact: str, message: str,
                  received: datetime, actor, detail: dict) -> Feedback:
    """Store a checked message with a fresh tracking code and its deadline, and log it."""
    local_day = timezone.localdate(received) if timezone.is_aware(received) else received.date()
    due = add_working_days(local_day, int(config.option("answer_working_days")))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    unit=unit, year=local_day.year, item=item, kind=kind, channel=channel, tracking_code=_new_code(),
                    name=name.strip(), contact=contact.strip(), message=message.strip(), received_at=received,
                    due_on=due, recorded_by=actor if channel != FeedbackChannel.WEB else None,
                )
                _log(unit, actor, received, "feedback_received", feedback=feedback,
                     detail={"channel": channel, **detail})
            return feedback
        except IntegrityError:  # a tracking code drawn twice: draw again
            continue
    raise RuntimeError("could not draw a free tracking code")


def _locked_feedback(actor, feedback: Feedback) -> Feedback:
    locked = Feedback.objects.select_for_update().select_related("unit").get(pk=feedback.pk)
    access.check_manage(actor, locked.unit)
    return locked


def _handle(actor, feedback: Feedback, status: str, at, **fields) -> Feedback:
    if feedback.status != FeedbackStatus.OPEN and not (
        status == FeedbackStatus.ANSWERED and feedback.status == FeedbackStatus.ANSWERED
    ):
        label = FeedbackStatus(feedback.status).label
        raise NotAllowed(f"Phản hồi {feedback.tracking_code} đã ở trạng thái “{label}”",
                         f"feedback {feedback.tracking_code} is already {feedback.status}")
    for field, value in fields.items():
        setattr(feedback, field, value)
    feedback.status = status
    if feedback.handled_at is None:
        feedback.handled_at = at
    feedback.handled_by = actor
    feedback.save()
    _log(feedback.unit, actor, at, f"feedback_{status}", feedback=feedback,
         detail={k: v for k, v in fields.items() if k != "internal_note"})
    return feedback


def do_answer_feedback(*, actor, feedback: Feedback, public_answer: str, internal_note: str = "",
                       now=None) -> Feedback:
    """The commune's answer (public) and an optional internal note; an answer may be
    corrected later (its first date stays the answer date)."""
    _check({"public_answer": public_answer, "internal_note": internal_note})
    with transaction.atomic():
        feedback = _locked_feedback(actor, feedback)
        feedback = _handle(actor, feedback, FeedbackStatus.ANSWERED, clock(now)(),
                           public_answer=public_answer.strip(), internal_note=internal_note.strip())
        _mail_the_sender(feedback, f"{feedback.unit.name} đã trả lời phản hồi {feedback.tracking_code} của bạn:\n\n"
                                   f"{feedback.public_answer}")
        return feedback


def do_forward_feedback(*, actor, feedback: Feedback, forwarded_to: str, internal_note: str = "",
                        now=None) -> Feedback:
    """Send the feedback on to a district or an agency that must answer it."""
    _check({"forwarded_to": forwarded_to, "internal_note": internal_note})
    with transaction.atomic():
        feedback = _locked_feedback(actor, feedback)
        feedback = _handle(actor, feedback, FeedbackStatus.FORWARDED, clock(now)(),
                           forwarded_to=forwarded_to.strip(), internal_note=internal_note.strip())
        _mail_the_sender(feedback, f"{feedback.unit.name} đã chuyển phản hồi {feedback.tracking_code} của bạn đến "
                                   f"{feedback.forwarded_to} để trả lời.")
        return feedback


def do_close_feedback(*, actor, feedback: Feedback, reason: str, note: str, now=None) -> Feedback:
    """Close as a duplicate or as spam, saying why."""
    if reason not in CloseReason.values:
        raise ValidationFailed([Problem("Lý do đóng phải là trùng lặp hoặc tin rác",
                                        "the reason must be duplicate or spam", field="close_reason")])
    _check({"close_note": note})
    if not note.strip():
        raise ValidationFailed([Problem("Cần giải thích lý do đóng", "the explanation is required",
                                        field="close_note")])
    with transaction.atomic():
        feedback = _locked_feedback(actor, feedback)
        return _handle(actor, feedback, FeedbackStatus.CLOSED, clock(now)(), close_reason=reason,
                       close_note=note.strip(), shown_publicly=False)


def do_moderate_feedback(*, actor, feedback: Feedback, show: bool, now=None) -> Feedback:
    """Show (or hide) a question and its answer on the public page; never its sender."""
    with transaction.atomic():
        feedback = _locked_feedback(actor, feedback)
        if show and feedback.status == FeedbackStatus.CLOSED:
            raise NotAllowed("Phản hồi đã đóng (trùng lặp, tin rác) không hiện công khai",
                             "closed feedback (duplicate, spam) is never shown publicly")
        if feedback.shown_publicly != show:
            feedback.shown_publicly, feedback.moderated_by = show, actor
            feedback.save(update_fields=["shown_publicly", "moderated_by"])
            _log(feedback.unit, actor, clock(now)(), "feedback_shown" if show else "feedback_hidden",
                 feedback=feedback)
    return feedback


@dataclass(frozen=True, slots=True)
class OverdueNotice:
    unit: Unit
    codes: list[str]


def do_notify_overdue(*, today: date, now=None) -> int:
    """Tell the officers of each commune which of its feedback has passed its deadline
    unanswered (once per feedback; in-app, and by e-mail to those with an address).
    Returns how many feedback items were notified."""
    at = clock(now)()
    with transaction.atomic():
        overdue = list(Feedback.objects.select_for_update().filter(
            status=FeedbackStatus.OPEN, due_on__lt=today, overdue_notified=False,
        ).select_related("unit").order_by("unit_id", "pk"))
        by_unit: dict[int, OverdueNotice] = {}
        for f in overdue:
            by_unit.setdefault(f.unit_id, OverdueNotice(f.unit, [])).codes.append(f.tracking_code)
        rows, mails = [], []
        for n in by_unit.values():
            codes = f"{', '.join(n.codes[:10])}{'…' if len(n.codes) > 10 else ''}"
            message = f"{n.unit.name}: {len(n.codes)} phản hồi của người dân đã quá hạn trả lời ({codes})"
            message_en = (f"{n.unit.name}: {len(n.codes)} citizens' {'message is' if len(n.codes) == 1 else 'messages are'} "
                          f"past the answer deadline ({codes})")
            url = reverse("disclosure:desk", args=[n.unit.pk]) + "?overdue=1"
            for user in notifications.officers_of(n.unit):
                rows.append(Notification(recipient=user, message=message, message_en=message_en, url=url,
                                         created_at=at))
                if user.email:
                    mails.append((message, user.email))
        Notification.objects.bulk_create(rows)
        Feedback.objects.filter(pk__in=[f.pk for f in overdue]).update(overdue_notified=True)
    for message, address in mails:
        transaction.on_commit(lambda m=message, a=address: _mail(m, a), robust=True)
    return len(overdue)


def _mail_the_sender(feedback: Feedback, message: str) -> None:
    """The one use of a sender's contact: an e-mail address gets the answer, after the
    commit (the product sends no SMS: an SMS sender follows the answer with the tracking code)."""
    address = feedback.contact
    try:
        EmailValidator()(address)
    except ValidationError:
        return
    transaction.on_commit(lambda: _mail(message, address), robust=True)


def _mail(message: str, address: str) -> None:
    # The subject is the first line: a header holds no line break (a citizen's text may).
    send_mail(notifications.SUBJECT_PREFIX + " ".join(message.split("\n", 1)[0].split())[:150], message, None,
              [address])



def do_import_register(*, actor, rows, file_name: str, now=None) -> int:
    """Add the items of a checked register file (:func:`~smartcommune.disclosure.register_import.read_register`)
    to the registers of the communes ``actor`` is an officer of: all rows or none.  A row
    naming a commune the actor does not manage refuses the whole file.  Returns how many
    items were added."""
    from smartcommune.imports.exceptions import ImportProblem, ImportRefused

    units = {u.code: u for u in Unit.objects.filter(pk__in=access.managed_unit_ids(actor), level=Level.COMMUNE)}
    problems = [
        ImportProblem(f"không phải xã mình quản lý: {r.unit_code[:20]}", f"not a commune you manage: {r.unit_code[:20]}",
                      row=r.line, column="ma_xa")
        for r in rows if r.unit_code not in units
    ]
    if problems:
        raise ImportRefused(file_name, problems)
    at = clock(now)()
    with transaction.atomic():
        ids = _insert_items(actor, at, [(units[r.unit_code].pk, r) for r in rows])
        _bulk_insert(Broadcast, ("item_id", "date", "hamlets", "text_read", "recorded_by_id", "recorded_at"), [
            (pk, r.broadcast_date, r.hamlets, r.text_read, actor.pk, at) for pk, r in zip(ids, rows) if r.broadcast_date
        ])
        _bulk_insert(Posting, ("item_id", "posted_on", "taken_down_on", "photo", "photo_name", "photo_type",
                               "recorded_by_id", "recorded_at"), [
            (pk, r.posted_on, r.taken_down_on, "", "", "", actor.pk, at) for pk, r in zip(ids, rows) if r.posted_on
        ])
        per_unit = Counter(r.unit_code for r in rows)
        DisclosureLog.objects.bulk_create([
            DisclosureLog(unit=units[code], actor=actor, at=at, action="register_imported",
                          detail={"file": file_name[:200], "count": count})
            for code, count in per_unit.items()
        ])
    return len(ids)


# A province's year is tens of thousands of rows: written without model instances, by
# COPY on PostgreSQL, by one prepared statement run per row elsewhere (the row checks are
# done before, set-wise, by read_register and do_import_register).
ITEM_COLUMNS = ("unit_id", "year", "kind", "title", "document_number", "document_date", "document", "document_name",
                "document_type", "published_at", "created_by_id", "created_at")


def _insert_items(actor, at, rows) -> list[int]:
    """Insert ``(commune id, Row)`` items stamped ``at``; their ids, in order (the ids a
    sequence gives one statement's rows rise in the rows' order)."""
    values = [(unit_id, r.year, r.kind, r.title, r.document_number, r.document_date, "", "", "",
               at if r.publish else None, actor.pk, at) for unit_id, r in rows]
    _bulk_insert(Item, ITEM_COLUMNS, values)
    ids = list(Item.objects.filter(created_by=actor, created_at=at).order_by("pk").values_list("pk", flat=True))
    return ids[-len(values):] if values else []


def _bulk_insert(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    db = transaction.get_connection()
    meta = model._meta
    quote = db.ops.quote_name
    columns = ", ".join(quote(meta.get_field(n).column) for n in names)
    table = quote(meta.db_table)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            fields = [meta.get_field(n) for n in names]
            prepared = [[f.get_db_prep_save(v, db) for f, v in zip(fields, row)] for row in rows]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})", prepared)
