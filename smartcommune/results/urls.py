"""Routes of the results (public: no login).  ``search/``, ``national/`` and ``scorecard/`` come before
the province routes, whose first part is any province code."""

from django.urls import path

from smartcommune.results import views

app_name = "results"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("national/<int:year>/", views.national, name="national"),
    path("scorecard/<int:unit_id>/<int:year>/", views.scorecard, name="scorecard"),
    path("<str:province>/<int:year>/", views.overview, name="overview"),
    path("<str:province>/<int:year>/overview.json", views.overview_json, name="overview_json"),
    path("<str:province>/<int:year>/map/", views.map_view, name="map"),
    path("<str:province>/<int:year>/ranking/", views.ranking, name="ranking"),
]
