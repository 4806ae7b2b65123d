"""The API app: the router and OpenAPI schema over every room's declared routes."""

from typing import cast

from django.apps import AppConfig
from django.conf import settings


class ApiConfig(AppConfig):
    name = "chithi.api"
    label = "api"

    def ready(self) -> None:
        from chithi.core.rooms import enum_names

        # drf-spectacular reads ENUM_NAME_OVERRIDES lazily, from this same dict, when it first builds a schema.
        overrides = cast(dict[str, str], settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])
        overrides.update(enum_names())
