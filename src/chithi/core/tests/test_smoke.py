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


def test_the_menu_bar_shortens_a_long_name_and_the_menu_gives_it_whole(client, world):
    """Seen at 1366 px: the bar read "Bí thư Đảng…" and "Tìm kiếm đ" (the placeholder cut by the 7rem box), with
    nowhere to read either whole."""
    user = world.user("secretary")
    type(user).objects.filter(pk=user.pk).update(first_name="Nguyễn Thị Phương", last_name="Thảo")
    client.force_login(user)
    body = client.get("/").content.decode()
    name = type(user).objects.get(pk=user.pk).display_name()
    assert len(name) > 12 and f'<span class="dropdown-item-text fw-semibold">{name}</span>' in body
    assert f'title="{name}"' in body
    assert 'placeholder="Tìm kiếm…"' in body and 'aria-label="Tìm kiếm đơn vị và nhân sự"' in body
