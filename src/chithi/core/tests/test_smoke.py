import pytest


@pytest.mark.django_db
def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


def test_home_lists_my_roles(client, world):
    client.force_login(world.user("secretary"))
    response = client.get("/")
    assert response.status_code == 200
    assert "Đảng ủy phường Đông Thanh" in response.content.decode()
