from django.contrib import admin
from django.urls import include, path

from smartcommune.core import health
from smartcommune.core import language
from smartcommune.core import views as core_views

urlpatterns = [
    path("", include("smartcommune.rounds.home_urls")),
    path("", include("smartcommune.accounts.urls")),
    path("", include("smartcommune.rounds.urls")),
    path("results/", include("smartcommune.results.urls")),
    path("exports/", include("smartcommune.results.exports.urls")),
    path("imports/", include("smartcommune.imports.urls")),
    path("", include("smartcommune.surveys.urls")),
    path("criteria-sets/", include("smartcommune.criteriasets.urls")),
    path("van-ban/", include("smartcommune.documents.urls")),
    path("api/", include("smartcommune.api.urls")),
    path("", include("smartcommune.disclosure.urls")),
    # Checked by origin, not by token: public pages are shared by proxies (core/language.py).
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
]

# The product's error pages (smartcommune/core/errors.py); /healthz for the proxy or a monitor.
urlpatterns.append(path("healthz", health.healthz, name="healthz"))
handler400 = "smartcommune.core.errors.bad_request"
handler403 = "smartcommune.core.errors.permission_denied"
handler404 = "smartcommune.core.errors.page_not_found"
handler500 = "smartcommune.core.errors.server_error"
