from django.urls import path

from smartcommune.disclosure import public, views

app_name = "disclosure"

urlpatterns = [
    path("disclosure/", views.index, name="index"),
    path("disclosure/<int:unit_id>/", views.register, name="register"),
    path("disclosure/<int:unit_id>/items/new", views.item_create, name="item_create"),
    path("disclosure/<int:unit_id>/copy", views.copy_year, name="copy_year"),
    path("disclosure/<int:unit_id>/import", views.import_register, name="import"),
    path("disclosure/<int:unit_id>/import-template.xlsx", views.import_template, name="import_template"),
    path("disclosure/<int:unit_id>/feed", views.feed, name="feed"),
    path("disclosure/<int:unit_id>/report.pdf", views.feedback_report, name="report"),
    path("disclosure/<int:unit_id>/desk/", views.desk, name="desk"),
    path("disclosure/<int:unit_id>/desk/record", views.desk_record, name="desk_record"),
    path("disclosure/items/<int:item_id>/", views.item_detail, name="item"),
    path("disclosure/items/<int:item_id>/<slug:channel>", views.item_channel, name="item_channel"),
    path("disclosure/postings/<int:posting_id>/photo", views.posting_photo, name="posting_photo"),
    path("disclosure/feedback/<int:feedback_id>/", views.feedback_detail, name="feedback"),
    path("disclosure/feedback/<int:feedback_id>/<slug:step>", views.feedback_act, name="feedback_act"),
    # The public site: no login.
    path("cong-khai/tra-cuu/", public.track, name="track"),
    path("cong-khai/<int:unit_id>/", public.page, name="public"),
    path("cong-khai/<int:unit_id>/phan-hoi", public.send, name="send"),
    path("cong-khai/<int:unit_id>/thong-tin/<int:item_id>/", public.item_page, name="public_item"),
    path("cong-khai/<int:unit_id>/thong-tin/<int:item_id>/tai-lieu", public.document, name="document"),
]
