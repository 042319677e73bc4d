"""The signed-in home page ("Việc của tôi") and notifications (login and logout are
:mod:`smartcommune.accounts.views`).

Anonymous visitors get the public landing page (:func:`smartcommune.core.views.home`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcommune.accounts.models import Role
from smartcommune.core.views import home as landing
from smartcommune.rounds import access
from smartcommune.rounds.actions import do_mark_notifications_read
from smartcommune.rounds.models import Notification, status_label
from smartcommune.rounds.my_work import home_summary
from smartcommune.rounds.selectors.rounds import overdue_step


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return landing(request)
    today = timezone.localdate()
    summary = home_summary(request.user)
    officer = None
    if summary.officer is not None:
        officer = {
            "assessments": [(a, overdue_step(a, today)) for a in summary.officer.assessments],
            "returned_items": summary.officer.returned_items,
            "decided": summary.officer.decided,
        }
    district = None
    if summary.district is not None:
        district = [(a, today > a.round.review_deadline) for a in summary.district.awaiting_review]
    agency = None
    if summary.agency is not None:
        rows = [(v, today > v.assessment.round.verification_deadline) for v in summary.agency.items]
        agency = {"count": summary.agency.count, "overdue": sum(1 for _, late in rows if late), "rows": rows[:50]}
    secretariat = [
        {"round": p.round, "steps": [(status_label(s, districts=p.round.has_districts), s, n)
                                     for s, n in p.by_status.items()],
         "total": sum(p.by_status.values())}
        for p in summary.secretariat
    ]
    secretariat_role = bool(secretariat) or access.holds_role(request.user, Role.SECRETARIAT)
    has_roles = any((officer, district is not None, agency, secretariat_role))
    return render(request, "rounds/home.html", {
        "officer": officer,
        "district": district,
        "agency": agency,
        "secretariat": secretariat,
        "secretariat_role": secretariat_role,
        "has_roles": has_roles,
        "is_admin": access.is_admin(request.user),
        "today": today,
    })


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        n = do_mark_notifications_read(actor=request.user)
        if n:
            messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": n})
        return HttpResponseRedirect(reverse("notifications"), status=303)
    rows = list(mine.select_related("assessment__round__province")[:NOTIFICATIONS_SHOWN])
    return render(request, "rounds/notifications.html", {
        "rows": rows,
        "days": _grouped(rows),
        "unread": mine.filter(read_at__isnull=True).count(),
        "total": mine.count(),
    })


NOTIFICATIONS_SHOWN = 500


def _grouped(rows: list[Notification]) -> list[dict]:
    """Notifications by day (newest first), and within a day by round: one line per round
    and day rather than one per commune forwarded."""
    days: dict = {}
    for n in rows:
        day = days.setdefault(timezone.localdate(n.created_at), {})
        round_ = n.assessment.round if n.assessment_id else None
        group = day.setdefault(round_.pk if round_ else None, {"round": round_, "items": [], "unread": 0})
        group["items"].append(n)
        group["unread"] += n.read_at is None
    return [{"day": d, "rounds": list(groups.values())} for d, groups in days.items()]
