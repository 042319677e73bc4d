"""Routes of the exports (names are a contract: other pages link to them).

Province exports take ``(province_code, year)``, e.g. ``/exports/83/2024/ket-qua.xlsx``;
scorecard exports take ``(unit_id, year)``.
"""

from django.urls import path

from smartcommune.results.exports import views

app_name = "exports"

urlpatterns = [
    path("<str:province_code>/<int:year>/ket-qua.xlsx", views.province_xlsx, name="province_xlsx"),
    path("<str:province_code>/<int:year>/bao-cao.pdf", views.province_pdf, name="province_pdf"),
    path("<str:province_code>/<int:year>/du-lieu-mo.csv", views.open_data_csv, name="open_data_csv"),
    path("<str:province_code>/<int:year>/du-lieu-mo.json", views.open_data_json, name="open_data_json"),
    path("<str:province_code>/<int:year>/xep-hang.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("<str:province_code>/<int:year>/xep-hang.csv", views.ranking_csv, name="ranking_csv"),
    path("xa/<int:unit_id>/<int:year>/phieu-ket-qua.xlsx", views.scorecard_xlsx, name="scorecard_xlsx"),
    path("xa/<int:unit_id>/<int:year>/phieu-ket-qua.pdf", views.scorecard_pdf, name="scorecard_pdf"),
]
