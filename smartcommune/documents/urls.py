"""Routes of the official documents (``<fmt>``: ``docx`` or ``pdf``)."""

from django.urls import path

from smartcommune.documents import views

app_name = "documents"

urlpatterns = [
    path("dot/<int:round_id>/", views.documents_page, name="round"),
    path("ho-so/<int:assessment_id>/bao-cao-tu-danh-gia.<str:fmt>", views.self_assessment, name="self_assessment"),
    path("dot/<int:round_id>/huyen/<int:district_id>/to-trinh.<str:fmt>", views.district_proposal,
         name="district_proposal"),
    path("tham-dinh/<int:session_id>/bien-ban.<str:fmt>", views.appraisal_minutes, name="appraisal_minutes"),
    path("quyet-dinh/<int:decision_id>/quyet-dinh.<str:fmt>", views.decision, name="decision"),
    path("dot/<int:round_id>/du-thao-quyet-dinh.<str:fmt>", views.draft_decision, name="draft_decision"),
    path("dot/<int:round_id>/bao-cao-tinh.<str:fmt>", views.province_report, name="province_report"),
    path("dot/<int:round_id>/mau/<str:kind_code>.docx", views.template_download, name="template"),
    path("dot/<int:round_id>/mau/", views.template_upload, name="template_upload"),
]
