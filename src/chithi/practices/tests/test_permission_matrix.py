"""The practices room's permission table (core.testing): each row is a page, a file, a POST or an API call on a
practice inside ward A (cell A1) or inside ward B (cell B1); every role in `allowed` gets `ok`, every other
role a 404 (what is outside the scope does not exist). The roles: core.testing.ROLES, on the world of
src/chithi/conftest.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from chithi.core.testing import (
    CHANGE_A,
    CHANGE_B,
    CHANGE_WARD_A,
    SIGNED_IN,
    VIEW_A,
    VIEW_B,
    Row,
    check_row,
    matrix,
)
from chithi.practices import services
from chithi.practices.models import EvidenceLink, Indicator, Practice, PracticeDocument, PracticePhoto, Replication

from .factories import PhotoFactory

NOBODY: frozenset[str] = frozenset()
HAS_ADD = CHANGE_A | CHANGE_B  # a role somewhere that may add: the register form opens
HAS_EXPORT = SIGNED_IN - {"viewer", "nobody"}


@dataclass
class Side:
    """What hangs from one practice in the table."""

    practice: Practice
    indicator: Indicator
    replication: Replication
    photo: PracticePhoto
    document: PracticeDocument
    link: EvidenceLink  # to a plan task of the practice's ward
    spare_task: Any  # another task of that ward, not linked yet


def _side(world: Any, unit: Any, ward: Any, adopter: Any, name: str) -> Side:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    admin = world.user("admin")
    practice = services.register_practice(actor=admin, name=name, organisation=unit, fields=["welfare"],
                                          started_on=dt.date(2020, 1, 1))
    indicator = services.add_indicator(actor=admin, practice=practice, name="Buổi", target=10)
    services.record_result(actor=admin, indicator=indicator, period_start=dt.date(2024, 1, 1),
                           period_end=dt.date(2024, 6, 30), actual=8)
    services.add_commendation(actor=admin, practice=practice, title="Giấy khen", level="city",
                              awarded_on=dt.date(2023, 1, 1), decision_number=f"{name}-QĐ")
    replication = services.replicate_practice(actor=admin, origin=practice, organisation=adopter,
                                              adopted_on=dt.date(2022, 1, 1))
    document = services.add_document(actor=admin, practice=practice,
                                     upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%test\n"))
    task = PlanTaskFactory(plan=PlanFactory(organisation=ward))
    link = services.link_evidence(actor=admin, practice=practice, target=task)
    return Side(practice, indicator, replication, PhotoFactory(practice=practice), document, link,
                PlanTaskFactory(plan=task.plan))


def _data(world: Any, side: str) -> Side:
    """One side of the table, built when a row first needs it (a row needs one side: half the writes)."""
    built: dict[str, Side] = world.__dict__.setdefault("_practices_matrix", {})
    if side not in built:
        built[side] = (_side(world, world.cell_a1, world.ward_a, world.cell_a2, "Tổ tự quản") if side == "A"
                       else _side(world, world.cell_b1, world.ward_b, world.ward_b, "Quỹ giúp nhau"))
    return built[side]


def _page(name: str, side: str, attr: str = "practice") -> Any:
    return lambda w: reverse(name, args=[getattr(_data(w, side), attr).pk])


def _api(prefix: str, side: str, attr: str) -> Any:
    return lambda w: f"/api/{prefix}/{getattr(_data(w, side), attr).pk}/"


def _list(url: str) -> Any:
    def build(world: Any) -> str:
        _data(world, "A")
        return url
    return build


CHANGE_PAGES = ["edit", "indicator_add", "result_record", "commendation_add", "photo_add", "document_add",
                "replicate", "replication_link"]

ROWS = [
    # --- lists and forms that are not about one practice
    Row("registry", _list("/mo-hinh/danh-muc/"), SIGNED_IN),
    Row("register form", _list("/mo-hinh/danh-muc/them/"), HAS_ADD),
    Row("export", _list("/mo-hinh/danh-muc/xuat.xlsx"), HAS_EXPORT),
    # --- pages of one practice, inside and outside
    *[Row(f"{page} in {side}", _page(f"practices:{page}", side), allowed)
      for page in ["detail", "history"] for side, allowed in [("A", VIEW_A), ("B", VIEW_B)]],
    *[Row(f"{page} in {side}", _page(f"practices:{page}", side), allowed)
      for page in CHANGE_PAGES for side, allowed in [("A", CHANGE_A), ("B", CHANGE_B)]],
    Row("photo file in A", _page("practices:photo_file", "A", "photo"), VIEW_A),
    Row("document file in B", _page("practices:document_file", "B", "document"), VIEW_B),
    # --- one-button POSTs
    Row("delete photo in A", lambda w: reverse("practices:attachment_delete", args=["anh", _data(w, "A").photo.pk]),
        CHANGE_A, method="post", ok=302),
    Row("remove evidence link in B", _page("practices:evidence_unlink", "B", "link"), CHANGE_B, method="post",
        ok=302),
    # Change the practice and see the task: the cell's secretary does not see ward A's plan task.
    Row("link A's practice to ward A's task", _list("/mo-hinh/bang-chung/lien-ket/"), CHANGE_WARD_A,
        method="post", ok=302, data=lambda w: {"practice": _data(w, "A").practice.pk,
                                               "target_type": "campaigns.plantask",
                                               "target_id": _data(w, "A").spare_task.pk}),
    # --- the API
    *[Row(f"API {prefix} list", _list(f"/api/{prefix}/"), SIGNED_IN)
      for prefix in ["practices", "practice-indicators", "practice-results", "practice-replications",
                     "practice-commendations", "practice-evidence"]],
    *[Row(f"API {prefix} in {side}", _api(prefix, side, attr), allowed)
      for prefix, attr in [("practices", "practice"), ("practice-indicators", "indicator"),
                           ("practice-replications", "replication"), ("practice-evidence", "link")]
      for side, allowed in [("A", VIEW_A), ("B", VIEW_B)]],
    Row("API edit practice in A", _api("practices", "A", "practice"), CHANGE_A, method="patch",
        data=lambda w: {"description": "Mới"}),
    Row("API edit practice in B", _api("practices", "B", "practice"), CHANGE_B, method="patch",
        data=lambda w: {"description": "Mới"}),
    # --- public pages: nothing internal for anyone, signed in or not
    Row("showcase", _list("/mo-hinh/"), SIGNED_IN),
    Row("public page of an internal practice", _page("practices:public_detail", "A"), NOBODY),
    Row("public API of an internal practice", _api("public/practices", "A", "practice"), NOBODY),
]


@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(client, world, row, role, settings):
    settings.RATELIMIT_ENABLE = False
    check_row(client, world, row, role)
