"""Admin for the round's data.

Assessments, their values and evidence change only through the application's actions
(which lock, version and audit every change), so here they are read-only; the audit log
can never be added to, changed or deleted by hand.  A round is opened on the
application's own screen (which creates every commune's assessment); here only its
deadlines can be moved, through the audited action ``do_move_deadlines``.
"""

from django import forms
from django.contrib import admin

from smartcommune.core.language import in_language
from smartcommune.rounds.access import can_open_round
from smartcommune.rounds.actions import deadline_problems, do_move_deadlines
from smartcommune.rounds.models import Assessment, AuditEntry, CriterionValue, Evidence, Notification, Round

DEADLINES = ("submission_deadline", "review_deadline", "verification_deadline")


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoundDeadlinesForm(forms.ModelForm):
    """Moved deadlines follow the rules of opening a round
    (:func:`smartcommune.rounds.actions.deadline_problems`: within the round's years, in
    order); the save goes through :func:`~smartcommune.rounds.actions.do_move_deadlines`."""

    class Meta:
        model = Round
        fields = list(DEADLINES)

    def clean(self):
        data = super().clean()
        for problem in deadline_problems(self.instance.year, *(data.get(f) for f in DEADLINES)):
            self.add_error(problem.field if problem.field in DEADLINES else None, in_language(problem))
        return data


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundDeadlinesForm
    list_display = ["year", "province", "criteria_set_code", "submission_deadline", "review_deadline",
                    "verification_deadline", "opened_by", "opened_at"]
    list_filter = ["year", "criteria_set_code", "province"]
    readonly_fields = ["criteria_set_code", "year", "province", "opened_by", "opened_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Only who may move the deadlines (do_move_deadlines) edits them.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_open_round(request.user, obj.province))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form has checked the deadlines; the action locks, saves and audits.
        do_move_deadlines(actor=request.user, round_=obj, **{f: form.cleaned_data[f] for f in DEADLINES})


class CriterionValueInline(ReadOnlyMixin, admin.TabularInline):
    model = CriterionValue
    extra = 0
    fields = ["criterion_code", "numerator", "denominator", "met", "source", "review_status", "review_comment",
              "answer", "reviewed_by", "reviewed_at", "updated_by", "updated_at"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["criterion_code", "kind", "original_name", "url", "document_number", "uploaded_by", "uploaded_at",
              "removed_at"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["unit", "round", "status", "late", "submitted_at", "decision_number", "version"]
    list_filter = ["status", "round", "late"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "round", "round__province"]
    inlines = [CriterionValueInline, EvidenceInline]


@admin.register(CriterionValue)
class CriterionValueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["assessment", "criterion_code", "numerator", "denominator", "met", "review_status"]
    list_filter = ["review_status", "assessment__round"]
    search_fields = ["assessment__unit__name", "assessment__unit__code", "criterion_code"]
    list_select_related = ["assessment__unit", "assessment__round"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["assessment", "criterion_code", "kind", "original_name", "uploaded_by", "uploaded_at", "removed_at"]
    list_filter = ["kind", "assessment__round"]
    search_fields = ["assessment__unit__name", "assessment__unit__code", "criterion_code", "original_name"]
    list_select_related = ["assessment__unit", "assessment__round", "uploaded_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "assessment", "version", "actor", "action", "criterion_code", "field", "old_value",
                    "new_value"]
    list_filter = ["action", "assessment__round"]
    search_fields = ["assessment__unit__name", "assessment__unit__code", "criterion_code", "reason"]
    list_select_related = ["assessment__unit", "assessment__round", "actor"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "message", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["recipient__username", "message"]
    readonly_fields = ["recipient", "assessment", "message", "url", "created_at"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False
