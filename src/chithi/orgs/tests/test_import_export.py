"""People import from XLSX (all or nothing, every bad cell reported) and export."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from chithi.core.models import AuditEntry
from chithi.orgs.models import Person

HEADERS = ["Họ và tên", "Mã hoặc tên đơn vị", "Chức vụ", "Từ ngày", "Giới tính", "Ngày sinh", "Đảng viên",
           "Ngày vào Đảng", "Điện thoại", "Thư điện tử"]
EN_HEADERS = ["Full name", "Unit code or name", "Position", "Since", "Gender", "Date of birth", "Party member",
              "Joined the party on", "Phone", "E-mail"]


def xlsx(rows, headers=EN_HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = ["Trần Văn Mới", "C-A1", "Đảng viên", "01/02/2020", "Nam", dt.date(1985, 3, 4), "có", "02/09/2010",
        "0905123456", "moi@example.vn"]


def upload(client, content: bytes):
    return client.post("/nhan-su/nhap/", {"file": SimpleUploadedFile("people.xlsx", content)})


def test_valid_file_imports_every_row_with_audit(client, world):
    client.force_login(world.user("secretary"))
    second = ["Lê Thị Hai", "Chi bộ Khu phố 2", "", "", "nữ", "", "không", "", "", ""]
    response = upload(client, xlsx([GOOD, second]))
    assert response.status_code == 302
    new = Person.objects.get(full_name="Trần Văn Mới")
    assert new.is_party_member and new.party_joined_on == dt.date(2010, 9, 2)
    assert new.memberships.get().organisation == world.cell_a1
    assert Person.objects.get(full_name="Lê Thị Hai").gender == "female"
    assert AuditEntry.objects.filter(action="import", object_id=str(new.pk)).exists()


def test_bad_rows_are_all_reported_and_nothing_is_written(client, world):
    client.force_login(world.user("secretary"))
    before = Person.objects.count()
    rows = [
        GOOD,
        ["", "C-A1", "", "", "", "", "", "", "", ""],                              # row 3: no name
        ["Phan Văn Ba", "C-B1", "", "", "", "", "", "", "", ""],                   # row 4: unit outside scope
        ["Võ Thị Bốn", "C-A2", "", "31/02/2020", "", "", "", "", "", ""],          # row 5: impossible date
        ["Đỗ Văn Năm", "C-A2", "", "", "khác", "", "có", "", "", "not-an-email"],  # row 6: gender and email
        ["Bùi Văn Sáu", "C-A2", "", "", "", dt.date(2010, 1, 1), "có", "01/01/2015", "", ""],  # row 7: too young
    ]
    response = upload(client, xlsx(rows))
    assert response.status_code == 200
    errors = [(e.row, e.column.split(" ")[0]) for e in response.context["errors"]]
    assert (3, "A") in errors
    assert (4, "B") in errors
    assert (5, "D") in errors
    assert (6, "E") in errors
    assert any(row == 6 for row, _ in errors if _ != "E")  # the e-mail too
    assert any(row == 7 for row, _ in errors)
    assert all(row != 2 for row, _ in errors)
    assert Person.objects.count() == before
    page = response.content.decode()
    assert "import-errors" in page


def test_vietnamese_headers_are_accepted(client, world):
    client.force_login(world.user("secretary"))
    assert upload(client, xlsx([GOOD], headers=HEADERS)).status_code == 302


def test_missing_column_and_non_excel_file(client, world):
    client.force_login(world.user("secretary"))
    response = upload(client, xlsx([["Trần Văn A"]], headers=["Full name"]))
    assert response.status_code == 200
    assert any(e.row == 1 for e in response.context["errors"])
    response = client.post("/nhan-su/nhap/", {"file": SimpleUploadedFile("people.xlsx", b"not a zip")})
    assert response.context["errors"]
    response = client.post("/nhan-su/nhap/", {"file": SimpleUploadedFile("people.csv", b"a,b")})
    assert response.context["form"].errors["file"]


def test_api_import_returns_row_errors(client, world):
    client.force_login(world.user("secretary"))
    bad = ["", "C-A1", "", "", "", "", "", "", "", ""]
    response = client.post("/api/people/import/", {"file": SimpleUploadedFile("p.xlsx", xlsx([GOOD, bad]))})
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 3
    response = client.post("/api/people/import/", {"file": SimpleUploadedFile("p.xlsx", xlsx([GOOD]))})
    assert response.status_code == 201
    assert response.json()[0]["full_name"] == "Trần Văn Mới"


def test_api_import_without_a_file_says_so_in_vietnamese(client, world):
    client.force_login(world.user("secretary"))
    response = client.post("/api/people/import/", {}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response.json()["file"] == ["Hãy đính kèm một tệp .xlsx ở trường 'file'."]


def test_export_round_trips_through_import(client, world):
    client.force_login(world.user("secretary"))
    content = client.get("/nhan-su/xuat.xlsx").content
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] in {"Họ và tên", "Full name"}
    assert rows[1][:2] == ("Đường Văn Ánh", "C-A1")
    # the exported file is a valid import file (re-importing creates a second record of the person)
    assert upload(client, content).status_code == 302
    assert Person.objects.filter(full_name="Đường Văn Ánh").count() == 2


def test_import_template_downloads(client, world):
    client.force_login(world.user("secretary"))
    response = client.get("/nhan-su/mau-nhap.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
