"""Rounds: the list, opening a round (secretariat) and the round overview.

Who sees a round: the secretariat of its province, the agency verifiers of its
province (read only) and administrators; anyone else gets 404.  Opening a round is
the secretariat's (or a superuser's) and answers 403 to others.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from smartcommune.rounds import access as permissions
from smartcommune.accounts.models import Role
from smartcommune.criteriasets import store as criteria_store
from smartcommune.rounds.actions import do_open_round
from smartcommune.rounds.exceptions import ValidationFailed
from smartcommune.rounds.models import Status, status_label
from smartcommune.rounds.selectors import rounds as round_selectors
from smartcommune.rounds.selectors.rounds import REVIEW, SUBMISSION, VERIFICATION
from smartcommune.rounds.views.pagination import paginate
from smartcommune.units.models import Level, Unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _may_open_any(user) -> bool:
    return user.is_superuser or permissions.holds_role(user, Role.SECRETARIAT)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    may_open = _may_open_any(request.user)
    if not (may_open or permissions.is_admin(request.user)
            or permissions.holds_role(request.user, Role.AGENCY_VERIFIER)):
        raise PermissionDenied(_("Chỉ Thư ký Hội đồng, cán bộ của sở và quản trị viên xem được các đợt đánh giá."))
    rounds = round_selectors.round_list(request.user)
    return render(request, "rounds/rounds/list.html", {"rounds": rounds, "may_open": may_open})


class RoundForm(forms.Form):
    criteria_set_code = forms.ChoiceField(label=gettext_lazy("Bộ tiêu chí"))
    year = forms.IntegerField(label=gettext_lazy("Năm đánh giá"), min_value=2000, max_value=2100)
    province = forms.ModelChoiceField(label=gettext_lazy("Tỉnh"), queryset=Unit.objects.none(), empty_label=None)
    submission_deadline = forms.DateField(
        label=gettext_lazy("Hạn nộp của xã"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    review_deadline = forms.DateField(
        label=gettext_lazy("Hạn thẩm định cấp huyện"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    verification_deadline = forms.DateField(
        label=gettext_lazy("Hạn xác minh của sở"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set_code"].choices = [
            (f.criteria_set.code, f"{f.criteria_set.name} [{f.criteria_set.code}]") for f in criteria_store.for_new_rounds()
        ]
        provinces = Unit.objects.filter(level=Level.PROVINCE)
        if not user.is_superuser:
            provinces = provinces.filter(pk__in=permissions.units_by_role(user)[Role.SECRETARIAT])
        self.fields["province"].queryset = provinces.order_by("name")

    def clean(self):
        data = super().clean()
        code, year = data.get("criteria_set_code"), data.get("year")
        if code and year is not None:
            criteria_set = criteria_store.get_criteria_set(code)
            if not criteria_set.covers(year):
                self.add_error("year", _("Năm %(year)s ngoài giai đoạn %(start)s–%(end)s của bộ tiêu chí.") % {
                    "year": year, "start": criteria_set.period_start, "end": criteria_set.period_end})
        return data


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest) -> HttpResponse:
    if not _may_open_any(request.user):
        raise PermissionDenied(_("Chỉ Thư ký Hội đồng cấp tỉnh mới được mở đợt đánh giá."))
    if request.method == "POST":
        form = RoundForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                round_ = do_open_round(actor=request.user, **form.cleaned_data)
            except ValidationFailed as e:
                for problem in e.problems:
                    field = problem.field if problem.field in form.fields else None
                    form.add_error(field, f"{problem.vi} ({problem.en})")
            else:
                messages.success(request, _("Đã mở đợt đánh giá năm %(year)s của %(province)s (%(n)d xã).") % {
                    "year": round_.year, "province": round_.province.name, "n": round_.assessments.count()})
                return HttpResponseRedirect(reverse("rounds:round_overview", args=[round_.id]), status=303)
    else:
        year = timezone.localdate().year
        form = RoundForm(user=request.user, initial={"year": year})
    return render(request, "rounds/rounds/open.html", {"form": form})


def visible_round_or_404(request: HttpRequest, round_id: int):
    """The round, if ``request.user`` may see it (:func:`round_selectors.visible_rounds`); 404 otherwise."""
    round_ = round_selectors.visible_rounds(request.user).select_related("province").filter(pk=round_id).first()
    if round_ is None:
        raise Http404(_("Không tìm thấy đợt đánh giá."))
    return round_


RESULT_LABELS = {
    round_selectors.RECOGNISABLE: gettext_lazy("Đủ điều kiện công nhận"),
    round_selectors.SHORT: gettext_lazy("Chưa đủ lĩnh vực"),
    round_selectors.INCOMPLETE: gettext_lazy("Chưa đủ số liệu"),
}


def overview_filters(query) -> dict[str, str]:
    """The overview's filters from a query (or a form): ``district``, ``status``, ``result``,
    each text of at most 20 characters (an unknown value filters nothing)."""
    return {key: str(query.get(key, ""))[:20] for key in ("district", "status", "result")}


@login_required
def round_overview(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = visible_round_or_404(request, round_id)
    today = timezone.localdate()
    criteria_set = round_.criteria_set
    filters = overview_filters(request.GET)
    # The counts cover every commune (of the chosen district); the rows match every filter.
    overview = round_selectors.round_overview(round_, today=today, **filters)
    page = paginate(request, overview.shown)
    rows = round_selectors.overview_rows(list(page.object_list))
    overdue, by_status, items_overdue = overview.overdue, overview.by_status, overview.items_overdue
    steps = [
        {"key": SUBMISSION, "label": _("Xã nộp hồ sơ"), "deadline": round_.submission_deadline,
         "statuses": [Status.DRAFT, Status.RETURNED], "overdue": overdue[SUBMISSION]},
        {"key": REVIEW, "label": _("Huyện thẩm định"), "deadline": round_.review_deadline,
         "statuses": [Status.SUBMITTED], "overdue": overdue[REVIEW]},
        {"key": VERIFICATION, "label": _("Sở xác minh"), "deadline": round_.verification_deadline,
         "statuses": [Status.DISTRICT_REVIEWED, Status.AGENCY_VERIFIED], "overdue": overdue[VERIFICATION],
         "items_overdue": items_overdue},
        {"key": "decision", "label": _("Thẩm định và quyết định"), "deadline": None,
         "statuses": [Status.APPRAISED, Status.RECOGNISED, Status.NOT_RECOGNISED, Status.PUBLISHED], "overdue": 0},
    ]
    if not round_.has_districts:
        steps = [s for s in steps if s["key"] != REVIEW]  # communes directly under the province
    for s in steps:
        s["counts"] = [(status_label(st, districts=round_.has_districts), st.value, by_status.get(st.value, 0))
                       for st in s["statuses"]]
        s["past"] = s["deadline"] is not None and today > s["deadline"]
    return render(request, "rounds/rounds/overview.html", {
        "round": round_,
        "criteria_set": criteria_set,
        "fields_total": len(criteria_set.groups),
        "steps": steps,
        "total": overview.total,
        "matching": len(overview.shown),
        "results": [(key, label, overview.by_result.get(key, 0)) for key, label in RESULT_LABELS.items()],
        "statuses": [(s, status_label(s, districts=round_.has_districts)) for s in Status.values],
        "rows": rows,
        "page": page,
        "districts": overview.districts,
        "district_counts": [(d, overview.by_district.get(d.pk, 0)) for d in overview.districts],
        "filters": filters,
        "district": filters["district"],
        "is_secretariat": permissions.is_secretariat_of(request.user, round_.province),
        "today": today,
    })
