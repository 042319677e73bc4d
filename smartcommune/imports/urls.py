"""Routes of the import: templates, upload, preview, confirmation."""

from django.urls import path

from smartcommune.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dot/<int:round_id>/mau-nhap-lieu.xlsx", views.round_template, name="round_template"),
    path("ho-so/<int:assessment_id>/mau-nhap-lieu.xlsx", views.assessment_template, name="assessment_template"),
    path("dot/<int:round_id>/tai-len/", views.upload, name="upload"),
    path("lan-nhap/<int:batch_id>/", views.batch_detail, name="batch"),
    path("lan-nhap/<int:batch_id>/xac-nhan/", views.batch_confirm, name="batch_confirm"),
    path("lan-nhap/<int:batch_id>/huy/", views.batch_discard, name="batch_discard"),
]
