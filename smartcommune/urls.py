from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("smartcommune.rounds.home_urls")),
    path("", include("smartcommune.accounts.urls")),
    path("", include("smartcommune.rounds.urls")),
    path("results/", include("smartcommune.results.urls")),
    path("exports/", include("smartcommune.results.exports.urls")),
    path("imports/", include("smartcommune.imports.urls")),
    path("api/", include("smartcommune.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
