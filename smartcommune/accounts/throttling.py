"""Failed sign-ins are throttled by django-axes (configured in ``settings.py``): this module
holds the product's two pieces of it.

* :class:`LoginThrottleBackend` -- axes' backend, which refuses a sign-in for an account or
  address that is locked out.  Only requests can be locked out (the lock-out is per client
  address): an ``authenticate()`` without a request (a shell, a management command, the
  test client's ``login``) has no address to count and nothing to throttle, so it is passed
  on to the next backend instead of being an error.
* :func:`locked_out` -- the answer to a locked-out attempt, on the product's sign-in page
  and the admin's: the sign-in page again, with a plain Vietnamese message and 429.
* :func:`username_of` -- the name axes records an attempt under, cut to its column's length.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT_STATUS = 429

# The length of axes' username columns (AccessAttempt, AccessFailureLog, AccessLog).
RECORDED_USERNAME_LENGTH = 255


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The sign-in page with the lock-out message (status 429); nothing is signed in."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "registration/login.html", {
        "form": form,
        "locked_out": True,
        "cool_off_minutes": minutes,
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }, status=LOCKED_OUT_STATUS)


def username_of(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name typed, as axes records and counts it (``AXES_USERNAME_CALLABLE``).

    Django's sign-in forms do not bound the name, and axes stores it as typed: a megabyte
    typed there made PostgreSQL refuse the row, a 500 (SQLite keeps it whole).  No account
    has a name longer than the column (Django's is at most 150), so the cut changes no
    lock-out of a real account."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "data", request.POST).get("username")
    return name[:RECORDED_USERNAME_LENGTH] if isinstance(name, str) else name
