"""Factories for dialogues, categories, issues and Open311 clients; they write through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from chithi.dialogues import services
from chithi.dialogues.models import Dialogue, Issue, IssueCategory, IssueChannel
from chithi.orgs.tests.factories import superuser


class IssueCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueCategory
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Trật tự đô thị {n}")
    code = factory.Sequence(lambda n: f"cat-{n}")
    ack_days = 2
    answer_days = 10
    public = True
    active = True


class DialogueFactory(factory.Factory):
    class Meta:
        model = Dialogue

    title = factory.Sequence(lambda n: f"Đối thoại về giải phóng mặt bằng {n}")
    held_on = dt.date(2020, 6, 15)
    participants_count = 45
    minutes = "Biên bản buổi đối thoại."

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Dialogue:
        return services.create_dialogue(actor=kwargs.pop("actor", None) or superuser(), **kwargs)


class IssueFactory(factory.Factory):
    """A web issue by default (lands in the intake unit); pass channel/organisation for staff ones."""

    class Meta:
        model = Issue

    channel = IssueChannel.WEB
    category = factory.SubFactory(IssueCategoryFactory)
    description = factory.Sequence(lambda n: f"Đường ngập nước sau mưa, cần khơi thông cống số {n}")
    reporter_name = "Nguyễn Thị Hoa"
    reporter_contact = "0912345678"
    address = "Số 12 Lê Lợi"
    consent_to_publish = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Issue:
        actor = kwargs.pop("actor", None)
        if actor is None and kwargs.get("channel") not in (IssueChannel.WEB, IssueChannel.OPEN311):
            actor = superuser()
        return services.submit_issue(actor=actor, **kwargs)


def api_client(name: str = "Ứng dụng Đông Hà") -> tuple[Any, str]:
    return services.create_api_client(actor=superuser(), name=name)
