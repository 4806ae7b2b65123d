"""The API root: every room's declared routes (core.rooms), the OpenAPI schema and Swagger UI."""

from django.urls import path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from chithi.core.rooms import register_api

from .renderers import api_page_csp

router = DefaultRouter()
register_api(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", csp_override(api_page_csp())(SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html")),
         name="api-docs"),
    *router.urls,
]
