from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/doc/", views.notification_read, name="notification_read"),
    path("thong-bao/doc-het/", views.notifications_read_all, name="notifications_read_all"),
    path("tai-khoan/", views.account, name="account"),
]
