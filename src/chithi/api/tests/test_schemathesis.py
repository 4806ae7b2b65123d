"""Issue 9, "so it stays closed": schemathesis over the signed-in `/api/schema/`, every operation, on the in-process
WSGI app (no network), with no answer of 500 or above. Bounded (a few examples per operation, the coverage and
stateful phases off) and derandomized, so a run is short and a failure reproduces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 5

CONFIG = SchemathesisConfig.from_dict({
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
})


@pytest.fixture
def admin_token(world: Any) -> str:
    """The city's admin (the widest scope a real user has), through the API's token auth: no CSRF dance."""
    return Token.objects.create(user=world.user("admin")).key


@pytest.fixture
def keep_test_transaction() -> Iterator[None]:
    """The real WSGI handler closes "obsolete" connections on each request, and inside the test's transaction
    (autocommit off) PostgreSQL's counts as obsolete: keep it open, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_transaction")
def test_no_server_error_on_any_operation(admin_token: str, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    auth = {"Authorization": f"Token {admin_token}"}
    # The schema needs sign-in (issue 9); schemathesis reads it through the same WSGI app it then calls. One test
    # walks the operations itself: schemathesis.pytest.from_fixture (the lazy loader a DB-backed schema needs)
    # sets Node._nodeid, which pytest 9 no longer has.
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG,
                                            headers={**auth, "Accept": "application/json"})
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def call(case: Any) -> None:
            response = case.call(headers=auth)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}\n"
                                f"{case.as_curl_command()}")

        call()
    assert operations > 40, operations  # the schema was read whole, not an error page
    print(f"{operations} operations, answers {dict(sorted(statuses.items()))}")
    # Signed in for real: the admin's token is never refused, and reads succeed.
    assert statuses[401] == 0 and statuses[200] > 0, statuses
    assert not failures, "\n\n".join(failures)
