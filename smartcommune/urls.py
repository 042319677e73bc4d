from django.contrib import admin
from django.urls import include, path

from smartcommune.core import language

urlpatterns = [
    path("", include("smartcommune.accounts.urls")),
    path("", include("smartcommune.rounds.urls")),
    path("results/", include("smartcommune.results.urls")),
    path("exports/", include("smartcommune.results.exports.urls")),
    path("imports/", include("smartcommune.imports.urls")),
    path("api/", include("smartcommune.api.urls")),
    # Checked by origin, not by token: public pages are shared by proxies (core/language.py).
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
