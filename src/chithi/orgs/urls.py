from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/danh-sach/", views.org_list, name="org_list"),
    path("to-chuc/them/", views.org_create, name="org_create"),
    path("to-chuc/sap-nhap/", views.org_merge, name="org_merge"),
    path("to-chuc/<int:pk>/", views.org_detail, name="org_detail"),
    path("to-chuc/<int:pk>/sua/", views.org_edit, name="org_edit"),
    path("to-chuc/<int:pk>/lich-su/", views.org_history, name="org_history"),
    path("to-chuc/<int:pk>/chia-tach/", views.org_split, name="org_split"),
    path("to-chuc/<int:pk>/phan-quyen/", views.org_roles, name="org_roles"),
    path("phan-quyen/<int:pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("nhan-su/", views.person_list, name="person_list"),
    path("nhan-su/them/", views.person_create, name="person_create"),
    path("nhan-su/nhap/", views.person_import, name="person_import"),
    path("nhan-su/mau-nhap.xlsx", views.person_import_template, name="person_import_template"),
    path("nhan-su/xuat.xlsx", views.person_export, name="person_export"),
    path("nhan-su/<int:pk>/", views.person_detail, name="person_detail"),
    path("nhan-su/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("nhan-su/<int:pk>/lich-su/", views.person_history, name="person_history"),
    path("nhan-su/<int:pk>/cong-tac/", views.membership_add, name="membership_add"),
    path("cong-tac/<int:pk>/ket-thuc/", views.membership_end, name="membership_end"),
    path("cong-tac/<int:pk>/sua/", views.membership_correct, name="membership_correct"),
    path("tim-kiem/", views.search, name="search"),
    path("to-chuc/chon/", views.unit_options, name="unit_options"),
]
