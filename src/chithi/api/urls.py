"""The API root. Each room exposes `register(router)` in its api.py; add it to ROOM_APIS."""

from importlib import import_module

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

ROOM_APIS = [
    "chithi.orgs.api",
    "chithi.campaigns.api",
    "chithi.dialogues.api",
    "chithi.practices.api",
]

router = DefaultRouter()
for module_name in ROOM_APIS:
    import_module(module_name).register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
