"""Issue 10: change one's password at /tai-khoan/, reset a forgotten one by e-mail (rate-limited, never saying
whether the address exists), and an administrator can make a new account change its password at first sign-in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from chithi.core.models import User


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    cache.clear()


def _user(world, password="Mat-khau-cu-2026"):  # noqa: S107 - a test account
    user = world.user("secretary")
    user.set_password(password)
    user.email = "bithu@example.vn"
    user.save()
    return user


def test_change_password_from_the_account_page(client, world):
    user = _user(world)
    client.force_login(user)
    assert "/tai-khoan/mat-khau/" in client.get("/tai-khoan/").content.decode()
    wrong = client.post("/tai-khoan/mat-khau/", {"old_password": "sai", "new_password1": "x",
                                                 "new_password2": "x"}).content.decode()
    assert "Mật khẩu cũ" in wrong or "mật khẩu cũ" in wrong
    short = client.post("/tai-khoan/mat-khau/", {"old_password": "Mat-khau-cu-2026", "new_password1": "abc12",
                                                 "new_password2": "abc12"}).content.decode()
    assert "quá ngắn" in short  # Django's validator, in Vietnamese
    response = client.post("/tai-khoan/mat-khau/", {"old_password": "Mat-khau-cu-2026",
                                                    "new_password1": "Chi-bo-khu-pho-1-2026",
                                                    "new_password2": "Chi-bo-khu-pho-1-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Chi-bo-khu-pho-1-2026")
    assert client.get("/tai-khoan/").status_code == 200  # still signed in


def test_forgot_password_sends_a_link_and_never_tells(client, world):
    user = _user(world)
    known = client.post("/quen-mat-khau/", {"email": "bithu@example.vn"})
    unknown = client.post("/quen-mat-khau/", {"email": "khong-co@example.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bithu@example.vn"]
    link = re.search(r"https?://\S+/dat-lai-mat-khau/\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200
    response = client.post(page.redirect_chain[-1][0] if page.redirect_chain else "/" + path,
                           {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026!")


def test_forgot_password_is_rate_limited(client, world):
    _user(world)
    codes = [client.post("/quen-mat-khau/", {"email": f"x{i}@example.vn"}).status_code for i in range(7)]
    assert codes[:5] == [302] * 5 and codes[-1] == 429


def test_admin_forces_a_password_change_on_first_sign_in(client, world):
    client.force_login(world.user("superuser"))
    form = client.get("/quan-tri/core/user/add/").content.decode()
    assert 'name="must_change_password"' in form and "checked" in form.split('name="must_change_password"')[0][-200:] \
        + form.split('name="must_change_password"')[1][:200]
    response = client.post("/quan-tri/core/user/add/", {
        "username": "moi", "usable_password": "true", "password1": "Tam-thoi-2026!", "password2": "Tam-thoi-2026!",
        "must_change_password": "on"})
    assert response.status_code == 302
    new = User.objects.get(username="moi")
    assert new.must_change_password
    client.force_login(new)
    assert client.get("/").url == "/tai-khoan/mat-khau/"
    assert client.get("/nhat-ky/").url == "/tai-khoan/mat-khau/"
    assert "quản trị" in client.get("/tai-khoan/mat-khau/").content.decode().lower()
    client.post("/tai-khoan/mat-khau/", {"old_password": "Tam-thoi-2026!", "new_password1": "Cua-toi-2026!",
                                         "new_password2": "Cua-toi-2026!"})
    new.refresh_from_db()
    assert not new.must_change_password
    assert client.get("/").status_code == 200


def test_the_account_page_says_who_you_are_and_what_each_role_lets_you_do(client, world):
    """Seen in the demo: a party member's only description of themselves was "Chi bộ Khu phố 1 — Theo dõi", and the
    account page showed the username and a password button: nothing said that "Theo dõi" means view only."""
    from chithi.core.permissions import Role
    from chithi.orgs.models import RoleAssignment

    user = world.user("viewer")
    user.person = world.person_b1
    user.save()
    RoleAssignment.objects.create(user=user, organisation=world.cell_b1, role=Role.STAFF)
    client.force_login(user)
    page = client.get("/tai-khoan/").content.decode()
    assert "Lê Thị Bình" in page and "Đảng viên, " in page and world.cell_b1.name in page
    assert "Được xem — trong đơn vị này và các đơn vị trực thuộc" in page  # the viewer's role on the city
    assert "Được xem, thêm, sửa, nhập từ tệp, xuất ra tệp — trong" in page  # staff: no "xóa"
    assert f"/nhan-su/{world.person_b1.pk}/" in page
    assert "Mỗi vai trò được làm gì" in client.get("/").content.decode()  # the home page's roles lead here
    # Without a linked person the page says what is missing and who can fix it.
    client.force_login(world.user("leader"))
    assert "Tài khoản chưa gắn với hồ sơ nhân sự" in client.get("/tai-khoan/").content.decode()


def test_change_the_notification_address_with_the_password(client, world):
    from chithi.core.models import AuditEntry

    user = _user(world)
    other = world.user("staff")
    other.email = "canbo@example.vn"
    other.save()
    client.force_login(user)
    assert "bithu@example.vn" in client.get("/tai-khoan/").content.decode()
    url = "/tai-khoan/thu-dien-tu/"
    wrong = client.post(url, {"email": "moi@example.vn", "password": "sai"})
    assert wrong.status_code == 200 and "Mật khẩu không đúng." in wrong.content.decode()
    taken = client.post(url, {"email": "CanBo@example.vn", "password": "Mat-khau-cu-2026"})
    assert "Địa chỉ này đã dùng cho một tài khoản khác." in taken.content.decode()
    bad = client.post(url, {"email": "khong-phai-thu", "password": "Mat-khau-cu-2026"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    user.refresh_from_db()
    assert user.email == "bithu@example.vn"  # nothing written by a refused form
    done = client.post(url, {"email": " moi@EXAMPLE.VN ", "password": "Mat-khau-cu-2026"})
    assert done.status_code == 302 and done["Location"] == "/tai-khoan/"
    user.refresh_from_db()
    assert user.email == "moi@example.vn"
    entry = AuditEntry.objects.filter(object_id=str(user.pk), note="đổi địa chỉ thư điện tử").get()
    assert entry.before["email"] == "bithu@example.vn" and entry.after["email"] == "moi@example.vn"
    # Empty: no e-mail at all, said plainly on the account page.
    client.post(url, {"email": "", "password": "Mat-khau-cu-2026"})
    user.refresh_from_db()
    assert user.email == "" and "thông báo chỉ hiện ở biểu tượng chuông" in client.get("/tai-khoan/").content.decode()
