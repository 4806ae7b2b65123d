"""Factories for practices and what hangs from them; they write through the services, so test data carries
the same derived columns (lineage path, search text) as real data."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chithi.orgs.tests.factories import OrganisationFactory, superuser
from chithi.practices import services
from chithi.practices.models import (
    Commendation,
    CommendationLevel,
    Indicator,
    Practice,
    PracticePhoto,
    Replication,
    Result,
)


def jpeg_bytes(size: tuple[int, int] = (40, 30), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


def jpeg_upload(name: str = "anh.jpg", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


class PracticeFactory(factory.Factory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Mô hình thử {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    fields = ["welfare"]
    started_on = dt.date(2020, 1, 1)
    description = "Mô tả"
    is_public = False
    public_names = ""

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Practice:
        return services.register_practice(actor=superuser(), **kwargs)


class IndicatorFactory(factory.Factory):
    class Meta:
        model = Indicator

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    unit = "kg"
    target = 100

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Indicator:
        return services.add_indicator(actor=superuser(), **kwargs)


class ResultFactory(factory.Factory):
    class Meta:
        model = Result

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2024, 6, 30)
    actual = 80
    period_label = "6 tháng đầu năm 2024"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Result:
        return services.record_result(actor=superuser(), **kwargs)


class ReplicationFactory(factory.Factory):
    class Meta:
        model = Replication

    origin = factory.SubFactory(PracticeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    adopted_on = dt.date(2022, 1, 1)
    adaptation_notes = "Điều chỉnh cho khu phố"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Replication:
        return services.replicate_practice(actor=superuser(), **kwargs)


class CommendationFactory(factory.Factory):
    class Meta:
        model = Commendation

    practice = factory.SubFactory(PracticeFactory)
    title = "Giấy khen của Thành ủy"
    level = CommendationLevel.CITY
    awarded_on = dt.date(2023, 5, 19)
    decision_number = factory.Sequence(lambda n: f"{n}-QĐ/TU")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Commendation:
        return services.add_commendation(actor=superuser(), **kwargs)


class PhotoFactory(factory.Factory):
    class Meta:
        model = PracticePhoto

    practice = factory.SubFactory(PracticeFactory)
    caption = "Ảnh"
    is_public = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> PracticePhoto:
        return services.add_photo(actor=superuser(), upload=jpeg_upload(), **kwargs)
