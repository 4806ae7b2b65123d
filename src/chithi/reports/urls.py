"""URLs of the reports room (Vietnamese paths)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/xuat.xlsx", views.dashboard_export, name="dashboard_export"),
    path("bao-cao/", views.round_list, name="round_list"),
    path("bao-cao/mo-dot/", views.round_create, name="round_create"),
    path("bao-cao/dot/<int:pk>/", views.round_detail, name="round_detail"),
    path("bao-cao/dot/<int:pk>/dong/", views.round_close, name="round_close"),
    path("bao-cao/dot/<int:pk>/nhac/", views.round_remind, name="round_remind"),
    path("bao-cao/dot/<int:pk>/so-lieu.xlsx", views.round_export, name="round_export"),
    path("bao-cao/cua-toi/", views.report_list, name="report_list"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/sua/", views.report_edit, name="report_edit"),
    path("bao-cao/<int:pk>/dinh-kem/", views.report_attach, name="report_attach"),
    path("bao-cao/<int:pk>/dinh-kem/<int:file_pk>/", views.attachment_file, name="attachment_file"),
    path("bao-cao/<int:pk>/dinh-kem/<int:file_pk>/xoa/", views.attachment_remove, name="attachment_remove"),
    path("bao-cao/<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/<int:pk>/chap-nhan/", views.report_accept, name="report_accept"),
    path("bao-cao/<int:pk>/dinh-chinh/", views.report_correct, name="report_correct"),
    path("bao-cao/<int:pk>/tong-hop/", views.report_compile, name="report_compile"),
    path("bao-cao/<int:pk>/so-van-ban/", views.report_number, name="report_number"),
    path("bao-cao/<int:pk>/ket-xuat/", views.report_render, name="report_render"),
    path("bao-cao/<int:pk>/bao-cao.docx", views.report_docx, name="report_docx"),
    path("bao-cao/<int:pk>/bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("bao-cao/<int:pk>/so-lieu.xlsx", views.report_xlsx, name="report_xlsx"),
]
