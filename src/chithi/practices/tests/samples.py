"""How the URL walk (core.testing) reaches every URL of the practices room, and the personal data its public
pages must never show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chithi.core.testing import Sample
from chithi.practices import models, services

_FILE = "a file download, not a page (the sample's row has no stored file: the walk writes none)"


@dataclass
class PracticeSample:
    origin: models.Practice  # public, in the agency: replicated into cell A1, commended to a person not published
    indicator: models.Indicator
    result: models.Result
    replication: models.Replication
    commendation: models.Commendation
    photo: models.PracticePhoto
    document: models.PracticeDocument
    link: models.EvidenceLink


def sample(world: Any) -> PracticeSample:
    """One practice with something of every kind hanging from it, built once per test world."""
    built = getattr(world, "_practices_sample", None)
    if built is not None:
        return built  # type: ignore[no-any-return]
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    admin = world.user("admin")
    origin = services.register_practice(
        actor=admin, name="Hũ gạo tình thương", organisation=world.agency, fields=["welfare"],
        started_on=dt.date(2020, 1, 1), is_public=True, public_names="Chi hội Phụ nữ khu phố 1")
    indicator = services.add_indicator(actor=admin, practice=origin, name="Gạo quyên góp", unit="kg", target=100)
    result = services.record_result(actor=admin, indicator=indicator, period_start=dt.date(2024, 1, 1),
                                    period_end=dt.date(2024, 6, 30), actual=80)
    replication = services.replicate_practice(actor=admin, origin=origin, organisation=world.cell_a1,
                                              adopted_on=dt.date(2022, 1, 1))
    commendation = services.add_commendation(
        actor=admin, practice=origin, title="Giấy khen", level="city", awarded_on=dt.date(2023, 5, 19),
        decision_number="12-QĐ/TU", person=world.person_a1)
    files = {"practice": origin, "is_public": True}
    photo = models.PracticePhoto.objects.create(file="practices/mau.jpg", original_name="mau.jpg", **files)
    document = models.PracticeDocument.objects.create(file="practices/mau.pdf", original_name="mau.pdf", **files)
    task = PlanTaskFactory(plan=PlanFactory(organisation=world.ward_a))
    link = services.link_evidence(actor=admin, practice=replication.adopting, target=task)
    built = PracticeSample(origin, indicator, result, replication, commendation, photo, document, link)
    world._practices_sample = built
    return built


def _practice(world: Any) -> dict[str, Any]:
    return {"pk": sample(world).origin.pk}


def _lists(world: Any) -> dict[str, Any]:
    """No arguments, but the rows built first: a list's query count is measured on rows, not on nothing."""
    sample(world)
    return {}


def personal_data(world: Any) -> list[str]:
    """The person commended for the sample's public practice: the unit did not publish the name. (Builds
    nothing: every room's list is read before any room's pages, and other rooms' samples expect their own
    rows alone.)"""
    return [world.person_a1.full_name]


SAMPLES = {
    **{name: Sample(kwargs=_lists) for name in [
        "practices:showcase", "practices:registry", "practices:create", "practices:export", "practice-list",
        "practice-indicator-list", "practice-result-list", "practice-replication-list",
        "practice-commendation-list", "practice-evidence-list", "public-practice-list"]},
    "practices:public_detail": Sample(kwargs=_practice),
    "practices:public_photo": Sample(kwargs=lambda w: {"pk": sample(w).photo.pk}, skip_counts=_FILE),
    "practices:public_document": Sample(kwargs=lambda w: {"pk": sample(w).document.pk}, skip_counts=_FILE),
    "practices:detail": Sample(kwargs=_practice),
    "practices:edit": Sample(kwargs=_practice),
    "practices:history": Sample(kwargs=_practice),
    "practices:indicator_add": Sample(kwargs=_practice),
    "practices:result_record": Sample(kwargs=_practice),
    "practices:replicate": Sample(kwargs=_practice),
    "practices:replication_link": Sample(kwargs=_practice),
    "practices:commendation_add": Sample(kwargs=_practice),
    "practices:photo_add": Sample(kwargs=_practice),
    "practices:document_add": Sample(kwargs=_practice),
    "practices:photo_file": Sample(kwargs=lambda w: {"pk": sample(w).photo.pk}, skip_counts=_FILE),
    "practices:document_file": Sample(kwargs=lambda w: {"pk": sample(w).document.pk}, skip_counts=_FILE),
    "practices:attachment_delete": Sample(kwargs=lambda w: {"kind": "anh", "pk": sample(w).photo.pk},
                                          post_only=True),
    "practices:evidence_link": Sample(post_only=True),
    "practices:evidence_unlink": Sample(kwargs=lambda w: {"pk": sample(w).link.pk}, post_only=True),
    "practice-detail": Sample(kwargs=_practice),
    "practice-indicator-detail": Sample(kwargs=lambda w: {"pk": sample(w).indicator.pk}),
    "practice-result-detail": Sample(kwargs=lambda w: {"pk": sample(w).result.pk}),
    "practice-replication-detail": Sample(kwargs=lambda w: {"pk": sample(w).replication.pk}),
    "practice-commendation-detail": Sample(kwargs=lambda w: {"pk": sample(w).commendation.pk}),
    "practice-evidence-detail": Sample(kwargs=lambda w: {"pk": sample(w).link.pk}),
    "public-practice-detail": Sample(kwargs=_practice),
}
