"""Routes of the criteria-set library (``views.py``)."""

from django.urls import path

from smartcommune.criteriasets import views

app_name = "criteriasets"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("<int:upload_id>/", views.detail, name="detail"),
    path("<int:upload_id>/export.xlsx", views.export, name="export"),
    path("<int:upload_id>/available/", views.make_available, name="make_available"),
]
