"""How the URL walk (core.testing) reaches every dialogues URL, and the citizens' details no public page may show.

The sample data is built once per test world (the walk asks personal_data first, so list pages have rows):
issues in several units and states (so a list whose query count grows with its rows shows it), a dialogue
with a file and an issue, an Open311 client, and answered, published issues whose reporters left a name,
phone, e-mail and house number.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chithi.core.testing import Sample
from chithi.dialogues import services
from chithi.dialogues.models import ApiClient, Dialogue, Issue, IssueCategory, IssueChannel

from .factories import IssueCategoryFactory, IssueFactory

# What the published issues' reporters wrote about themselves: never on a public page.
REPORTER_NAME = "Hoàng Thị Thu Thảo"
REPORTER_PHONE = "0914 777 352"
REPORTER_EMAIL = "thuthao.hoang@example.vn"
REPORTER_HOUSE = "Kiệt 88/14 Lý Thường Kiệt"


@dataclass
class DialoguesSamples:
    category: IssueCategory
    issue: Issue  # with ward A, a photo, in progress
    published: Issue  # answered, published, full of the reporter's details
    dialogue: Dialogue
    api_client: ApiClient


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, "JPEG")
    return out.getvalue()


def sample_data(world: Any) -> DialoguesSamples:
    """Built on first use and kept on the world, so every Sample and personal_data share it."""
    found: DialoguesSamples | None = getattr(world, "_dialogues_samples", None)
    if found is not None:
        return found
    admin = world.user("admin")
    category = IssueCategoryFactory(name="Trật tự đô thị", code="trat-tu-do-thi")
    other = IssueCategoryFactory(name="Môi trường", code="moi-truong")
    dialogue = services.create_dialogue(
        actor=admin, organisation=world.ward_a, title="Đối thoại về trật tự đô thị", held_on=dt.date(2020, 6, 15),
        residential_area=world.cell_a1, place="Nhà văn hóa khu phố 1", leaders=[world.person_a1],
        participants_count=40, minutes="Bà con kiến nghị hai việc.",
        attachments=[SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")])
    issue = IssueFactory(category=category, photos=[SimpleUploadedFile("anh.jpg", _jpeg(),
                                                                       content_type="image/jpeg")])
    issue = services.assign_issue(actor=admin, issue=issue, unit=world.ward_a)
    issue = services.start_issue(actor=admin, issue=issue)
    IssueFactory(category=category, channel=IssueChannel.DIALOGUE, dialogue=dialogue, actor=admin)
    IssueFactory(category=other, channel=IssueChannel.STAFF, organisation=world.cell_a1, actor=admin)
    IssueFactory(category=other, channel=IssueChannel.STAFF, organisation=world.ward_b, actor=admin)
    services.reject_issue(actor=admin, issue=IssueFactory(category=other), reason="Không thuộc thẩm quyền")
    published = []
    # Units with their own accounts: no notice climbs to the city admin whose pages other rooms count.
    for unit, cat in ((world.ward_a, category), (world.ward_b, other), (world.cell_a1, category)):
        answered = IssueFactory(
            category=cat, reporter_name=REPORTER_NAME, reporter_contact=f"{REPORTER_PHONE}; {REPORTER_EMAIL}",
            address=REPORTER_HOUSE, area_unit=world.ward_a, latitude="16.816345", longitude="107.100879",
            description=f"Tôi là {REPORTER_NAME}, nhà {REPORTER_HOUSE}: cống trước nhà bị tắc, gọi "
                        f"{REPORTER_PHONE} hoặc {REPORTER_EMAIL}.")
        services.assign_issue(actor=admin, issue=answered, unit=unit)
        published.append(services.answer_issue(actor=admin, issue=answered,
                                                answer=f"Đã nạo vét; đã báo chị {REPORTER_NAME} qua số "
                                                       f"{REPORTER_PHONE}."))
    client, _key = services.create_api_client(actor=admin, name="Ứng dụng Đông Hà")
    found = DialoguesSamples(category=category, issue=issue, published=published[0], dialogue=dialogue,
                             api_client=client)
    world._dialogues_samples = found
    return found


def personal_data(world: Any) -> list[str]:
    sample_data(world)
    return [REPORTER_NAME, REPORTER_PHONE, REPORTER_PHONE.replace(" ", ""), REPORTER_EMAIL, REPORTER_HOUSE, "88/14"]


def _issue(world: Any) -> dict[str, Any]:
    return {"pk": sample_data(world).issue.pk}


def _dialogue(world: Any) -> dict[str, Any]:
    return {"pk": sample_data(world).dialogue.pk}


def _json(**more: Any) -> Any:
    return lambda world: {"fmt": "json", **({k: v(world) for k, v in more.items()})}


SAMPLES = {
    # public pages
    "dialogues:intake_api": Sample(post_only=True),
    "dialogues:track": Sample(kwargs=lambda w: {"code": sample_data(w).published.display_code}),
    "dialogues:track_reopen": Sample(kwargs=lambda w: {"code": sample_data(w).published.display_code},
                                     post_only=True),
    "dialogues:track_rate": Sample(kwargs=lambda w: {"code": sample_data(w).published.display_code},
                                   post_only=True),
    # Open311 GeoReport v2
    "open311:discovery": Sample(kwargs=_json()),
    "open311:services": Sample(kwargs=_json()),
    "open311:service_definition": Sample(kwargs=_json(code=lambda w: sample_data(w).category.code)),
    "open311:requests": Sample(kwargs=_json()),
    "open311:request_detail": Sample(kwargs=_json(request_id=lambda w: str(sample_data(w).published.pk))),
    "open311:token_detail": Sample(kwargs=_json(token=lambda w: sample_data(w).published.display_code)),
    # staff pages
    "dialogues:issue_queue": Sample(query="sub=1"),
    "dialogues:issue_detail": Sample(kwargs=_issue),
    "dialogues:issue_history": Sample(kwargs=_issue),
    "dialogues:issue_action": Sample(kwargs=lambda w: {**_issue(w), "step": "start"}, post_only=True),
    "dialogues:issue_photo": Sample(kwargs=lambda w: {"pk": sample_data(w).issue.photos.get().pk}),
    "dialogues:dialogue_detail": Sample(kwargs=_dialogue),
    "dialogues:dialogue_edit": Sample(kwargs=_dialogue),
    "dialogues:dialogue_history": Sample(kwargs=_dialogue),
    "dialogues:dialogue_attachment": Sample(kwargs=lambda w: {"pk": sample_data(w).dialogue.attachments.get().pk}),
    "dialogues:api_client_action": Sample(kwargs=lambda w: {"pk": sample_data(w).api_client.pk, "step": "rotate"},
                                          post_only=True),
    # API
    "issue-detail": Sample(kwargs=_issue),
    **{f"issue-{step}": Sample(kwargs=_issue, post_only=True)
       for step in ("accept", "reject", "merge", "assign", "start", "answer", "close")},
    "dialogue-detail": Sample(kwargs=_dialogue),
    "issue-category-detail": Sample(kwargs=lambda w: {"pk": sample_data(w).category.pk}),
}
