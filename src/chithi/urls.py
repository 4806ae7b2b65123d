"""Root URL configuration: each room includes its own urls; the API lives under /api/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chithi.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("api/", include("chithi.api.urls")),
    path("open311/v2/", include("chithi.dialogues.open311")),
    path("", include("chithi.orgs.urls")),
    path("", include("chithi.campaigns.urls")),
    path("", include("chithi.dialogues.urls")),
    path("", include("chithi.practices.urls")),
    path("", include("chithi.core.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage answers 503 in Vietnamese, anything else a plain 500: never a stack trace.
handler500 = "chithi.core.errors.server_error"
