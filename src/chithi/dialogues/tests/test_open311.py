"""Open311 GeoReport v2: every resource in JSON and XML, the standard's errors, no personal data,
and interoperability with a third-party client (the `georeport` package from PyPI) over real HTTP.

georeport only reads (services, definitions, requests); POST is checked with a hand-written client
that sends exactly what the spec's examples send: form-encoded fields to /requests.{format}."""

# ruff: noqa: S310, S314 - the XML and URLs parsed here are our own test server's answers
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from chithi.dialogues import services
from chithi.dialogues.models import Issue, IssueChannel

from .factories import IssueFactory, api_client

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def test_discovery_in_json_and_xml(world: Any, category: Any, client: Client) -> None:
    data = client.get(f"{BASE}/discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and "application/json" in endpoint["formats"]
    response = client.get(f"{BASE}/discovery.xml")
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_services_and_definition(world: Any, category: Any, client: Client) -> None:
    services_json = client.get(f"{BASE}/services.json").json()
    assert services_json == [{"service_code": "trat-tu-do-thi", "service_name": "Trật tự đô thị",
                              "description": None, "metadata": True, "type": "realtime", "keywords": None,
                              "group": None}]
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert root.tag == "services" and root.find("service/service_code").text == "trat-tu-do-thi"
    definition = client.get(f"{BASE}/services/trat-tu-do-thi.json").json()
    codes_ = [a["code"] for a in definition["attributes"]]
    assert definition["service_code"] == "trat-tu-do-thi" and codes_ == ["CONSENT", "WARD"]
    wards = definition["attributes"][1]["values"]
    assert {"key": world.ward_a.pk, "name": "Phường Đông Thanh"} in wards
    xml = ET.fromstring(client.get(f"{BASE}/services/trat-tu-do-thi.xml").content)
    assert xml.tag == "service_definition" and xml.find("attributes/attribute/values/value/key").text == "yes"
    missing = client.get(f"{BASE}/services/khong-co.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def _post(client: Client, fmt: str = "json", **fields: str) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", fields)  # form-encoded, as the spec says


def test_post_without_or_with_a_bad_key_is_403_in_the_standard_format(world: Any, category: Any,
                                                                         client: Client) -> None:
    response = _post(client, service_code="trat-tu-do-thi", description="Lấn chiếm vỉa hè", lat="16.8", long="107.1")
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": "api_key missing or invalid"}]
    xml = _post(client, "xml", api_key="sai", service_code="trat-tu-do-thi", description="Lấn chiếm vỉa hè")
    assert xml.status_code == 403
    root = ET.fromstring(xml.content)
    assert root.tag == "errors" and root.find("error/code").text == "403"
    assert root.find("error/description").text
    assert not Issue.objects.exists()


def test_post_creates_an_issue_through_the_same_service(world: Any, category: Any, client: Client) -> None:
    _client, key = api_client()
    response = _post(client, api_key=key, service_code="trat-tu-do-thi",
                     description="Quán nhậu lấn chiếm vỉa hè đến khuya", lat="16.816345", long="107.100879",
                     address_string="Số 8 Lê Duẩn", first_name="Văn", last_name="Bình", phone="0905111222",
                     email="binh@example.vn", **{"attribute[CONSENT]": "yes", "attribute[WARD]": str(world.ward_a.pk)})
    assert response.status_code == 201
    row = response.json()[0]
    issue = Issue.objects.get(pk=row["service_request_id"])
    assert row["token"] == issue.display_code and issue.display_code in row["service_notice"]
    assert issue.channel == IssueChannel.OPEN311 and issue.api_client == _client
    assert issue.reporter_name == "Văn Bình" and "0905111222" in issue.reporter_contact
    assert issue.consent_to_publish and issue.area_unit == world.ward_a and issue.area == "Phường Đông Thanh"
    assert issue.organisation == world.ward_a  # the ward's committee handles it (issue 10)
    xml = _post(client, "xml", api_key=key, service_code="trat-tu-do-thi", description="Một việc khác cần xử lý",
                address_string="Phường Đông Thanh")
    root = ET.fromstring(xml.content)
    assert xml.status_code == 201 and root.tag == "service_requests"
    assert root.find("request/service_request_id").text.isdigit()


def test_post_bad_input_is_400_with_the_field_named(world: Any, category: Any, client: Client) -> None:
    _client, key = api_client()
    assert _post(client, api_key=key, description="Thiếu mã dịch vụ", lat="1", long="1").json()[0]["code"] == 400
    no_place = _post(client, api_key=key, service_code="trat-tu-do-thi", description="Không có vị trí nào")
    assert no_place.status_code == 400 and "location" in no_place.json()[0]["description"]
    short = _post(client, api_key=key, service_code="trat-tu-do-thi", description="", address_string="Đông Hà")
    assert short.status_code == 400 and short.json()[0]["description"].startswith("description")
    far = _post(client, api_key=key, service_code="trat-tu-do-thi", description="Toạ độ sai hoàn toàn",
                lat="95", long="107")
    assert far.status_code == 400 and far.json()[0]["description"].startswith("lat")
    assert not Issue.objects.exists()


def test_get_requests_filters_and_shows_no_personal_data(world: Any, category: Any, client: Client) -> None:
    admin = world.user("admin")
    public = IssueFactory(category=category, latitude="16.816345", longitude="107.100879",
                          description="Cống tắc trước nhà số 12, gọi 0912345678")
    private = IssueFactory(category=category, consent_to_publish=False, description="Việc riêng không công khai")
    services.assign_issue(actor=admin, issue=public, unit=world.ward_a)
    services.answer_issue(actor=admin, issue=public, answer="Đã nạo vét, báo bà Nguyễn Thị Hoa.")
    rows = client.get(f"{BASE}/requests.json").json()
    by_id = {row["service_request_id"]: row for row in rows}
    assert set(by_id) == {public.pk, private.pk}
    assert by_id[public.pk]["status"] == "closed" and by_id[private.pk]["status"] == "open"
    assert by_id[private.pk]["description"] is None and by_id[private.pk]["status_notes"] is None
    assert by_id[public.pk]["lat"] == 16.82 and by_id[public.pk]["long"] == 107.1
    text = client.get(f"{BASE}/requests.json").content.decode() + client.get(f"{BASE}/requests.xml").content.decode()
    for secret in ["Nguyễn Thị Hoa", "0912345678", "Số 12", "số 12", "Lê Lợi", public.tracking_code,
                   public.display_code, "16.816345"]:
        assert secret not in text
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", {"status": "open"}).json()] == \
        [private.pk]
    assert client.get(f"{BASE}/requests.json", {"service_request_id": f"{public.pk}"}).json()[0]["status"] == "closed"
    assert client.get(f"{BASE}/requests.json", {"service_code": "khac"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"start_date": "2001-01-01T00:00:00Z",
                                                "end_date": "2001-02-01T00:00:00Z"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"start_date": "hôm qua"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400


def test_request_by_id_and_token(world: Any, category: Any, client: Client) -> None:
    issue = IssueFactory(category=category)
    one = client.get(f"{BASE}/requests/{issue.pk}.json").json()
    assert len(one) == 1 and one[0]["service_request_id"] == issue.pk
    root = ET.fromstring(client.get(f"{BASE}/requests/{issue.pk}.xml").content)
    assert root.find("request/service_code").text == category.code
    missing = client.get(f"{BASE}/requests/999999.xml")
    assert missing.status_code == 404 and ET.fromstring(missing.content).find("error/code").text == "404"
    token = client.get(f"{BASE}/tokens/{issue.display_code}.json").json()
    assert token == [{"service_request_id": issue.pk, "token": issue.display_code}]
    assert client.get(f"{BASE}/tokens/ZZZZZ-ZZZZZ.json").status_code == 404
    assert client.delete(f"{BASE}/requests.json").status_code == 405


def test_third_party_client_reads_the_endpoint(world: Any, category: Any, live_server: Any) -> None:
    georeport = pytest.importorskip("georeport", reason="the georeport client is a dev dependency")
    issue = IssueFactory(category=category)
    for fmt in ("json", "xml"):
        client = georeport.GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
        service_list = client.get_service_list()
        first = service_list[0] if isinstance(service_list, list) else service_list
        assert first["service_code"] == "trat-tu-do-thi"
        definition = client.get_service_definition("trat-tu-do-thi")
        assert definition["service_code"] == "trat-tu-do-thi"
        requests_ = client.get_service_requests(status="open")
        rows = requests_ if isinstance(requests_, list) else [requests_]
        assert str(rows[0]["service_request_id"]) == str(issue.pk)
        single = client.get_service_request(str(issue.pk))
        assert str(single["service_request_id"]) == str(issue.pk)
        assert single["status"] == "open"


def test_hand_written_client_posts_like_the_spec_example(world: Any, category: Any, live_server: Any) -> None:
    """The spec's POST example, sent with urllib over HTTP as a city's app would."""
    import json
    import urllib.parse
    import urllib.request

    _client, key = api_client()
    body = urllib.parse.urlencode({
        "api_key": key, "service_code": "trat-tu-do-thi", "lat": "16.8163", "long": "107.1008",
        "address_string": "Đường Hùng Vương", "email": "dan@example.vn", "device_id": "tt222111",
        "account_id": "123456", "first_name": "An", "last_name": "Lê", "phone": "0905000111",
        "description": "Biển quảng cáo che khuất đèn giao thông", "media_url": "http://example.vn/a.jpg",
    }).encode()
    request = urllib.request.Request(f"{live_server.url}/open311/v2/requests.json", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        row = json.loads(response.read())[0]
    assert Issue.objects.filter(pk=row["service_request_id"]).exists()
    with urllib.request.urlopen(f"{live_server.url}/open311/v2/tokens/{row['token']}.xml", timeout=10) as response:
        root = ET.fromstring(response.read())
    assert root.find("request/service_request_id").text == str(row["service_request_id"])


def test_post_with_a_ward_that_is_not_listed_is_refused_by_name(world: Any, category: Any, client: Client) -> None:
    _client, key = api_client()
    response = _post(client, api_key=key, service_code="trat-tu-do-thi", description="Lấn chiếm vỉa hè",
                     address_string="Đông Hà", **{"attribute[WARD]": str(world.cell_a1.pk)})
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("attribute[WARD]")
    assert not Issue.objects.exists()
