"""The signed-in home page ("Việc của tôi") and notifications, at the site's root (URL
names ``home`` and ``notifications``, without the ``rounds`` namespace)."""

from django.urls import path

from smartcommune.rounds.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("notifications/", home.notifications, name="notifications"),
]
