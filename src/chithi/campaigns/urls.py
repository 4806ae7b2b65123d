"""URLs of the campaigns room (Vietnamese paths, like the rest of the product)."""

from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("chi-thi/", views.directive_list, name="directive_list"),
    path("chi-thi/them/", views.directive_create, name="directive_create"),
    path("chi-thi/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("chi-thi/<int:pk>/sua/", views.directive_edit, name="directive_edit"),
    path("chi-thi/<int:pk>/lich-su/", views.directive_history, name="directive_history"),
    path("chi-thi/<int:pk>/tai-lieu/", views.directive_upload, name="directive_upload"),
    path("chi-thi/tai-lieu/<int:pk>/", views.directive_file, name="directive_file"),
    path("chu-de/", views.theme_list, name="theme_list"),
    path("chu-de/them/", views.theme_create, name="theme_create"),
    path("chu-de/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("chu-de/<int:pk>/sua/", views.theme_edit, name="theme_edit"),
    path("chu-de/<int:pk>/lich-su/", views.theme_history, name="theme_history"),
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/them/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("ke-hoach/<int:pk>/dong/", views.plan_close, name="plan_close"),
    path("ke-hoach/<int:pk>/giao/", views.plan_cascade, name="plan_cascade"),
    path("ke-hoach/<int:pk>/lich-su/", views.plan_history, name="plan_history"),
    path("ke-hoach/<int:pk>/nhiem-vu/them/", views.task_create, name="task_create"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/xuat.xlsx", views.task_export, name="task_export"),
    path("nhiem-vu/nhap/", views.task_import, name="task_import"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/minh-chung/", views.task_evidence, name="task_evidence"),
    path("nhiem-vu/<int:pk>/lich-su/", views.task_history, name="task_history"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("tien-do/", views.rollup, name="rollup"),
]
