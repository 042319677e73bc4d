"""Login and logout.  The signed-in home page and notifications are the assessment's
(:mod:`smartcommune.rounds.views.home`)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); the nav bar's button posts here."""
