"""How the URL walk (core.testing) reaches every URL of the oversight room: one case open, one concluded with
remedial work, an evaluation round with a member's form in draft and a collective's proposed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chithi.core.testing import Sample
from chithi.oversight import models, services
from chithi.oversight.models import Level
from chithi.oversight.tests import factories


@dataclass
class OversightSample:
    programme: models.Programme
    open_case: models.Case
    concluded: models.Case
    remedy: models.Remedy
    round: models.Round
    draft: models.Evaluation
    proposed: models.Evaluation
    award: models.Award
    item: models.ProgrammeItem
    report_file: models.SelfReportFile


def sample(world: Any) -> OversightSample:
    built = getattr(world, "_oversight_sample", None)
    if built is not None:
        return built  # type: ignore[no-any-return]
    admin = world.user("admin")
    programme = services.create_programme(actor=admin, organisation=world.ward_a, year=2026, title="Chương trình")
    item = services.add_item(actor=admin, programme=programme, target_unit=world.cell_a1, kind="directive",
                             content="Kiểm tra thực hiện Chỉ thị 05", quarter=1)
    free_item = services.add_item(actor=admin, programme=programme, target_unit=world.cell_a2,
                                  kind="regular_supervision", content="Giám sát sinh hoạt chi bộ", quarter=2)
    open_case = factories.case(world)
    models.Case.objects.filter(pk=open_case.pk).update(item=item)
    concluded = factories.concluded_case(world)
    remedy = factories.remedy(world, concluded)
    rnd = factories.round_(world)
    draft = factories.evaluation(world, rnd, person=world.person_a1)
    proposed = factories.evaluation(world, rnd)
    proposed = services.propose(actor=admin, evaluation=proposed, level=Level.GOOD)
    award = services.add_award(actor=admin, organisation=world.cell_a1, person=world.person_a1, form="Giấy khen",
                       level="ward", decision_number="45-QĐ/ĐU", awarded_on=proposed.round.deadline.replace(year=2025))
    # the file row only (the walk writes no stored file): its view answers 404 for the missing file
    report_file = models.SelfReportFile.objects.create(case=open_case, original_name="bao-cao.pdf",
                                                       content_type="application/pdf", file="missing.pdf")
    built = OversightSample(programme, open_case, concluded, remedy, rnd, draft, proposed, award, free_item,
                            report_file)
    world._oversight_sample = built
    return built


def _lists(world: Any) -> dict[str, Any]:
    sample(world)
    return {}


def _pk(attr: str) -> Any:
    return lambda world: {"pk": getattr(sample(world), attr).pk}


SAMPLES = {
    **{name: Sample(kwargs=_lists) for name in [
        "oversight:programme_list", "oversight:programme_create", "oversight:case_list", "oversight:case_create",
        "oversight:round_list", "oversight:round_create", "oversight:award_list", "oversight:award_create",
        "oversight-case-list", "oversight-remedy-list", "evaluation-list", "commendation-list"]},
    "oversight-case-detail": Sample(kwargs=_pk("concluded")),
    "oversight-remedy-detail": Sample(kwargs=_pk("remedy")),
    "evaluation-detail": Sample(kwargs=_pk("draft")),
    "commendation-detail": Sample(kwargs=_pk("award")),
    "oversight:programme_detail": Sample(kwargs=_pk("programme")),
    "oversight:item_add": Sample(kwargs=_pk("programme")),
    "oversight:programme_edit": Sample(kwargs=_pk("programme")),
    "oversight:item_edit": Sample(kwargs=_pk("item")),
    "oversight:case_edit": Sample(kwargs=_pk("open_case")),
    "oversight:self_report_file": Sample(kwargs=_pk("report_file"), skip_counts="a file download, not a page"),
    "oversight-case-findings": Sample(kwargs=_pk("open_case"), post_only=True),
    "oversight-case-recommendations": Sample(kwargs=_pk("concluded"), post_only=True),
    "oversight-case-self-report": Sample(kwargs=_pk("open_case"), post_only=True),
    "evaluation-scores": Sample(kwargs=_pk("draft"), post_only=True),
    "evaluation-approve": Sample(kwargs=_pk("proposed"), post_only=True),
    "oversight:case_detail": Sample(kwargs=_pk("concluded")),
    "oversight:case_history": Sample(kwargs=_pk("concluded")),
    "oversight:case_extend": Sample(kwargs=_pk("open_case")),
    "oversight:case_self_report": Sample(kwargs=_pk("open_case"), role="cell_secretary"),
    "oversight:case_conclude": Sample(kwargs=_pk("open_case")),
    "oversight:case_recommend": Sample(kwargs=_pk("concluded")),
    "oversight:case_discipline": Sample(kwargs=_pk("concluded")),
    "oversight:case_evidence": Sample(kwargs=_pk("open_case"), post_only=True),
    "oversight:remedy_report": Sample(kwargs=_pk("remedy")),
    "oversight:remedy_verify": Sample(kwargs=_pk("remedy"), post_only=True),
    "oversight:round_detail": Sample(kwargs=_pk("round")),
    "oversight:evaluation_start": Sample(kwargs=_pk("round")),
    "oversight:round_summary": Sample(kwargs=_pk("round")),
    "oversight:evaluation_detail": Sample(kwargs=_pk("draft")),
    "oversight:evaluation_history": Sample(kwargs=_pk("draft")),
    "oversight:evaluation_scores": Sample(kwargs=_pk("draft")),
    "oversight:evaluation_self": Sample(kwargs=_pk("draft")),
    "oversight:evaluation_propose": Sample(kwargs=_pk("draft")),
    "oversight:evaluation_decide": Sample(kwargs=_pk("proposed")),
    "oversight:evaluation_send_back": Sample(kwargs=_pk("proposed")),
}
