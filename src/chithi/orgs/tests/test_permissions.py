"""The permission matrix: each role × each view and API endpoint × inside/outside its scope.

Read a row as: "<role> doing <endpoint> on <target> gets <status>". Outside the scope is 404,
never 403, so nobody learns that an object exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

ROLES = ["admin", "leader", "viewer", "secretary", "staff", "cell_secretary", "other_secretary", "nobody"]

# Who may do what on objects inside ward A (cell_a1 and its person) — the ward B secretary and the
# user without a role are outside.
VIEW_A = {"admin", "leader", "viewer", "secretary", "staff", "cell_secretary"}
CHANGE_A = {"admin", "secretary", "staff", "cell_secretary"}
VIEW_B = {"admin", "leader", "viewer", "other_secretary"}
CHANGE_B = {"admin", "other_secretary"}
ADMIN_ONLY = {"admin"}
EXPORTERS = {"admin", "leader", "secretary", "staff", "cell_secretary", "other_secretary"}
IMPORTERS = {"admin", "secretary", "staff", "cell_secretary", "other_secretary"}

Target = Callable[[Any], str]

MATRIX: list[tuple[str, str, Target, set[str]]] = [
    # (name, method, url builder, roles that get 200)
    ("org detail in A", "get", lambda w: f"/to-chuc/{w.cell_a1.pk}/", VIEW_A),
    ("org detail in B", "get", lambda w: f"/to-chuc/{w.cell_b1.pk}/", VIEW_B),
    ("org history in A", "get", lambda w: f"/to-chuc/{w.cell_a1.pk}/lich-su/", VIEW_A),
    ("org edit in A", "get", lambda w: f"/to-chuc/{w.cell_a1.pk}/sua/", CHANGE_A),
    ("org edit in B", "get", lambda w: f"/to-chuc/{w.cell_b1.pk}/sua/", CHANGE_B),
    ("org split in A", "get", lambda w: f"/to-chuc/{w.cell_a1.pk}/chia-tach/", ADMIN_ONLY),
    ("org roles in A", "get", lambda w: f"/to-chuc/{w.cell_a1.pk}/phan-quyen/", ADMIN_ONLY),
    ("merge page", "get", lambda w: "/to-chuc/sap-nhap/", ADMIN_ONLY),
    ("person detail in A", "get", lambda w: f"/nhan-su/{w.person_a1.pk}/", VIEW_A),
    ("person detail in B", "get", lambda w: f"/nhan-su/{w.person_b1.pk}/", VIEW_B),
    ("person history in A", "get", lambda w: f"/nhan-su/{w.person_a1.pk}/lich-su/", VIEW_A),
    ("person edit in A", "get", lambda w: f"/nhan-su/{w.person_a1.pk}/sua/", CHANGE_A),
    ("person edit in B", "get", lambda w: f"/nhan-su/{w.person_b1.pk}/sua/", CHANGE_B),
    ("people export", "get", lambda w: "/nhan-su/xuat.xlsx", EXPORTERS),
    ("people import", "get", lambda w: "/nhan-su/nhap/", IMPORTERS),
    ("new unit page", "get", lambda w: "/to-chuc/them/", IMPORTERS),
    ("API org in A", "get", lambda w: f"/api/orgs/{w.cell_a1.pk}/", VIEW_A),
    ("API org in B", "get", lambda w: f"/api/orgs/{w.cell_b1.pk}/", VIEW_B),
    ("API person in A", "get", lambda w: f"/api/people/{w.person_a1.pk}/", VIEW_A),
    ("API person in B", "get", lambda w: f"/api/people/{w.person_b1.pk}/", VIEW_B),
    ("API edit org in A", "patch", lambda w: f"/api/orgs/{w.cell_a1.pk}/", CHANGE_A),
    ("API edit person in B", "patch", lambda w: f"/api/people/{w.person_b1.pk}/", CHANGE_B),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "target", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_permission_matrix(client, world, role, name, method, target, allowed):
    client.force_login(world.user(role))
    url = target(world)
    if method == "patch":
        response = client.patch(url, data={"note": "x"} if "people" in url else {"description": "x"},
                                content_type="application/json")
    else:
        response = client.get(url)
    expected = 200 if role in allowed else 404
    assert response.status_code == expected, f"{role} {name}: {response.status_code}"


@pytest.mark.parametrize("url", ["/to-chuc/", "/nhan-su/", "/api/orgs/", "/api/people/", "/nhat-ky/"])
def test_anonymous_is_sent_to_login_or_refused(client, world, url):
    response = client.get(url)
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/dang-nhap/")


def _names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_ward_secretary_lists_only_their_ward(client, world):
    client.force_login(world.user("secretary"))
    names = _names(client.get("/api/orgs/?page_size=100"))
    assert names == {"Đảng ủy phường Đông Thanh", "Chi bộ Khu phố 1", "Chi bộ Khu phố 2"}
    html = client.get("/to-chuc/").content.decode()
    assert "Chi bộ Khu phố 1" in html
    assert "Chi bộ Khu phố 3" not in html
    assert "Thành ủy Đông Hà" not in html


def test_people_list_and_export_are_scoped(client, world):
    client.force_login(world.user("other_secretary"))
    html = client.get("/nhan-su/").content.decode()
    assert "Lê Thị Bình" in html
    assert "Đường Văn Ánh" not in html
    from io import BytesIO

    from openpyxl import load_workbook

    content = client.get("/nhan-su/xuat.xlsx").content
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Lê Thị Bình"]


def test_secretary_cannot_create_under_another_ward(client, world):
    client.force_login(world.user("secretary"))
    response = client.post("/to-chuc/them/", {"parent": world.ward_b.pk, "name": "Chi bộ lạ", "kind": "party_cell"})
    assert response.status_code == 200  # the form refuses: ward B is not a valid choice
    assert "Chi bộ lạ" not in {o.name for o in world.ward_b.children.all()}
    api = client.post("/api/orgs/", {"parent": world.ward_b.pk, "name": "Chi bộ lạ", "kind": "party_cell"},
                      content_type="application/json")
    assert api.status_code == 400
    assert "parent" in api.json()


def test_viewer_sees_but_cannot_write_through_api(client, world):
    client.force_login(world.user("viewer"))
    assert client.get(f"/api/orgs/{world.cell_a1.pk}/").status_code == 200
    response = client.post("/api/orgs/", {"parent": world.ward_a.pk, "name": "Mới", "kind": "party_cell"},
                           content_type="application/json")
    assert response.status_code == 400
