"""URLs: the public showcase at /mo-hinh/ and the internal registry under /mo-hinh/danh-muc/."""

from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("mo-hinh/", views.showcase, name="showcase"),
    path("mo-hinh/<int:pk>/", views.public_detail, name="public_detail"),
    path("mo-hinh/anh/<int:pk>/", views.public_photo, name="public_photo"),
    path("mo-hinh/tai-lieu/<int:pk>/", views.public_document, name="public_document"),
    path("mo-hinh/danh-muc/", views.registry, name="registry"),
    path("mo-hinh/danh-muc/them/", views.create, name="create"),
    path("mo-hinh/danh-muc/xuat.xlsx", views.export, name="export"),
    path("mo-hinh/danh-muc/<int:pk>/", views.detail, name="detail"),
    path("mo-hinh/danh-muc/<int:pk>/sua/", views.edit, name="edit"),
    path("mo-hinh/danh-muc/<int:pk>/lich-su/", views.history, name="history"),
    path("mo-hinh/danh-muc/<int:pk>/chi-tieu/", views.indicator_add, name="indicator_add"),
    path("mo-hinh/danh-muc/<int:pk>/ket-qua/", views.result_record, name="result_record"),
    path("mo-hinh/danh-muc/<int:pk>/nhan-rong/", views.replicate, name="replicate"),
    path("mo-hinh/danh-muc/<int:pk>/lien-ket-nhan-rong/", views.replication_link, name="replication_link"),
    path("mo-hinh/danh-muc/<int:pk>/khen-thuong/", views.commendation_add, name="commendation_add"),
    path("mo-hinh/danh-muc/<int:pk>/them-anh/", views.photo_add, name="photo_add"),
    path("mo-hinh/danh-muc/<int:pk>/them-tai-lieu/", views.document_add, name="document_add"),
    path("mo-hinh/danh-muc/anh/<int:pk>/", views.photo_file, name="photo_file"),
    path("mo-hinh/danh-muc/tai-lieu/<int:pk>/", views.document_file, name="document_file"),
    path("mo-hinh/danh-muc/<str:kind>/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("mo-hinh/bang-chung/lien-ket/", views.evidence_link, name="evidence_link"),
    path("mo-hinh/bang-chung/<int:pk>/go/", views.evidence_unlink, name="evidence_unlink"),
]
