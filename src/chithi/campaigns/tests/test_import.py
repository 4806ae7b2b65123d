"""Bulk progress update from the product's own XLSX export: all rows or none, errors by row and column."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from chithi.campaigns import services
from chithi.campaigns.models import Plan, PlanTask, TaskStatus, TaskUpdate
from chithi.core.xlsx import ImportRejected


def _export(client: Client, **params: Any) -> Any:
    response = client.get(reverse("campaigns:task_export"), params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _bytes(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def ward_plan(world: Any, campaign: Any) -> Plan:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    return Plan.objects.get(organisation=world.ward_a)


def _row_of(sheet: Any, task_id: int) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == task_id:
            return row
    raise AssertionError(task_id)


def test_export_edit_import_round_trip(world: Any, ward_plan: Plan) -> None:
    client = Client()
    client.force_login(world.user("secretary"))
    workbook = _export(client)
    sheet = workbook.active
    ids = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(ids) == sorted(ward_plan.tasks.values_list("pk", flat=True))  # only the ward's tasks
    first, second = sorted(ids)[:2]
    sheet.cell(_row_of(sheet, first), 7).value = 100
    sheet.cell(_row_of(sheet, second), 7).value = 40
    sheet.cell(_row_of(sheet, second), 8).value = "Đã họp 2/5 khu phố"
    upload = SimpleUploadedFile("tien-do.xlsx", _bytes(workbook))
    response = client.post(reverse("campaigns:task_import"), {"file": upload})
    assert response.status_code == 302
    assert PlanTask.objects.get(pk=first).status == TaskStatus.DONE
    task = PlanTask.objects.get(pk=second)
    assert task.progress == 40 and task.updates.get().note == "Đã họp 2/5 khu phố"


def test_one_bad_row_writes_nothing_and_names_row_and_column(world: Any, ward_plan: Plan) -> None:
    client = Client()
    client.force_login(world.user("secretary"))
    workbook = _export(client)
    sheet = workbook.active
    ids = sorted(sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1))
    sheet.cell(_row_of(sheet, ids[0]), 7).value = 80
    bad_row = _row_of(sheet, ids[1])
    sheet.cell(bad_row, 7).value = 150
    other = Plan.objects.get(organisation=world.ward_b).tasks.first()
    assert other is not None
    sheet.append([other.pk, "", "", "", None, "", 10, "", ""])
    response = client.post(reverse("campaigns:task_import"), {"file": SimpleUploadedFile("x.xlsx", _bytes(workbook))})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in body
    assert f"<td>{bad_row}</td>" in body and f"<td>{sheet.max_row}</td>" in body
    assert PlanTask.objects.get(pk=ids[0]).progress == 0
    assert not TaskUpdate.objects.exists()


def test_import_errors_cover_bad_status_and_duplicates(world: Any, ward_plan: Plan) -> None:
    task = ward_plan.tasks.first()
    assert task is not None
    from chithi.core.xlsx import write_xlsx

    columns = services.progress_columns()
    content = write_xlsx(headers=[c.header for c in columns], rows=[
        [task.pk, "", "", "", None, "xong rồi", 50, "", ""],
        [task.pk, "", "", "", None, "", 60, "", ""],
        ["abc", "", "", "", None, "", 60, "", ""],
    ])
    with pytest.raises(ImportRejected) as caught:
        services.import_progress(actor=world.user("secretary"), source=content)
    rows = sorted((e.row, e.column.split(" ")[0]) for e in caught.value.errors)
    assert rows == [(2, "F"), (3, "A"), (4, "A")]


def test_required_task_cannot_be_cancelled_by_import(world: Any, ward_plan: Plan) -> None:
    task = ward_plan.tasks.first()
    assert task is not None
    from chithi.core.xlsx import write_xlsx

    columns = services.progress_columns()
    content = write_xlsx(headers=[c.header for c in columns],
                         rows=[[task.pk, "", "", "", None, "Hủy bỏ", 0, "", "Không làm"]])
    with pytest.raises(ImportRejected) as caught:
        services.import_progress(actor=world.user("secretary"), source=content)
    assert caught.value.errors[0].row == 2
    task.refresh_from_db()
    assert task.status == TaskStatus.PLANNED


def test_api_import(world: Any, ward_plan: Plan) -> None:
    from rest_framework.test import APIClient

    task = ward_plan.tasks.first()
    assert task is not None
    from chithi.core.xlsx import write_xlsx

    columns = services.progress_columns()
    content = write_xlsx(headers=[c.header for c in columns], rows=[[task.pk, "", "", "", None, "", 30, "", ""]])
    client = APIClient()
    client.force_authenticate(world.user("staff"))
    response = client.post("/api/plan-tasks/import/", {"file": SimpleUploadedFile("t.xlsx", content)},
                           format="multipart")
    assert response.status_code == 200 and response.json()[0]["progress"] == 30
    content = write_xlsx(headers=[c.header for c in columns], rows=[[task.pk, "", "", "", None, "", 300, "", ""]])
    response = client.post("/api/plan-tasks/import/", {"file": SimpleUploadedFile("t.xlsx", content)},
                           format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["row"] == 2
