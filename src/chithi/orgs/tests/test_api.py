"""The API: OpenAPI schema and local Swagger UI, token auth, filters, pagination, field errors."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from chithi.orgs.models import Organisation, Person


def test_schema_and_docs_are_served_locally(client, world):
    client.force_login(world.user("viewer"))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/orgs/" in text and "/api/people/" in text
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
    assert "<script>" not in docs  # no inline script: the CSP forbids it


def test_token_authentication(client, world):
    token = Token.objects.create(user=world.user("secretary"))
    response = client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert client.get("/api/orgs/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_issue_token_from_the_account_page(client, world):
    client.force_login(world.user("staff"))
    response = client.post("/tai-khoan/")
    key = response.context["new_token"]
    client.logout()
    assert client.get("/api/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_filters_and_pagination(client, world):
    client.force_login(world.user("admin"))
    data = client.get("/api/orgs/", {"kind": "party_cell", "page_size": 2}).json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]
    within = client.get("/api/orgs/", {"unit": world.ward_a.pk}).json()
    assert within["count"] == 3
    people = client.get("/api/people/", {"unit": world.ward_b.pk}).json()
    assert [p["full_name"] for p in people["results"]] == ["Lê Thị Bình"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"full_name": "Một", "organisation": "A1"}, "full_name"),
    ({"full_name": "Trần Văn Hai", "organisation": "A1", "email": "x@"}, "email"),
    ({"full_name": "Trần Văn Hai", "organisation": "B1"}, "organisation"),
    ({"full_name": "Trần Văn Hai", "organisation": "A1", "birth_date": "2099-01-01"}, "birth_date"),
    ({"full_name": "Trần Văn Hai", "organisation": "A1", "party_joined_on": "2010-01-01"}, "party_joined_on"),
])
def test_api_create_person_errors_name_the_field_and_write_nothing(client, world, payload, field):
    client.force_login(world.user("secretary"))
    payload = dict(payload)
    payload["organisation"] = {"A1": world.cell_a1.pk, "B1": world.cell_b1.pk}[payload["organisation"]]
    before = Person.objects.count()
    response = client.post("/api/people/", payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert Person.objects.count() == before


def test_api_create_person_and_org(client, world):
    client.force_login(world.user("secretary"))
    response = client.post("/api/people/", {"full_name": "Trần Văn Hai", "organisation": world.cell_a1.pk,
                                            "position": "Đảng viên"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["memberships"][0]["organisation"] == world.cell_a1.pk
    response = client.post("/api/orgs/", {"name": "Chi bộ Khu phố 9", "kind": "party_cell",
                                          "parent": world.ward_a.pk}, content_type="application/json")
    assert response.status_code == 201
    org = Organisation.objects.get(name="Chi bộ Khu phố 9")
    assert org.path.startswith(world.ward_a.path)
    bad = client.post("/api/orgs/", {"name": "", "kind": "nonsense", "parent": world.ward_a.pk},
                      content_type="application/json")
    assert bad.status_code == 400 and {"name", "kind"} <= set(bad.json())


@pytest.mark.parametrize("url", ["/to-chuc/?ngay=2020-02-30", "/to-chuc/?ngay=abc", "/to-chuc/danh-sach/?kind=zzz",
                                 "/nhan-su/?unit=abc", "/nhan-su/?page=999"])
def test_bad_query_parameters_never_break_a_page(client, world, url):
    client.force_login(world.user("admin"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "field"), [("/api/orgs/?kind=zzz", "kind"), ("/api/orgs/?unit=abc", "unit")])
def test_bad_api_filters_answer_400_naming_the_field(client, world, url, field):
    client.force_login(world.user("admin"))
    response = client.get(url)
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize("query", ["is_party_member=false", "is_party_member=true", "active=false"])
def test_the_yes_no_filters_keep_what_they_say(client, world, query):
    """The CI fuzz run got a 500 from /api/people/?is_party_member=false: the filter's label had become its field
    name ("Cannot resolve keyword 'Đảng viên'") when the yes/no filters were made one (core.inputs.YesNoFilter)."""
    client.force_login(world.user("admin"))
    url = "/api/people/" if query.startswith("is_party") else "/api/orgs/"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    page = client.get(f"/nhan-su/?{query}" if query.startswith("is_party") else f"/to-chuc/danh-sach/?{query}")
    assert page.status_code == 200
