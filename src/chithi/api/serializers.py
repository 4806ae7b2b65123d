"""The base of every ModelSerializer of the rooms' APIs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from rest_framework import serializers

from .fields import PlausibleDate, PlausibleDateTime


class ModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A ModelSerializer whose model dates are PlausibleDate / PlausibleDateTime, so a date field cannot be left
    taking any year by forgetting it (api/tests/test_plausible_dates.py walks every serializer). What has already
    happened says so as on its form: `extra_kwargs = {"issued_on": {"past": True}}`."""

    serializer_field_mapping: ClassVar[
        dict[type[models.Field[Any, Any]], type[serializers.Field[Any, Any, Any, Any]]]] = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: PlausibleDate,
        models.DateTimeField: PlausibleDateTime,
    }
