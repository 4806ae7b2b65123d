"""Factories for directives, themes, plans, tasks, updates and evidence; they write through the services so test
data carries the same derived columns and audit entries as real data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from chithi.campaigns import services
from chithi.campaigns.models import (
    Directive,
    DirectiveKind,
    EvidenceKind,
    Plan,
    PlanTask,
    TaskEvidence,
    TaskUpdate,
    Theme,
    ThemeKind,
)
from chithi.orgs.tests.factories import OrganisationFactory, superuser


class DirectiveFactory(factory.Factory):
    class Meta:
        model = Directive

    organisation = factory.SubFactory(OrganisationFactory)
    kind = DirectiveKind.DIRECTIVE
    number = factory.Sequence(lambda n: f"{n:02d}-CT/TW")
    issued_on = dt.date(2016, 5, 15)
    issuer = "Bộ Chính trị"
    title = "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Directive:
        return services.create_directive(actor=superuser(), **kwargs)


class ThemeFactory(factory.Factory):
    class Meta:
        model = Theme

    organisation = factory.SubFactory(OrganisationFactory)
    directive = factory.SubFactory(DirectiveFactory, organisation=factory.SelfAttribute("..organisation"))
    year = 2026
    kind = ThemeKind.THEME
    text = factory.Sequence(lambda n: f"Nâng cao chất lượng đội ngũ cán bộ, đảng viên {n}")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Theme:
        return services.create_theme(actor=superuser(), **kwargs)


class PlanFactory(factory.Factory):
    class Meta:
        model = Plan

    organisation = factory.SubFactory(OrganisationFactory)
    theme = factory.SubFactory(ThemeFactory, organisation=factory.SelfAttribute("..organisation"))
    title = factory.Sequence(lambda n: f"Kế hoạch thực hiện chủ đề năm số {n}")
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Plan:
        return services.create_plan(actor=superuser(), **kwargs)


class PlanTaskFactory(factory.Factory):
    class Meta:
        model = PlanTask

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    deadline = dt.date(2026, 6, 30)
    weight = 1
    target = ""

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> PlanTask:
        progress = kwargs.pop("progress", None)
        status = kwargs.pop("status", None)
        task = services.create_task(actor=superuser(), **kwargs)
        if progress is not None or status is not None:
            services.report_progress(actor=superuser(), task=task, progress=progress, status=status,
                                     cancel_reason="Không còn phù hợp" if status == "cancelled" else "")
            task.refresh_from_db()
        return task


class TaskUpdateFactory(factory.Factory):
    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(PlanTaskFactory)
    progress = 50
    note = "Đang triển khai"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> TaskUpdate:
        return services.report_progress(actor=superuser(), **kwargs)


class TaskEvidenceFactory(factory.Factory):
    class Meta:
        model = TaskEvidence

    task = factory.SubFactory(PlanTaskFactory)
    kind = EvidenceKind.NOTE
    note = "Biên bản hội nghị quán triệt"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> TaskEvidence:
        return services.add_evidence(actor=superuser(), **kwargs)
