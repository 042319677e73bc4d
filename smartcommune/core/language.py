"""The interface language: Vietnamese unless the person chose English, and switching it
from any page, the public results pages included.

:class:`ChosenLanguageMiddleware` (in place of Django's ``LocaleMiddleware``) takes the
language from the choice made with the language menu (the ``django_language`` cookie that
``set_language`` sets, kept for the browser session) and otherwise uses ``LANGUAGE_CODE``
(Vietnamese).  The browser's ``Accept-Language`` is ignored on purpose: a Vietnamese officer
whose browser is set to English must still get Vietnamese.  Pages (HTML) vary on ``Cookie``
(the choice), nothing on ``Accept-Language``.

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
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
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


def english() -> bool:
    """Whether the page being made is in English (else Vietnamese, the default)."""
    return (translation.get_language() or "vi").split("-")[0] == "en"


def in_language(text) -> str:
    """A text given in both languages (``.vi``, ``.en``, as a refusal's problems are): the
    one of the page."""
    return text.en if english() else text.vi


def chosen_language(request: HttpRequest) -> str:
    """The language the person chose with the language menu, else ``LANGUAGE_CODE``."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code in dict(settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Activate :func:`chosen_language` for the request (never ``Accept-Language``)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # Pages are written in the chosen language; data (CSV, JSON, files) is the same
        # whatever the choice.
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
