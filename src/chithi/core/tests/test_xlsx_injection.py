"""Issue 9: text that starts like a formula is written as text in every export (one place: core.xlsx)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from chithi.core.xlsx import write_xlsx

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_written_as_text(text):
    content = write_xlsx(headers=["a", "b"], rows=[[text, 5]])
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value == text  # a string, never a formula; the text is unchanged
    assert cell.quotePrefix  # and it stays text when someone edits it
    with io.BytesIO(content) as raw:
        import zipfile

        xml = zipfile.ZipFile(raw).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_plain_values_keep_their_types():
    content = write_xlsx(headers=["n", "d", "t"], rows=[[-5, dt.date(2025, 1, 2), "Nguyễn Văn An"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=1).value == -5 and sheet.cell(row=2, column=3).value == "Nguyễn Văn An"


def test_people_export_writes_a_hostile_name_as_text(client, world):
    from chithi.orgs.tests.factories import PersonFactory

    PersonFactory(full_name="Nguyễn Văn Hiểm", position="=HYPERLINK(\"http://evil.example\",\"Bấm\")",
                  organisation=world.cell_a1)
    client.force_login(world.user("admin"))
    sheet = load_workbook(io.BytesIO(client.get("/nhan-su/xuat.xlsx").content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value or "").startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
