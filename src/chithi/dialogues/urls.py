"""URLs: public pages (/gop-y/, /tra-cuu/, /phan-anh/) and staff pages (/phan-anh-kien-nghi/, /doi-thoai/)."""

from django.urls import path

from . import public, views

app_name = "dialogues"

urlpatterns = [
    # public, no account
    path("gop-y/", public.intake, name="intake"),
    path("gop-y/api/", public.intake_api, name="intake_api"),
    path("gop-y/phuong/", public.ward_options, name="public_wards"),
    path("tra-cuu/", public.track_lookup, name="track_lookup"),
    path("tra-cuu/<str:code>/", public.track, name="track"),
    path("tra-cuu/<str:code>/mo-lai/", public.track_reopen, name="track_reopen"),
    path("tra-cuu/<str:code>/danh-gia/", public.track_rate, name="track_rate"),
    path("phan-anh/", public.transparency, name="transparency"),
    # staff
    path("phan-anh-kien-nghi/", views.issue_queue, name="issue_queue"),
    path("phan-anh-kien-nghi/them/", views.issue_create, name="issue_create"),
    path("phan-anh-kien-nghi/open311/", views.api_clients, name="api_clients"),
    path("phan-anh-kien-nghi/open311/<int:pk>/<str:step>/", views.api_client_action, name="api_client_action"),
    path("phan-anh-kien-nghi/anh/<int:pk>/", views.issue_photo, name="issue_photo"),
    path("phan-anh-kien-nghi/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("phan-anh-kien-nghi/<int:pk>/lich-su/", views.issue_history, name="issue_history"),
    path("phan-anh-kien-nghi/<int:pk>/<str:step>/", views.issue_action, name="issue_action"),
    path("doi-thoai/", views.dialogue_list, name="dialogue_list"),
    path("doi-thoai/them/", views.dialogue_create, name="dialogue_create"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("doi-thoai/<int:pk>/sua/", views.dialogue_edit, name="dialogue_edit"),
    path("doi-thoai/<int:pk>/lich-su/", views.dialogue_history, name="dialogue_history"),
    path("doi-thoai/tep/<int:pk>/", views.dialogue_attachment, name="dialogue_attachment"),
]
