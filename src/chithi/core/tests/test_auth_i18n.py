"""Login, lockout after repeated wrong passwords, the language switch, security headers."""

from __future__ import annotations


def test_login_and_logout(client, world):
    response = client.post("/dang-nhap/", {"username": "secretary", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/dang-xuat/")
    assert client.get("/to-chuc/").status_code == 302


def test_a_citizen_gets_the_public_home_page(client, world):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/dang-nhap/"' in page
    assert "Đường Văn Ánh" not in page and "secretary" not in page


def test_many_wrong_passwords_lock_the_account(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/dang-nhap/", {"username": "secretary", "password": "wrong"})
    assert response.status_code in (403, 429)
    # even the right password is refused while locked
    response = client.post("/dang-nhap/", {"username": "secretary", "password": "pw-for-tests-1"})
    assert response.status_code in (403, 429)
    assert "khóa" in response.content.decode() or "locked" in response.content.decode()


def test_interface_is_vietnamese_by_default_and_switches_to_english(client, world):
    client.force_login(world.user("admin"))
    page = client.get("/to-chuc/").content.decode()
    assert 'lang="vi"' in page and "Cây tổ chức" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/to-chuc/"})
    assert response.status_code == 302
    page = client.get("/to-chuc/").content.decode()
    assert 'lang="en"' in page and "Organisation tree" in page
    # The way back is named in its own language, in the user menu (the bar keeps its width for the rooms).
    assert '<button class="dropdown-item" name="language" value="vi" lang="vi">Tiếng Việt</button>' in page


def test_a_visitor_chooses_the_language_in_the_bar(client, world):
    page = client.get("/").content.decode()
    assert '<select name="language"' in page and 'id="user-menu"' not in page
    client.force_login(world.user("admin"))
    page = client.get("/").content.decode()
    assert '<select name="language"' not in page  # a signed-in user's bar had no room for it at 1280 px
    assert 'name="language" value="en" lang="en">English</button>' in page


def test_security_headers(client, world):
    response = client.get("/dang-nhap/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_unknown_object_is_a_404_page(client, world):
    client.force_login(world.user("admin"))
    response = client.get("/to-chuc/999999/")
    assert response.status_code == 404


def test_a_rate_limit_hit_answers_429_in_vietnamese(rf):
    from django_ratelimit.exceptions import Ratelimited
    from django_ratelimit.middleware import RatelimitMiddleware

    middleware = RatelimitMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/api/orgs/"), Ratelimited())
    assert response.status_code == 429
    import json

    detail = json.loads(response.content)["detail"]
    assert detail.startswith("Có quá nhiều yêu cầu")  # Vietnamese by default


def test_an_expired_form_is_explained_in_vietnamese_not_by_djangos_english_page(world):
    """Seen by a tester: a citizen whose cookie had expired got Django's English 403 page, which mentions DEBUG."""
    from django.test import Client

    citizen = Client(enforce_csrf_checks=True)
    response = citizen.post("/gop-y/", {"description": "Đèn đường hỏng"}, HTTP_REFERER="http://testserver/gop-y/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Chưa gửi được biểu mẫu" in page and "cho phép cookie" in page
    assert 'href="http://testserver/gop-y/"' in page  # back to the form it came from
    assert "DEBUG=True" not in page and "CSRF verification failed" not in page and 'lang="vi"' in page
    api = citizen.post("/gop-y/", {}, HTTP_ACCEPT="application/json")  # a script gets the same words as JSON
    assert api.status_code == 403 and "cookie" in api.json()["detail"]
    stranger = citizen.post("/gop-y/", {}, HTTP_REFERER="https://evil.example/")
    assert 'href="https://evil.example/' not in stranger.content.decode()
