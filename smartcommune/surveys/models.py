"""The citizen satisfaction survey of field 4: one survey per commune assessment, its
sampling frame (hamlets), its answers and its own append-only event log.

Writes go through :mod:`smartcommune.surveys.actions` only.  Answers are never edited
nor deleted; the secretariat voids one with a reason (an event).  A respondent's phone or
citizen-ID number is never stored: only its keyed hash (:func:`identity_hash`), under a
unique index per survey, so the same person is refused a second answer.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from smartcommune.rounds.models import AppendOnly


class SurveyStatus(models.TextChoices):
    OPEN = "open", _("Đang nhận trả lời")
    CLOSED = "closed", _("Đã đóng")


class FrameKind(models.TextChoices):
    POPULATION = "population", _("Dân số")
    HOUSEHOLDS = "households", _("Số hộ")


class Channel(models.TextChoices):
    WEB = "web", _("Trực tuyến (QR, đường dẫn)")
    PAPER = "paper", _("Phiếu giấy (cán bộ nhập)")
    PHONE = "phone", _("Điện thoại (cán bộ nhập)")
    IMPORT = "import", _("Nhập từ tệp")


class Survey(models.Model):
    assessment = models.OneToOneField("rounds.Assessment", on_delete=models.PROTECT, related_name="survey")
    code = models.CharField(_("mã khảo sát"), max_length=12, unique=True)
    """The short public address: ``/s/<code>/``."""
    questionnaire_code = models.CharField(_("mẫu phiếu"), max_length=100)
    questionnaire_version = models.PositiveIntegerField(_("phiên bản mẫu phiếu"))
    questionnaire = models.JSONField(_("nội dung mẫu phiếu"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN)
    frame_kind = models.CharField(_("khung mẫu"), max_length=12, choices=FrameKind.choices,
                                  default=FrameKind.HOUSEHOLDS)
    method = models.CharField(_("công thức cỡ mẫu"), max_length=10, default="yamane")
    margin = models.DecimalField(_("sai số cho phép"), max_digits=4, decimal_places=3, default="0.050")
    confidence = models.PositiveSmallIntegerField(_("độ tin cậy (%)"), default=95)
    population = models.PositiveIntegerField(_("quy mô tổng thể"), default=0)
    planned = models.PositiveIntegerField(_("cỡ mẫu theo kế hoạch"), default=0)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("mở lúc"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    synthetic = models.BooleanField(_("dữ liệu mô phỏng"), default=False)

    class Meta:
        verbose_name = _("khảo sát")
        verbose_name_plural = pgettext_lazy("plural", "khảo sát")
        ordering = ["-opened_at", "pk"]

    def __str__(self) -> str:
        return f"Khảo sát {self.assessment}"

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class Hamlet(models.Model):
    """One part of the sampling frame (ấp, khu phố) with its size and quota."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="hamlets")
    name = models.CharField(_("ấp / khu phố"), max_length=100)
    size = models.PositiveIntegerField(_("quy mô"))
    quota = models.PositiveIntegerField(_("chỉ tiêu mẫu"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="surveys_hamlet_survey_name_uniq")]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    # No index of their own on the answers' foreign keys: the index and the unique constraint
    # below start with the survey, and a million-answer import maintains fewer.
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers", db_index=False)
    level = models.PositiveSmallIntegerField(_("mức độ tiến bộ"))
    """1-based position in the questionnaire's ``main.levels`` (1 = thụt lùi … 4 = tiến bộ rõ rệt)."""
    topics = models.JSONField(_("trả lời về dịch vụ công, quy hoạch, ngân sách"), default=dict, blank=True)
    hamlet = models.ForeignKey(Hamlet, null=True, blank=True, on_delete=models.PROTECT, related_name="answers",
                               db_index=False)
    age_band = models.CharField(_("nhóm tuổi"), max_length=30, blank=True)
    sex = models.CharField(_("giới tính"), max_length=30, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    identity_hash = models.CharField(max_length=64, null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(_("lúc"))
    voided_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    void_reason = models.TextField(_("lý do huỷ"), blank=True)

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = pgettext_lazy("plural", "phiếu trả lời")
        ordering = ["survey_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "identity_hash"], condition=Q(identity_hash__isnull=False),
                                    name="surveys_answer_one_per_person"),
        ]
        indexes = [models.Index(fields=["survey", "voided_at"], name="surveys_answer_survey_voided")]


class AnswerCount(models.Model):
    """How many valid answers a survey has per hamlet, channel and level: written in the
    same transaction as every answer, void and import (:mod:`smartcommune.surveys.actions`,
    the only writer of answers), so the results read a few hundred rows instead of counting
    a million answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="counts", db_index=False)
    hamlet = models.ForeignKey(Hamlet, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    level = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "hamlet", "channel", "level"],
                                    condition=Q(hamlet__isnull=False), name="surveys_count_hamlet_uniq"),
            models.UniqueConstraint(fields=["survey", "channel", "level"], condition=Q(hamlet__isnull=True),
                                    name="surveys_count_no_hamlet_uniq"),
        ]


class TopicCount(models.Model):
    """How many valid answers chose each option of each optional question (criterion 3.4),
    kept like :class:`AnswerCount`."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="topic_counts", db_index=False)
    topic = models.CharField(max_length=30)
    option = models.CharField(max_length=30)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "topic", "option"], name="surveys_topic_count_uniq")]


class EventKind(models.TextChoices):
    OPENED = "opened", pgettext_lazy("event", "Mở khảo sát")
    PLAN_SET = "plan_set", pgettext_lazy("event", "Lập / sửa kế hoạch mẫu")
    IMPORTED = "imported", pgettext_lazy("event", "Nhập phiếu từ tệp")
    VOIDED = "voided", pgettext_lazy("event", "Huỷ phiếu")
    CLOSED = "closed", pgettext_lazy("event", "Đóng khảo sát")
    FED = "fed", pgettext_lazy("event", "Đưa kết quả vào tiêu chí 4")
    REOPENED = "reopened", pgettext_lazy("event", "Mở lại khảo sát")


class SurveyEvent(AppendOnly):
    """One change to a survey: who, when, what, old and new.  Append-only."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("lúc"))
    kind = models.CharField(_("thao tác"), max_length=10, choices=EventKind.choices)
    old_value = models.JSONField(_("trước"), null=True, blank=True)
    new_value = models.JSONField(_("sau"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        ordering = ["at", "pk"]


def identity_hasher(survey_code: str):
    """The function that gives the keyed hash of a phone or citizen-ID number (digits
    only) for one survey: HMAC-SHA256 with a key derived from ``SECRET_KEY``; the number
    itself is never kept.  The key is derived once (an import hashes many numbers)."""
    key = hmac.new(settings.SECRET_KEY.encode(), b"smartcommune-survey-identity", hashlib.sha256).digest()
    prefix = f"{survey_code}:"

    def digest(identity: str) -> str:
        digits = "".join(ch for ch in identity if ch.isdigit())
        return hmac.digest(key, (prefix + digits).encode(), "sha256").hex()

    return digest


def identity_hash(survey_code: str, identity: str) -> str:
    """The keyed hash of one number (:func:`identity_hasher`)."""
    return identity_hasher(survey_code)(identity)
