"""Who may open or do what in the dialogues room: every role × every page and API endpoint, inside and outside
scope (core.testing). Read a row as "<role> doing <name> gets `ok` if it is in the set, else 404"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chithi.core.testing import (
    ADMIN_ONLY,
    CHANGE_A,
    CHANGE_B,
    CHANGE_WARD_A,
    SIGNED_IN,
    VIEW_A,
    VIEW_B,
    WARD_A,
    Row,
    check_row,
    matrix,
)
from chithi.dialogues import services
from chithi.dialogues.models import Dialogue, Issue, IssueChannel

from .factories import IssueCategoryFactory, IssueFactory, api_client
from .samples import _jpeg

pytestmark = pytest.mark.django_db

ADD_ANYWHERE = frozenset({"admin", "secretary", "staff", "cell_secretary", "other_secretary"})


def _issue(world: Any, unit: Any, *, photo: bool = False, assigned: bool = True) -> Issue:
    """An issue that `unit` handles: a staff entry there, assigned to it unless `assigned` is False."""
    category = IssueCategoryFactory(code="trat-tu")
    photos = [SimpleUploadedFile("anh.jpg", _jpeg(), content_type="image/jpeg")] if photo else []
    issue = IssueFactory(category=category, channel=IssueChannel.STAFF, organisation=unit, photos=photos,
                         actor=world.user("superuser"))
    return services.assign_issue(actor=world.user("superuser"), issue=issue, unit=unit) if assigned else issue


def _dialogue(world: Any, unit: Any) -> Dialogue:
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    return services.create_dialogue(actor=world.user("superuser"), organisation=unit, title="Đối thoại",
                                    held_on=dt.date(2020, 6, 15), attachments=[pdf])


def _step(unit: str, step: str, **data: str) -> Row:
    """POST a workflow step on an issue `unit` handles (a received one to reject, an assigned one otherwise)."""
    return Row(f"{step} an issue in {unit}",
               lambda w: f"/phan-anh-kien-nghi/{_issue(w, getattr(w, unit), assigned=step != 'reject').pk}/{step}/",
               {"ward_a": CHANGE_WARD_A, "cell_a1": CHANGE_A, "ward_b": CHANGE_B}[unit], method="post",
               data=lambda w: data, ok=302)


ROWS = [
    # the issue queue and pages
    Row("queue of ward A", lambda w: f"/phan-anh-kien-nghi/?unit={w.ward_a.pk}", WARD_A),
    Row("queue of cell A1", lambda w: f"/phan-anh-kien-nghi/?unit={w.cell_a1.pk}&sub=1", VIEW_A),
    Row("queue of ward B", lambda w: f"/phan-anh-kien-nghi/?unit={w.ward_b.pk}", VIEW_B),
    Row("issue in ward A", lambda w: _issue(w, w.ward_a).get_absolute_url(), WARD_A),
    Row("issue in cell A1", lambda w: _issue(w, w.cell_a1).get_absolute_url(), VIEW_A),
    Row("issue in ward B", lambda w: _issue(w, w.ward_b).get_absolute_url(), VIEW_B),
    Row("history of an issue in ward A", lambda w: f"{_issue(w, w.ward_a).get_absolute_url()}lich-su/", WARD_A),
    Row("photo of an issue in ward A",
        lambda w: f"/phan-anh-kien-nghi/anh/{_issue(w, w.ward_a, photo=True).photos.get().pk}/", WARD_A),
    Row("record an issue (form)", lambda w: "/phan-anh-kien-nghi/them/", ADD_ANYWHERE),
    # workflow steps
    _step("ward_a", "start"),
    _step("cell_a1", "start"),
    _step("ward_b", "start"),
    _step("ward_a", "answer", **{"answer-answer": "Đã xử lý."}),
    _step("ward_a", "reject", **{"reject-reason": "Không thuộc thẩm quyền"}),
    # dialogues
    Row("dialogue list", lambda w: "/doi-thoai/", SIGNED_IN),
    Row("record a dialogue (form)", lambda w: "/doi-thoai/them/", ADD_ANYWHERE),
    Row("dialogue in ward A", lambda w: _dialogue(w, w.ward_a).get_absolute_url(), WARD_A),
    Row("dialogue in ward B", lambda w: _dialogue(w, w.ward_b).get_absolute_url(), VIEW_B),
    Row("edit a dialogue in ward A", lambda w: f"{_dialogue(w, w.ward_a).get_absolute_url()}sua/", CHANGE_WARD_A),
    Row("history of a dialogue in ward A", lambda w: f"{_dialogue(w, w.ward_a).get_absolute_url()}lich-su/", WARD_A),
    Row("file of a dialogue in ward A",
        lambda w: f"/doi-thoai/tep/{_dialogue(w, w.ward_a).attachments.get().pk}/", WARD_A),
    Row("attach a file to a dialogue in ward A", lambda w: _dialogue(w, w.ward_a).get_absolute_url(), CHANGE_WARD_A,
        method="post", data=lambda w: {"file": SimpleUploadedFile("them.pdf", b"%PDF-1.4 x")}, ok=302),
    # Open311 clients (the intake unit's administrators)
    Row("Open311 clients", lambda w: "/phan-anh-kien-nghi/open311/", ADMIN_ONLY),
    Row("disable an Open311 client", lambda w: f"/phan-anh-kien-nghi/open311/{api_client()[0].pk}/disable/",
        ADMIN_ONLY, method="post", ok=302),
    # API
    Row("API: issues", lambda w: "/api/issues/", SIGNED_IN),
    Row("API: issue in ward A", lambda w: f"/api/issues/{_issue(w, w.ward_a).pk}/", WARD_A),
    Row("API: issue in cell A1", lambda w: f"/api/issues/{_issue(w, w.cell_a1).pk}/", VIEW_A),
    Row("API: issue in ward B", lambda w: f"/api/issues/{_issue(w, w.ward_b).pk}/", VIEW_B),
    Row("API: start an issue in ward A", lambda w: f"/api/issues/{_issue(w, w.ward_a).pk}/start/", CHANGE_WARD_A,
        method="post", json=True),
    Row("API: start an issue in ward B", lambda w: f"/api/issues/{_issue(w, w.ward_b).pk}/start/", CHANGE_B,
        method="post", json=True),
    Row("API: dialogues", lambda w: "/api/dialogues/", SIGNED_IN),
    Row("API: dialogue in ward A", lambda w: f"/api/dialogues/{_dialogue(w, w.ward_a).pk}/", WARD_A),
    Row("API: dialogue in ward B", lambda w: f"/api/dialogues/{_dialogue(w, w.ward_b).pk}/", VIEW_B),
    Row("API: change a dialogue in ward A", lambda w: f"/api/dialogues/{_dialogue(w, w.ward_a).pk}/",
        CHANGE_WARD_A, method="patch", data=lambda w: {"title": "Đối thoại về môi trường"}),
    Row("API: issue categories", lambda w: "/api/issue-categories/", SIGNED_IN),
]


@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(client: Client, world: Any, row: Row, role: str, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    check_row(client, world, row, role)
