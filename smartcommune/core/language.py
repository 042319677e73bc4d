"""Switching the interface language from any page, the public results pages included.

Django's ``set_language`` is protected by the CSRF token like every POST.  A public results
page is kept whole and shared by browsers and proxies (``smartcommune.results.delivery``),
so it carries no token: one visitor's token in a shared page would leak their CSRF secret
and fail for everyone else.  Choosing a language changes nothing but a preference, so this
view checks where the request comes from instead of a token -- what browsers send on every
POST they make: ``Sec-Fetch-Site`` must say the same site (or a typed address), and an
``Origin``, when sent, must be this site's own (or one of ``CSRF_TRUSTED_ORIGINS``).  A form
posted from another site is refused; the rest is Django's ``set_language``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

SAME_SITE = ("same-origin", "none")


def same_origin(request: HttpRequest) -> bool:
    """Whether the browser says ``request`` comes from this site (or says nothing)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in SAME_SITE:
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt
def set_language(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not same_origin(request):
        raise PermissionDenied(_("Chỉ đổi được ngôn ngữ từ chính trang này."))
    return django_set_language(request)
