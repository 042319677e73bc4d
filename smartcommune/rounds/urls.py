"""Routes of the yearly round. Views: ``views/rounds.py`` (opening and overview),
``views/assessment.py`` (the self-assessment page), ``views/evidence.py``, ``views/history.py`` and
``views/workflow.py`` (transitions and the district and agency queues)."""

from django.urls import path

from smartcommune.rounds.views import assessment, evidence, history, rounds, submission, workflow

app_name = "rounds"

urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/open/", rounds.round_open, name="round_open"),
    path("rounds/<int:round_id>/", rounds.round_overview, name="round_overview"),
    path("assessments/<int:assessment_id>/", assessment.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/evaluate/", assessment.assessment_evaluate, name="assessment_evaluate"),
    path("assessments/<int:assessment_id>/save/", assessment.assessment_save, name="assessment_save"),
    path("assessments/<int:assessment_id>/answer/", assessment.item_answer, name="item_answer"),
    path("assessments/<int:assessment_id>/submit/", submission.assessment_submit, name="assessment_submit"),
    path("assessments/<int:assessment_id>/receipt/", submission.assessment_receipt, name="assessment_receipt"),
    path("assessments/<int:assessment_id>/evidence/", evidence.evidence_add, name="evidence_add"),
    path("assessments/<int:assessment_id>/history/", history.assessment_history, name="assessment_history"),
    path("evidence/<int:evidence_id>/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("assessments/<int:assessment_id>/transition/<str:name>/", workflow.transition, name="transition"),
    path("queue/district/", workflow.district_queue, name="district_queue"),
    path("queue/agency/", workflow.agency_queue, name="agency_queue"),
    path("queue/agency/verify/", workflow.verify_items, name="verify_items"),
]
