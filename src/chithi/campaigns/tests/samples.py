"""How the URL walk (core.testing) and the permission matrix reach every page of the room: one campaign built on
the shared `world` — the city's directive, theme and plan issued to wards A and B, ward A's plan issued on to its
cells, a document, evidence — and a Sample for every URL with arguments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from chithi.campaigns import services
from chithi.campaigns.models import Directive, DirectiveAttachment, Plan, PlanTask, TaskEvidence, Theme
from chithi.core.testing import Sample
from chithi.orgs.tests.factories import superuser


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 chithi", content_type="application/pdf")


@dataclass
class Sampled:
    directive: Directive  # the city's
    directive_b: Directive  # ward B's own
    attachment: DirectiveAttachment
    theme: Theme
    plan: Plan  # the city's
    plan_a: Plan
    plan_b: Plan
    task: PlanTask  # the city's, carried by both wards
    task_a: PlanTask
    task_b: PlanTask
    task_a1: PlanTask  # cell A1's, from ward A's
    evidence: TaskEvidence  # a file on task_a


def sampled(world: Any) -> Sampled:
    """The room's sample data, built once per test on `world` (a test's world is its own)."""
    cached: Sampled | None = getattr(world, "campaigns_sample", None)
    if cached is not None:
        return cached
    root = superuser()
    directive = services.create_directive(
        actor=root, organisation=world.city, number="05-CT/TW", issued_on=dt.date(2016, 5, 15), issuer="Bộ Chính trị",
        title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    directive_b = services.create_directive(actor=root, organisation=world.ward_b, number="12-KH/ĐU",
                                            issued_on=dt.date(2026, 1, 5), issuer="Đảng ủy phường Đông Lễ",
                                            title="Kế hoạch của phường")
    attachment = services.add_directive_attachment(actor=root, directive=directive, upload=pdf("chi-thi-05.pdf"))
    theme = services.create_theme(actor=root, organisation=world.city, year=2026, directive=directive,
                                  text="Nâng cao chất lượng hoạt động của chính quyền địa phương hai cấp")
    plan = services.create_plan(actor=root, organisation=world.city, theme=theme, title="Kế hoạch năm 2026")
    for title, deadline, weight in (("Quán triệt chủ đề năm", dt.date(2026, 3, 2), 1),
                                    ("Ký cam kết làm theo", dt.date(2026, 4, 1), 2),
                                    ("Tổng kết năm", dt.date(2026, 12, 10), 1)):
        services.create_task(actor=root, plan=plan, title=title, deadline=deadline, weight=weight)
    services.cascade_plan(actor=root, plan=plan, units=[world.ward_a, world.ward_b])
    plan_a = Plan.objects.get(organisation=world.ward_a)
    plan_b = Plan.objects.get(organisation=world.ward_b)
    services.cascade_plan(actor=root, plan=plan_a, units=[world.cell_a1])
    task = plan.tasks.order_by("deadline", "id").first()
    task_a = plan_a.tasks.get(source_task=task)
    evidence = services.add_evidence(actor=root, task=task_a, kind="file", upload=pdf())
    services.add_evidence(actor=root, task=task_a, kind="note", note="Biên bản hội nghị quán triệt")
    services.report_progress(actor=root, task=task_a, progress=40, note="Đã quán triệt ở 2/5 khu phố")
    world.campaigns_sample = Sampled(
        directive=directive, directive_b=directive_b, attachment=attachment, theme=theme, plan=plan,
        plan_a=plan_a, plan_b=plan_b, task=task, task_a=task_a, task_b=plan_b.tasks.get(source_task=task),
        task_a1=PlanTask.objects.get(plan__organisation=world.cell_a1, source_task=task_a), evidence=evidence)
    return world.campaigns_sample  # type: ignore[no-any-return]


def _pk(attribute: str) -> Any:
    return lambda world: {"pk": getattr(sampled(world), attribute).pk}


# URL name → the sample object whose pk fills it, and whether the view answers POST only.
_URLS: list[tuple[str, str, bool]] = [
    ("campaigns:directive_detail", "directive", False), ("campaigns:directive_edit", "directive", False),
    ("campaigns:directive_history", "directive", False), ("campaigns:directive_upload", "directive", True),
    ("campaigns:directive_file", "attachment", False),
    ("campaigns:theme_detail", "theme", False), ("campaigns:theme_edit", "theme", False),
    ("campaigns:theme_history", "theme", False),
    ("campaigns:plan_detail", "plan", False), ("campaigns:plan_edit", "plan", False),
    ("campaigns:plan_close", "plan", True), ("campaigns:plan_cascade", "plan", False),
    ("campaigns:plan_history", "plan", False), ("campaigns:task_create", "plan", False),
    ("campaigns:task_detail", "task", False), ("campaigns:task_edit", "task_a", False),
    ("campaigns:task_progress", "task_a", True), ("campaigns:task_evidence", "task_a", True),
    ("campaigns:task_history", "task_a", False), ("campaigns:evidence_file", "evidence", False),
    ("directive-detail", "directive", False), ("theme-detail", "theme", False), ("plan-detail", "plan", False),
    ("plan-cascade", "plan", True), ("plantask-detail", "task", False), ("plantask-progress", "task_a", True),
    ("plantask-timeline", "task_a", False),
]
SAMPLES = {name: Sample(kwargs=_pk(attribute), post_only=post_only) for name, attribute, post_only in _URLS}
SAMPLES["plantask-import-xlsx"] = Sample(post_only=True)
