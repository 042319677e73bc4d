"""Routes of the citizen survey (field 4): ``surveys/…`` for the people who run and check
it (views/manage.py), ``s/<code>/…`` for the public (views/public.py)."""

from django.urls import path

from smartcommune.surveys.views import manage, public

app_name = "surveys"

urlpatterns = [
    path("surveys/", manage.survey_list, name="list"),
    path("surveys/open/<int:assessment_id>/", manage.survey_open, name="open"),
    path("surveys/open-round/<int:round_id>/", manage.round_open, name="open_round"),
    path("surveys/<int:survey_id>/", manage.survey_detail, name="detail"),
    path("surveys/<int:survey_id>/topics/", manage.survey_topics, name="topics"),
    path("surveys/<int:survey_id>/plan/", manage.survey_plan, name="plan"),
    path("surveys/<int:survey_id>/entry/", manage.survey_entry, name="entry"),
    path("surveys/<int:survey_id>/import/", manage.survey_import, name="import"),
    path("surveys/<int:survey_id>/answers/", manage.survey_answers, name="answers"),
    path("surveys/<int:survey_id>/answers/<int:answer_id>/void/", manage.answer_void, name="void"),
    path("surveys/<int:survey_id>/close/", manage.survey_close, name="close"),
    path("surveys/<int:survey_id>/reopen/", manage.survey_reopen, name="reopen"),
    path("surveys/<int:survey_id>/feed/", manage.survey_feed, name="feed"),
    path("surveys/<int:survey_id>/export/<str:fmt>/", manage.survey_export, name="export"),
    path("surveys/<int:survey_id>/poster/", manage.survey_poster, name="poster"),
    path("s/<str:code>/", public.public_form, name="public_form"),
    path("s/<str:code>/cam-on/", public.public_thanks, name="public_thanks"),
    path("s/<str:code>/ket-qua/", public.public_results, name="public_results"),
]
