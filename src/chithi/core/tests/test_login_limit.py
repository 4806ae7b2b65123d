"""Issue 9: one address cannot try passwords across many accounts; a real user elsewhere is never locked out."""

from __future__ import annotations

import pytest
from django.test import Client

from chithi.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_address_is_stopped_across_usernames(client: Client, settings) -> None:
    settings.CHITHI_LOGIN_FAILURES_PER_ADDRESS = 6
    users = [UserFactory(username=f"user{i}") for i in range(4)]
    for user in users:  # two wrong passwords each: under the per-account limit, 8 from one address in all
        for _try in range(2):
            client.post("/dang-nhap/", {"username": user.username, "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "user0", "password": "sai-nua"})
    assert response.status_code == 429
    users[0].set_password("dung-mat-khau")
    users[0].save()
    # the address stays stopped even with the right password...
    assert client.post("/dang-nhap/", {"username": "user0", "password": "dung-mat-khau"}).status_code == 429
    # ...but the same user from another address signs in
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post("/dang-nhap/", {"username": "user0", "password": "dung-mat-khau"}).status_code == 302
