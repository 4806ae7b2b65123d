"""URLs: /kiem-tra/ (inspection and supervision), /danh-gia/ (annual evaluation), /khen-thuong/."""

from django.urls import path

from .views import awards, evaluation, inspection

app_name = "oversight"

urlpatterns = [
    path("kiem-tra/chuong-trinh/", inspection.programme_list, name="programme_list"),
    path("kiem-tra/chuong-trinh/them/", inspection.programme_create, name="programme_create"),
    path("kiem-tra/chuong-trinh/<int:pk>/", inspection.programme_detail, name="programme_detail"),
    path("kiem-tra/chuong-trinh/<int:pk>/sua/", inspection.programme_edit, name="programme_edit"),
    path("kiem-tra/chuong-trinh/<int:pk>/them-muc/", inspection.item_add, name="item_add"),
    path("kiem-tra/chuong-trinh/muc/<int:pk>/sua/", inspection.item_edit, name="item_edit"),
    path("kiem-tra/", inspection.case_list, name="case_list"),
    path("kiem-tra/them/", inspection.case_create, name="case_create"),
    path("kiem-tra/<int:pk>/", inspection.case_detail, name="case_detail"),
    path("kiem-tra/<int:pk>/sua/", inspection.case_edit, name="case_edit"),
    path("kiem-tra/<int:pk>/lich-su/", inspection.case_history, name="case_history"),
    path("kiem-tra/<int:pk>/gia-han/", inspection.case_extend, name="case_extend"),
    path("kiem-tra/<int:pk>/bao-cao-tu-kiem-tra/", inspection.case_self_report, name="case_self_report"),
    path("kiem-tra/bao-cao-tu-kiem-tra/<int:pk>/", inspection.self_report_file, name="self_report_file"),
    path("kiem-tra/<int:pk>/ket-luan/", inspection.case_conclude, name="case_conclude"),
    path("kiem-tra/<int:pk>/kien-nghi/", inspection.case_recommend, name="case_recommend"),
    path("kiem-tra/<int:pk>/ky-luat/", inspection.case_discipline, name="case_discipline"),
    path("kiem-tra/<int:pk>/so-lieu/", inspection.case_evidence, name="case_evidence"),
    path("kiem-tra/khac-phuc/<int:pk>/bao-cao/", inspection.remedy_report, name="remedy_report"),
    path("kiem-tra/khac-phuc/<int:pk>/xac-nhan/", inspection.remedy_verify, name="remedy_verify"),
    path("danh-gia/", evaluation.round_list, name="round_list"),
    path("danh-gia/mo/", evaluation.round_create, name="round_create"),
    path("danh-gia/<int:pk>/", evaluation.round_detail, name="round_detail"),
    path("danh-gia/<int:pk>/them/", evaluation.evaluation_start, name="evaluation_start"),
    path("danh-gia/<int:pk>/tong-hop/", evaluation.round_summary, name="round_summary"),
    path("danh-gia/phieu/<int:pk>/", evaluation.evaluation_detail, name="evaluation_detail"),
    path("danh-gia/phieu/<int:pk>/lich-su/", evaluation.evaluation_history, name="evaluation_history"),
    path("danh-gia/phieu/<int:pk>/cham-diem/", evaluation.evaluation_scores, name="evaluation_scores"),
    path("danh-gia/phieu/<int:pk>/tu-xep-loai/", evaluation.evaluation_self, name="evaluation_self"),
    path("danh-gia/phieu/<int:pk>/de-xuat/", evaluation.evaluation_propose, name="evaluation_propose"),
    path("danh-gia/phieu/<int:pk>/quyet-dinh/", evaluation.evaluation_decide, name="evaluation_decide"),
    path("danh-gia/phieu/<int:pk>/tra-lai/", evaluation.evaluation_send_back, name="evaluation_send_back"),
    path("khen-thuong/", awards.award_list, name="award_list"),
    path("khen-thuong/them/", awards.award_create, name="award_create"),
]
