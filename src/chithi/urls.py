"""Root URL configuration: the shared entry points, the API under /api/, then every room's own URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chithi.core import views as core_views
from chithi.core.rooms import url_patterns

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("api/", include("chithi.api.urls")),
    *url_patterns(),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage answers 503 in Vietnamese, anything else a plain 500: never a stack trace.
handler500 = "chithi.core.errors.server_error"
