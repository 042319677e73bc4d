"""Rounds, assessments, reported values, evidence, the audit log and in-app notifications.

Writes go through :mod:`smartcommune.rounds.actions` only: they lock the assessment, bump
its :attr:`Assessment.version` (optimistic concurrency) and append :class:`AuditEntry`
rows.  The audit log is append-only at the model *and* queryset level.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartcommune.core.language import english
from smartcommune.criteria.model import CriteriaSet
from smartcommune.rounds.exceptions import AuditImmutable
from smartcommune.units.models import Level


class Round(models.Model):
    """One yearly assessment round of one criteria set in one province."""

    criteria_set_code = models.CharField(_("bộ tiêu chí"), max_length=100)
    criteria_hash = models.CharField(
        _("mã băm SHA-256 của bộ tiêu chí"), max_length=64, blank=True, default="",
        help_text=_("nội dung tệp bộ tiêu chí khi mở đợt; tệp khác dưới cùng mã bị từ chối"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    province = models.ForeignKey(
        "units.Unit",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Level.PROVINCE},
        related_name="rounds",
    )
    submission_deadline = models.DateField(_("hạn nộp của xã"))
    review_deadline = models.DateField(_("hạn thẩm định cấp huyện"))
    verification_deadline = models.DateField(_("hạn xác minh của sở"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người mở đợt"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("mở lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = pgettext_lazy("plural", "đợt đánh giá")
        ordering = ["-year", "province_id", "criteria_set_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set_code", "year", "province"], name="rounds_round_set_year_province_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set_code} — {self.year} — {self.province.name}"

    @property
    def criteria_set(self) -> CriteriaSet:
        """The set this round was opened with; refused (``CriteriaSetChanged``) if its file
        changed since under the same code."""
        from smartcommune.criteriasets.store import for_round

        # Kept on the instance: pages ask for it per row, and an uploaded set costs a query.
        key = (self.criteria_set_code, self.criteria_hash)
        cached = self.__dict__.get("_criteria_set_cache")
        if cached is None or cached[0] != key:
            cached = (key, for_round(*key))
            self.__dict__["_criteria_set_cache"] = cached
        return cached[1]

    @cached_property
    def has_districts(self) -> bool:
        """Whether the province has a district level (before the 1 July 2025 reform); after
        it, communes hang directly under the province and nothing names a district."""
        return self.province.children.filter(level=Level.DISTRICT).exists()


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    DISTRICT_REVIEWED = "district_reviewed", _("Huyện đã thẩm định")
    AGENCY_VERIFIED = "agency_verified", _("Sở đã xác minh")
    APPRAISED = "appraised", _("Đã thẩm định")
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không được công nhận")
    PUBLISHED = "published", _("Đã công bố")


def vi_label(choice: models.Choices) -> str:
    """A choice's Vietnamese label whatever the active language: for messages that carry
    both languages (the labels are translated for the interface)."""
    with translation.override("vi"):
        return str(choice.label)


def status_label(status: str, *, districts: bool = True) -> str:
    """A workflow status as people read it.  Where there is no district review (a commune
    directly under its province, after the 1 July 2025 reform: ``districts=False``) a
    submitted file goes straight to the agencies, so what the workflow calls "district
    reviewed" reads "waiting for the agencies"."""
    if status == Status.DISTRICT_REVIEWED and not districts:
        return str(_("Chờ sở xác minh"))
    return str(Status(status).label)


FROZEN = frozenset({Status.RECOGNISED, Status.NOT_RECOGNISED, Status.PUBLISHED})


class ReturnStage(models.TextChoices):
    DISTRICT = "district", _("Cấp huyện")
    AGENCY = "agency", _("Sở")


class Assessment(models.Model):
    """One commune's self-assessment in one round, and where it stands in the workflow."""

    round = models.ForeignKey(Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=pgettext_lazy("field", "xã"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Level.COMMUNE},
        related_name="assessments",
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    late = models.BooleanField(_("nộp trễ hạn"), default=False)
    returned_stage = models.CharField(_("bị trả lại từ"), max_length=10, choices=ReturnStage.choices, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký"), max_length=200, blank=True)
    decision_recognised = models.BooleanField(_("được công nhận"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ tự đánh giá")
        verbose_name_plural = pgettext_lazy("plural", "hồ sơ tự đánh giá")
        ordering = ["round_id", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="rounds_assessment_round_unit_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.round.year}"

    @property
    def status_text(self) -> str:
        """The status as people read it (:func:`status_label`): a commune directly under its
        province has no district review.  Compares ids only, so a list of assessments costs
        no query more."""
        return status_label(self.status, districts=self.unit.parent_id != self.round.province_id)

    @property
    def frozen(self) -> bool:
        """Recognised, not recognised or published: no edit without an audited reopening."""
        return self.status in FROZEN

    @property
    def awaiting_agency(self) -> bool:
        """Whether agencies may verify or return items now.

        A return from the district sends the file back *before* the agencies' step, so
        they wait for it to come round again; a return from an agency does not stop the
        other agencies.
        """
        return self.status == Status.DISTRICT_REVIEWED or (
            self.status == Status.RETURNED and self.returned_stage == ReturnStage.AGENCY
        )


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác minh")
    RETURNED = "returned", _("Bị trả lại")
    ANSWERED = "answered", _("Đã giải trình")
    VERIFIED = "verified", _("Đã xác minh")


def criterion_slug(code: str) -> str:
    """A criterion (or keyed row) code as an HTML id part: ``1.2`` → ``1-2``,
    ``4.1:b`` → ``4-1--b`` (the page's anchors)."""
    return code.replace(".", "-").replace(":", "--")


SLOT_FIELDS = ("numerator", "denominator", "met", "count", "choice", "source")
"""The fields a row of the exchange format gives: a criterion's own row, or a keyed row."""


def criterion_of_slot(code: str) -> str:
    """The criterion a row belongs to: ``"4.1:b"`` → ``"4.1"``, ``"4.1"`` → ``"4.1"``."""
    return code.split(":", 1)[0]


def slot_key(code: str) -> str:
    """The key of a keyed row: ``"4.1:b"`` → ``"b"``."""
    return code.split(":", 1)[1]


class CriterionValue(models.Model):
    """What the commune reported for one criterion; one row per criterion from the start.

    Empty inputs mean "not reported".  ``updated_at`` moves only when the commune changes
    a reported field (not on review), so "changed since it was returned" is
    ``updated_at > reviewed_at``.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="values")
    criterion_code = models.CharField(_("tiêu chí"), max_length=20)
    numerator = models.PositiveIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    count = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    choice = models.CharField(_("lựa chọn"), max_length=50, null=True, blank=True)
    source = models.TextField(_("nguồn số liệu"), blank=True)
    # The values of the criterion's keyed conditions, each a row of its own in the
    # exchange format ("4.1:b"): ``{"b": {"numerator": 3, "denominator": 4, ...}}``
    # (the fields of SLOT_FIELDS); null when the criterion has none or none is reported.
    # They belong to the criterion: reviewed, fed and evidenced with it.
    keyed = models.JSONField(_("điều kiện riêng"), null=True, blank=True)
    # The process kept in the product that fills these values (``do_feed_values``), e.g.
    # "survey": while set, no hand edit (web, API, import) may change them.
    fed_by = models.CharField(_("điền tự động bởi"), max_length=30, blank=True)
    review_status = models.CharField(
        _("tình trạng xác minh"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("giải trình của xã"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giá trị tiêu chí")
        verbose_name_plural = pgettext_lazy("plural", "giá trị tiêu chí")
        ordering = ["assessment_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion_code"], name="rounds_criterionvalue_assessment_criterion_uniq"
            ),
        ]

    @property
    def slug(self) -> str:
        """The anchor of this criterion on the assessment page."""
        return criterion_slug(self.criterion_code)

    def given(self, code: str) -> dict[str, object]:
        """The fields (:data:`SLOT_FIELDS`) of row ``code``: this criterion's own, or one
        of its keyed conditions (``"<criterion code>:<key>"``, stored in ``keyed``)."""
        if code == self.criterion_code:
            return {f: getattr(self, f) for f in SLOT_FIELDS}
        stored = (self.keyed or {}).get(slot_key(code), {})
        return {f: stored.get(f, "" if f == "source" else None) for f in SLOT_FIELDS}

    def set_given(self, code: str, field: str, new: object) -> object:
        """Set ``field`` of row ``code`` (as :meth:`given` reads it) to ``new``; returns
        the old value.  A keyed row's fields are written into a new ``keyed`` dict."""
        if code == self.criterion_code:
            old = getattr(self, field)
            setattr(self, field, new)
            return old
        key = slot_key(code)
        keyed = {k: dict(v) for k, v in (self.keyed or {}).items()}
        slot = keyed.setdefault(key, {})
        old = slot.get(field, "" if field == "source" else None)
        slot[field] = new
        # Only what is reported is kept: an all-empty slot, and an empty dict, vanish.
        keyed[key] = {f: v for f, v in slot.items() if v not in (None, "")}
        self.keyed = {k: v for k, v in keyed.items() if v} or None
        return old

    def __str__(self) -> str:
        return f"{self.criterion_code}: {self.numerator}/{self.denominator} {self.met}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp")
    LINK = "link", _("Đường dẫn")
    DOCUMENT = "document", _("Văn bản")


def evidence_path(instance: Evidence, filename: str) -> str:
    """``evidence/<round id>/<assessment id>/<uuid4><ext>``; ``filename`` only lends its
    (already validated) extension -- the user's file name never reaches the disk."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{instance.assessment.round_id}/{instance.assessment_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file, a link or a document reference supporting one criterion; removal is soft."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    criterion_code = models.CharField(_("tiêu chí"), max_length=20)
    kind = models.CharField(_("loại"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("tệp"), upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = pgettext_lazy("plural", "minh chứng")
        ordering = ["assessment_id", "criterion_code", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.url or self.document_number

    def summary(self) -> dict:
        """What the audit log keeps of this item."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "original_name": self.original_name,
            "size": self.size,
            "url": self.url,
            "document_number": self.document_number,
            "document_date": self.document_date.isoformat() if self.document_date else None,
            "note": self.note,
        }


def audit_value_shown(value, *, evidence_openable: bool):
    """An audit entry's old or new value as a viewer sees it.

    An evidence item's summary (:meth:`Evidence.summary`) loses its web address (``url``
    becomes ``None``) unless the viewer may open the assessment's evidence
    (:func:`~smartcommune.rounds.access.may_open_evidence`): the history then says
    what the item is (kind, file name, document number and date), as the scorecard does,
    not where it is.  Any other value is returned unchanged.
    """
    if not evidence_openable and isinstance(value, dict) and value.get("url"):
        return {**value, "url": None}
    return value


class AuditAction(models.TextChoices):
    CREATED = "created", pgettext_lazy("audit action", "Tạo hồ sơ")
    VALUE_CHANGED = "value_changed", pgettext_lazy("audit action", "Sửa số liệu")
    EVIDENCE_ADDED = "evidence_added", pgettext_lazy("audit action", "Thêm minh chứng")
    EVIDENCE_REMOVED = "evidence_removed", pgettext_lazy("audit action", "Gỡ minh chứng")
    STATUS_CHANGED = "status_changed", pgettext_lazy("audit action", "Đổi trạng thái")
    ITEM_VERIFIED = "item_verified", pgettext_lazy("audit action", "Xác minh tiêu chí")
    ITEM_RETURNED = "item_returned", pgettext_lazy("audit action", "Trả lại tiêu chí")
    ITEM_ANSWERED = "item_answered", pgettext_lazy("audit action", "Giải trình tiêu chí")
    DECISION_RECORDED = "decision_recorded", pgettext_lazy("audit action", "Ghi quyết định công nhận")
    PUBLISHED = "published", pgettext_lazy("audit action", "Công bố")
    REOPENED = "reopened", pgettext_lazy("audit action", "Mở lại hồ sơ")
    DEADLINE_MOVED = "deadline_moved", pgettext_lazy("audit action", "Dời hạn của đợt")
    VALUE_FED = "value_fed", pgettext_lazy("audit action", "Điền số liệu tự động")
    DECISION_AMENDED = "decision_amended", pgettext_lazy("audit action", "Sửa đổi quyết định công nhận")


class AuditQuerySet(models.QuerySet):
    """The queryset of an append-only log: no update, delete or bulk update."""

    def update(self, **kwargs):
        raise AuditImmutable(vi_verb="sửa", en_verb="updated")

    def delete(self):
        raise AuditImmutable(vi_verb="xoá", en_verb="deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutable(vi_verb="sửa", en_verb="updated")


class AppendOnly(models.Model):
    """A log row written once: the assessment audit log, the survey's and the disclosure
    register's.  Saving an existing row, deleting one and the queryset's bulk writes
    raise :class:`~smartcommune.rounds.exceptions.AuditImmutable`."""

    objects = AuditQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditImmutable(vi_verb="sửa", en_verb="updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable(vi_verb="xoá", en_verb="deleted")


class AuditEntry(AppendOnly):
    """One change: who, when, which field, old and new value.  Append-only.

    ``version`` is the assessment's version *after* the write that made the change, so
    the changes since version ``v`` are the entries with ``version > v``.  The actor is
    protected: a user who made changes is deactivated, never deleted.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="audit_entries")
    version = models.PositiveIntegerField(_("phiên bản"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))
    action = models.CharField(_("thao tác"), max_length=20, choices=AuditAction.choices)
    criterion_code = models.CharField(_("tiêu chí"), max_length=20, blank=True)
    field = models.CharField(_("trường"), max_length=50, blank=True)
    old_value = models.JSONField(_("giá trị cũ"), null=True, blank=True)
    new_value = models.JSONField(_("giá trị mới"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)


    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký thay đổi")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["assessment", "version"], name="rounds_audit_assess_version")]

    def __str__(self) -> str:
        where = ".".join(s for s in (self.criterion_code, self.field) if s)
        return f"v{self.version} {self.get_action_display()} {where}: {self.old_value!r} → {self.new_value!r}"



class Notification(models.Model):
    """An in-app message; the same text goes by e-mail to recipients who have an address."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.TextField(_("nội dung"))
    # The same text in English, shown to a reader who chose English (empty: Vietnamese).
    message_en = models.TextField(_("nội dung tiếng Anh"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("plural", "thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="rounds_notif_unread")]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The message in the language of the page being made."""
        return self.message_en if english() and self.message_en else self.message



# -- the council's appraisal and the province's decisions -----------------------------------
#
# A province appraises and decides a round as acts over many communes: one appraisal
# session of its council (Hội đồng thẩm định) with one result per commune, one decision
# (Quyết định công nhận) with its annex, one line per commune.  The lines are written by
# the workflow's ``appraise``, ``record_decision`` and ``amend_decision`` transitions (so
# every channel -- a batch, one commune's page, the API, the demo -- records them), and the
# assessment keeps a copy of its current line in ``decision_*`` for the results.


class AppraisalSession(models.Model):
    """One meeting of the council appraising communes of a round."""

    round = models.ForeignKey(Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="appraisal_sessions")
    date = models.DateField(_("ngày họp"))
    members = models.TextField(_("thành phần Hội đồng"), blank=True, help_text=_("mỗi dòng một người: họ tên, chức vụ"))
    minutes = models.TextField(_("nội dung biên bản"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("phiên thẩm định")
        verbose_name_plural = pgettext_lazy("plural", "phiên thẩm định")
        ordering = ["round_id", "date", "pk"]

    def __str__(self) -> str:
        return f"Phiên thẩm định ngày {self.date:%d/%m/%Y}"

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]


class AppraisalResult(models.Model):
    """The council's appraisal of one commune in a session: its conclusion (propose the
    commune for recognition or not, with the engine's count of fields met at the time)
    and the council's comment."""

    session = models.ForeignKey(AppraisalSession, verbose_name=_("phiên"), on_delete=models.PROTECT,
                                related_name="results")
    assessment = models.ForeignKey(Assessment, verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                   related_name="appraisals")
    proposed = models.BooleanField(_("đề nghị công nhận"))
    fields_met = models.PositiveSmallIntegerField(_("số lĩnh vực đạt"))
    fields_required = models.PositiveSmallIntegerField(_("số lĩnh vực cần đạt"))
    fields_total = models.PositiveSmallIntegerField(_("tổng số lĩnh vực"))
    comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kết quả thẩm định")
        verbose_name_plural = pgettext_lazy("plural", "kết quả thẩm định")
        ordering = ["session_id", "assessment__unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["session", "assessment"], name="rounds_appraisal_session_assessment_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {'đề nghị công nhận' if self.proposed else 'không đề nghị công nhận'}"


class Decision(models.Model):
    """The province's recognition decision (Quyết định công nhận) of a round: its number,
    date, signer and issuing body; its annex is its :class:`DecisionLine` rows.  The
    criteria set and the year are the round's."""

    round = models.ForeignKey(Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("số quyết định"), max_length=50)
    date = models.DateField(_("ngày quyết định"))
    signer_name = models.CharField(_("người ký"), max_length=200)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = pgettext_lazy("plural", "quyết định công nhận")
        ordering = ["round_id", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="rounds_decision_round_number_uniq"),
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.number} ngày {self.date:%d/%m/%Y}"

    @property
    def year(self) -> int:
        return self.round.year

    @property
    def criteria_set_code(self) -> str:
        return self.round.criteria_set_code


class DecisionLine(models.Model):
    """One commune in a decision's annex: recognised, or not with the reason.  A line of a
    later decision for the same assessment amends (or, when it withdraws a recognition,
    revokes) the line it names in ``amends``; both decisions and lines are kept."""

    decision = models.ForeignKey(Decision, verbose_name=_("quyết định"), on_delete=models.PROTECT, related_name="lines")
    assessment = models.ForeignKey(Assessment, verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                   related_name="decision_lines")
    recognised = models.BooleanField(_("được công nhận"))
    reason = models.TextField(_("lý do"), blank=True)
    amends = models.ForeignKey("self", verbose_name=_("sửa đổi dòng"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="amendments")
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("dòng phụ lục quyết định")
        verbose_name_plural = pgettext_lazy("plural", "dòng phụ lục quyết định")
        ordering = ["decision_id", "assessment__unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "assessment"], name="rounds_decisionline_decision_assess_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.decision.number}: {self.assessment} — {self.kind_label}"

    @property
    def revokes(self) -> bool:
        """Withdraws the recognition an earlier line gave."""
        return self.amends is not None and self.amends.recognised and not self.recognised

    @property
    def kind_label(self) -> str:
        if self.revokes:
            return "Thu hồi công nhận"
        return "Công nhận" if self.recognised else "Không công nhận"
