from django.urls import path

from . import accounts, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    # Pages without a <link rel="icon"> (the browsable API) make the browser ask for /favicon.ico.
    path("favicon.ico", views.Favicon.as_view(), name="favicon"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/doc/", views.notification_read, name="notification_read"),
    path("thong-bao/doc-het/", views.notifications_read_all, name="notifications_read_all"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/mat-khau/", accounts.password_change, name="password_change"),
    path("tai-khoan/thu-dien-tu/", accounts.email_change, name="email_change"),
    path("quen-mat-khau/", accounts.PasswordReset.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", accounts.PasswordResetDone.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", accounts.PasswordResetConfirm.as_view(),
         name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", accounts.PasswordResetComplete.as_view(), name="password_reset_complete"),
]
