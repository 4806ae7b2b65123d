"""The OpenAPI schema of every room builds without a warning (a warning means a client sees a guess)."""

from __future__ import annotations

from django.core.management import call_command


def test_schema_builds_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    text = target.read_text()
    for path in ("/api/orgs/", "/api/people/", "/api/plans/", "/api/rollup/", "/api/issues/", "/api/practices/"):
        assert path in text
