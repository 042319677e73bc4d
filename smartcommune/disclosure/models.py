"""Field 3 in records: the register of information items a commune must make public, the
channels each went out on, and the citizens' feedback desk.

Writes go through :mod:`smartcommune.disclosure.actions` only; each appends a
:class:`DisclosureLog` row (append-only, like the assessment's audit log).

Personal data: a feedback's ``name`` (optional) and ``contact`` (only to send the answer)
are never shown on a public page nor served by the public API.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from smartcommune.rounds.models import AppendOnly
from smartcommune.units.models import Level


def _stored_name(folder: str, unit_id: int, filename: str) -> str:
    # Only the (validated) extension of the user's name reaches the storage.
    return f"disclosure/{folder}/{unit_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def item_document_path(instance, filename: str) -> str:
    return _stored_name("documents", instance.unit_id, filename)


def posting_photo_path(instance, filename: str) -> str:
    return _stored_name("postings", instance.item.unit_id, filename)


class Item(models.Model):
    """One piece of information a commune must make public in a year."""

    unit = models.ForeignKey("units.Unit", verbose_name=pgettext_lazy("field", "xã"), on_delete=models.PROTECT,
                             limit_choices_to={"level": Level.COMMUNE}, related_name="disclosure_items")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại thông tin"), max_length=40)
    title = models.CharField(_("tiêu đề"), max_length=500)
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    document = models.FileField(_("tệp văn bản"), upload_to=item_document_path, blank=True, max_length=200)
    document_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    # The website channel: the product's public page.  Publishing is one click, dated here.
    published_at = models.DateTimeField(_("đăng trên trang công khai lúc"), null=True, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("thông tin phải công khai")
        verbose_name_plural = pgettext_lazy("plural", "thông tin phải công khai")
        ordering = ["unit_id", "-year", "kind", "pk"]
        indexes = [models.Index(fields=["unit", "year", "kind"], name="disclosure_item_unit_year_kind")]

    def __str__(self) -> str:
        return self.title


class Broadcast(models.Model):
    """The item read on the hamlets' loudspeakers."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="broadcasts")
    date = models.DateField(_("ngày phát"))
    hamlets = models.CharField(_("ấp, khu phố"), max_length=500)
    text_read = models.TextField(_("nội dung đã đọc"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("phát trên loa")
        verbose_name_plural = pgettext_lazy("plural", "phát trên loa")
        ordering = ["item_id", "date", "pk"]


class Posting(models.Model):
    """The item posted at the commune People's Committee."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="postings")
    posted_on = models.DateField(_("ngày niêm yết"))
    taken_down_on = models.DateField(_("ngày gỡ"), null=True, blank=True)
    photo = models.FileField(_("ảnh chụp"), upload_to=posting_photo_path, blank=True, max_length=200)
    photo_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    photo_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("niêm yết tại trụ sở")
        verbose_name_plural = pgettext_lazy("plural", "niêm yết tại trụ sở")
        ordering = ["item_id", "posted_on", "pk"]


class ChannelLink(models.Model):
    """The item on another channel the province configures (a Zalo official account, the
    province's e-portal): a link."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links")
    channel = models.CharField(_("kênh"), max_length=40)
    url = models.URLField(_("đường dẫn"), max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("kênh khác")
        verbose_name_plural = pgettext_lazy("plural", "kênh khác")
        ordering = ["item_id", "channel", "pk"]


class FeedbackChannel(models.TextChoices):
    WEB = "web", _("Trang công khai")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    FORWARDED = "forwarded", _("Đã chuyển")
    CLOSED = "closed", _("Đã đóng")


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Trùng lặp")
    SPAM = "spam", _("Tin rác")


class Feedback(models.Model):
    """A citizen's question or opinion about an item or the commune's disclosure in general."""

    unit = models.ForeignKey("units.Unit", verbose_name=pgettext_lazy("field", "xã"), on_delete=models.PROTECT,
                             limit_choices_to={"level": Level.COMMUNE}, related_name="feedback")
    year = models.PositiveSmallIntegerField(_("năm"))
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(_("loại thông tin"), max_length=40, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=FeedbackChannel.choices)
    tracking_code = models.CharField(_("mã tra cứu"), max_length=20, unique=True)
    # Personal data: never on a public page or the public API.
    name = models.CharField(_("họ tên"), max_length=200, blank=True)
    contact = models.CharField(_("liên hệ nhận trả lời"), max_length=200, blank=True)
    message = models.TextField(_("nội dung"))
    received_at = models.DateTimeField(_("nhận lúc"))
    due_on = models.DateField(_("hạn trả lời"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.OPEN)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    internal_note = models.TextField(_("ghi chú nội bộ"), blank=True)
    forwarded_to = models.CharField(_("chuyển đến"), max_length=200, blank=True)
    close_reason = models.CharField(_("lý do đóng"), max_length=10, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("giải thích"), blank=True)
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    shown_publicly = models.BooleanField(_("hiện công khai"), default=False)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    overdue_notified = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("phản hồi của người dân")
        verbose_name_plural = pgettext_lazy("plural", "phản hồi của người dân")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "year"], name="disclosure_fb_unit_year"),
            models.Index(fields=["status", "due_on"], name="disclosure_fb_status_due"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def overdue_on(self, today) -> bool:
        return self.status == FeedbackStatus.OPEN and today > self.due_on


class InboundAddress(models.Model):
    """The commune's e-mail address or SMS number citizens send feedback to: an officer
    records what arrives there, or a gateway posts it to the inbound adapter
    (:mod:`smartcommune.api.endpoints.disclosure`, docs/disclosure.md).  Set by the
    administrators (Django admin); shown on the commune's public page."""

    unit = models.ForeignKey("units.Unit", verbose_name=pgettext_lazy("field", "xã"), on_delete=models.PROTECT,
                             limit_choices_to={"level": Level.COMMUNE}, related_name="inbound_addresses")
    channel = models.CharField(_("kênh"), max_length=10,
                               choices=[(FeedbackChannel.EMAIL, FeedbackChannel.EMAIL.label),
                                        (FeedbackChannel.SMS, FeedbackChannel.SMS.label)])
    address = models.CharField(_("địa chỉ thư hoặc số điện thoại"), max_length=200,
                               help_text=_("Số điện thoại ghi dạng +84…; địa chỉ thư viết thường"))

    class Meta:
        verbose_name = _("kênh nhận phản hồi của xã")
        verbose_name_plural = pgettext_lazy("plural", "kênh nhận phản hồi của xã")
        ordering = ["unit_id", "channel", "address"]
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="disclosure_inbound_unique")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}"

    def clean(self) -> None:
        self.address = normalised_address(self.channel, self.address)
        if self.channel == FeedbackChannel.EMAIL:
            EmailValidator(message=_("Địa chỉ thư không hợp lệ"))(self.address)
        elif not 3 <= len(self.address.lstrip("+")) <= 15:
            raise ValidationError({"address": _("Số điện thoại phải có từ 3 đến 15 chữ số")})

    def save(self, *args, **kwargs):
        self.address = normalised_address(self.channel, self.address)
        super().save(*args, **kwargs)


def normalised_address(channel: str, address: str) -> str:
    """One spelling per address: an e-mail address in lower case; a Vietnamese phone
    number as ``+84…`` (``0912…``, ``84912…`` and ``+84 912 …`` are the same number); a
    short code as its digits."""
    address = address.strip()
    if channel != FeedbackChannel.SMS:
        return address.lower()
    plus = address.startswith("+")
    digits = "".join(c for c in address if c.isascii() and c.isdigit())
    if plus:
        return "+" + digits
    if digits.startswith("0") and len(digits) >= 9:
        return "+84" + digits[1:]
    if digits.startswith("84") and len(digits) >= 11:
        return "+" + digits
    return digits


class DisclosureLog(AppendOnly):
    """One write of the register or the desk: who, when, what.  Append-only."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("lúc"))
    action = models.CharField(_("thao tác"), max_length=40)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    feedback = models.ForeignKey(Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.JSONField(_("chi tiết"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký công khai")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký công khai")
        ordering = ["at", "pk"]

