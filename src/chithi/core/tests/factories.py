"""Factories for the core models that are not written by a service of their own."""

from __future__ import annotations

import factory

from chithi.core.models import Notification, SeedRecord
from chithi.orgs.tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Thông báo {n}")
    body = "Nội dung"
    url = "/"


class SeedRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeedRecord

    name = factory.Sequence(lambda n: f"seed.{n}")
