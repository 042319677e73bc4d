"""The web pages where a person creates and revokes their personal API tokens.

A token acts with its owner's roles, so every logged-in user may have tokens; a person
sees and revokes only their own (another person's token answers 404).  The secret is
shown once, on the page that answers the creation (``Cache-Control: no-store``), and is
never stored.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcommune.api.actions import do_create_token, do_revoke_token
from smartcommune.api.models import ApiToken
from smartcommune.rounds.exceptions import ValidationFailed

EXPIRY_DAYS = ("30", "90", "365")


def _list_page(request: HttpRequest, *, status: int = 200, name: str = "", expires: str = "") -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {
        "tokens": tokens, "now": timezone.now(), "name": name, "expires": expires, "expiry_days": EXPIRY_DAYS,
    }, status=status)


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    expires = request.POST.get("expires_days", "")
    if expires and expires not in EXPIRY_DAYS:
        messages.error(request, _("Thời hạn không hợp lệ: %(v)s") % {"v": expires})
        return _list_page(request, status=400, name=name)
    expires_at = timezone.now() + timedelta(days=int(expires)) if expires else None
    try:
        token, secret = do_create_token(actor=request.user, name=name, expires_at=expires_at)
    except ValidationFailed as e:
        for problem in e.problems:
            messages.error(request, problem.vi)
        return _list_page(request, status=400, name=name, expires=expires)
    response = render(request, "api/token_created.html", {"token": token, "secret": secret})
    # The only copy of the secret: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404(_("Không tìm thấy khóa API."))
    do_revoke_token(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi khóa “%(name)s”.") % {"name": token.name})
    return HttpResponseRedirect(reverse("api:token_list"), status=303)
