"""``/api/``: the JSON API (see :mod:`smartcommune.api.api`), the web pages where a person
manages their tokens (``/api/tokens/``), and a JSON 404 for every other address."""

from django.urls import path, re_path

from smartcommune.api import views
from smartcommune.api.api import api
from smartcommune.api.errors import json_method_guard, json_not_found

app_name = "api"

ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    # ninja answers a wrong method in plain text; give it the API's error shape.
    if hasattr(pattern, "callback"):
        pattern.callback = json_method_guard(pattern.callback)

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/create/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    re_path(r"^.*$", json_not_found),
]
