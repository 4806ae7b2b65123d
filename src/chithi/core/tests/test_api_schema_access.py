"""Issue 9: the API schema and its docs are for signed-in users."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_api_schema_and_docs_need_sign_in(client, url):
    """Decided in issue 9 (docs/decisions.md): the map of every endpoint is for signed-in integrators."""
    assert client.get(url).status_code in (401, 403)
