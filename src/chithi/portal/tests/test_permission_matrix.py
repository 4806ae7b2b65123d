"""Who may do what on the public site's staff pages and API, as a table: each row lists the roles that succeed;
every other role gets 404 (what a role may not do is never offered, and reads like what is outside the scope).

Writers of ward A (ADD): admin, secretary, staff. Editors of ward A: admin and secretary (and those above).
"""

from __future__ import annotations

import pytest

from chithi.core.testing import CHANGE_WARD_A, SIGNED_IN, VIEW_B, WARD_A, Row, check_row, matrix

from .factories import article, feedback

EDITORS_A = frozenset({"admin", "secretary"})


def _draft(w):
    return article(unit=w.ward_a, title="Bản nháp phường A", state="draft")


def _review(w):
    return article(unit=w.ward_a, title="Tin chờ duyệt phường A", state="review")


def _live(w):
    return article(unit=w.ward_a, title="Tin đã đăng phường A")


def _live_b(w):
    return article(unit=w.ward_b, title="Tin phường B")


def _pending(w):
    return feedback(_live(w))


ROWS = [
    Row("article list", lambda w: "/tin-bai/", SIGNED_IN),
    Row("feedback queue", lambda w: "/tin-bai/phan-hoi/", SIGNED_IN),
    Row("article detail in A", lambda w: f"/tin-bai/{_live(w).pk}/", WARD_A),
    Row("article detail in B", lambda w: f"/tin-bai/{_live_b(w).pk}/", VIEW_B),
    Row("versions in A", lambda w: f"/tin-bai/{_live(w).pk}/phien-ban/", WARD_A),
    Row("edit a draft in A", lambda w: f"/tin-bai/{_draft(w).pk}/sua/", CHANGE_WARD_A),
    Row("add a picture to a draft in A", lambda w: f"/tin-bai/{_draft(w).pk}/anh/", CHANGE_WARD_A),
    Row("edit a published article in A", lambda w: f"/tin-bai/{_live(w).pk}/sua/", EDITORS_A),
    Row("send a draft in A for review", lambda w: f"/tin-bai/{_draft(w).pk}/submit/", CHANGE_WARD_A,
        method="post", ok=302),
    Row("publish an article of A", lambda w: f"/tin-bai/{_review(w).pk}/publish/", EDITORS_A, method="post",
        ok=302),
    Row("withdraw an article of A", lambda w: f"/tin-bai/{_live(w).pk}/withdraw/", EDITORS_A, method="post",
        ok=302),
    Row("approve feedback in A", lambda w: f"/tin-bai/phan-hoi/{_pending(w).pk}/approve/", EDITORS_A,
        method="post", ok=302),
    Row("API article list", lambda w: "/api/articles/", SIGNED_IN),
    Row("API article detail in A", lambda w: f"/api/articles/{_live(w).pk}/", WARD_A),
    Row("API article detail in B", lambda w: f"/api/articles/{_live_b(w).pk}/", VIEW_B),
    Row("API edit a draft in A", lambda w: f"/api/articles/{_draft(w).pk}/", CHANGE_WARD_A, method="patch",
        data=lambda w: {"title": "Tiêu đề mới"}),
    Row("API publish an article of A", lambda w: f"/api/articles/{_review(w).pk}/publish/", EDITORS_A,
        method="post", json=True),
    Row("API feedback detail in A", lambda w: f"/api/article-feedback/{_pending(w).pk}/", WARD_A),
    Row("API approve feedback in A", lambda w: f"/api/article-feedback/{_pending(w).pk}/approve/", EDITORS_A,
        method="post", json=True),
    Row("API answer feedback in B", lambda w: f"/api/article-feedback/{feedback(_live_b(w)).pk}/answer/",
        frozenset({"admin", "other_secretary"}), method="post", json=True, data=lambda w: {"answer": "Cảm ơn."}),
    Row("API withdraw an article of A", lambda w: f"/api/articles/{_live(w).pk}/withdraw/",
        EDITORS_A, method="post", json=True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(client, world, row, role):
    check_row(client, world, row, role)


@pytest.mark.django_db
def test_an_organisation_outside_scope_reads_like_one_that_does_not_exist(world, client):
    from .factories import category

    client.force_login(world.user("secretary"))
    body = {"category": category().pk, "title": "Tin", "summary": "Tóm tắt"}
    outside = client.post("/api/articles/", {**body, "organisation": world.ward_b.pk}, content_type="application/json")
    missing = client.post("/api/articles/", {**body, "organisation": 999999}, content_type="application/json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["organisation"] == [m.replace("999999", str(world.ward_b.pk))
                                              for m in missing.json()["organisation"]]
    inside = client.post("/api/articles/", {**body, "organisation": world.ward_a.pk}, content_type="application/json")
    assert inside.status_code == 201 and inside.json()["status"] == "draft"


@pytest.mark.django_db
def test_the_api_never_shows_a_senders_name_or_e_mail(world, client):
    item = feedback(_live(world))
    client.force_login(world.user("admin"))
    data = client.get(f"/api/article-feedback/{item.pk}/").json()
    assert data["public_name"] == "Riêng" and "email" not in data and "name" not in data
