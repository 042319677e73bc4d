"""A URLconf for the error-page tests: the product's URLs and handlers, plus two views that
fail the way a database outage or a bug makes a view fail."""

from django.db import OperationalError
from django.urls import path

from smartcommune.urls import *  # noqa: F401,F403
from smartcommune.urls import urlpatterns as product_urlpatterns


def database_gone(request):
    raise OperationalError("connection to server at \"127.0.0.1\", port 1 failed: Connection refused")


def bug(request):
    raise ZeroDivisionError("a bug")


urlpatterns = [path("fault/database/", database_gone), path("api/v1/fault/database/", database_gone),
               path("fault/bug/", bug), *product_urlpatterns]
