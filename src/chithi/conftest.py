"""Fixtures every room's tests can rely on: a small tree and one user per role (after Zulip)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from chithi.core.models import User
from chithi.core.permissions import Role
from chithi.orgs.models import Organisation, OrgKind, Person
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory, UserFactory, superuser


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A `replica` alias that mirrors the test database (Django's TEST MIRROR: a second connection to the same
    database), so that report selectors can be tested reading through core.db_routers.reporting_db(). Reports
    read from it only where a test sets REPORTING_DATABASE = "replica" (with databases=["default", "replica"])."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    settings.DATABASES.setdefault("replica", {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}})


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Plain static names: the live server serves static files through the finders, which know no hashed names
    # (a manifest left in var/static by `make demo` would otherwise turn every script into a 404).
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
    settings.LANGUAGE_CODE = "vi"
    cache.clear()


@dataclass
class World:
    """city ─┬─ ward_a ─┬─ cell_a1 (residential)
             │          └─ cell_a2
             ├─ ward_b ─── cell_b1
             └─ agency
    Users: admin, leader, viewer on city; secretary and staff on ward_a; cell_secretary on cell_a1;
    other_secretary on ward_b; nobody (no role)."""

    city: Organisation
    ward_a: Organisation
    ward_b: Organisation
    cell_a1: Organisation
    cell_a2: Organisation
    cell_b1: Organisation
    agency: Organisation
    person_a1: Person
    person_b1: Person
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]


@pytest.fixture
def world(db: Any) -> World:
    from chithi.orgs import services

    root = superuser()
    city = OrganisationFactory(name="Thành ủy Đông Hà", kind=OrgKind.PARTY_COMMITTEE, code="TU")
    ward_a = OrganisationFactory(name="Đảng ủy phường Đông Thanh", kind=OrgKind.WARD_COMMITTEE, parent=city,
                                 code="W-A")
    ward_b = OrganisationFactory(name="Đảng ủy phường Đông Lễ", kind=OrgKind.WARD_COMMITTEE, parent=city,
                                 code="W-B")
    cell_a1 = OrganisationFactory(name="Chi bộ Khu phố 1", parent=ward_a, residential=True, code="C-A1")
    cell_a2 = OrganisationFactory(name="Chi bộ Khu phố 2", parent=ward_a, code="C-A2")
    cell_b1 = OrganisationFactory(name="Chi bộ Khu phố 3", parent=ward_b, code="C-B1")
    agency = OrganisationFactory(name="Công an thành phố", kind=OrgKind.AGENCY, parent=city, code="CA")
    person_a1 = PersonFactory(full_name="Đường Văn Ánh", organisation=cell_a1, position="Bí thư Chi bộ")
    person_b1 = PersonFactory(full_name="Lê Thị Bình", organisation=cell_b1, position="Đảng viên")
    users: dict[str, User] = {"superuser": root}
    for name, org, role in [
        ("admin", city, Role.ADMIN), ("leader", city, Role.LEADER), ("viewer", city, Role.VIEWER),
        ("secretary", ward_a, Role.SECRETARY), ("staff", ward_a, Role.STAFF),
        ("cell_secretary", cell_a1, Role.SECRETARY), ("other_secretary", ward_b, Role.SECRETARY),
    ]:
        user = UserFactory(username=name)
        services.assign_role(actor=root, user=user, organisation=org, role=role)
        users[name] = user
    users["nobody"] = UserFactory(username="nobody")
    return World(city=city, ward_a=ward_a, ward_b=ward_b, cell_a1=cell_a1, cell_a2=cell_a2, cell_b1=cell_b1,
                 agency=agency, person_a1=person_a1, person_b1=person_b1, users=users)


@pytest.fixture
def browser_page(live_server: Any) -> Any:
    """A page in Debian's headless Chromium (never a downloaded browser), with console errors collected.

    Skipped with a reason when no Chromium is installed, unless CI=true, where it is required.
    """
    import os
    import shutil

    executable = os.environ.get("CHITHI_BROWSER") or shutil.which("chromium") or ""
    if not executable or not os.path.exists(executable):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: the browser tests need /usr/bin/chromium (apt-get install chromium)")
        pytest.skip("no Chromium installed (apt-get install chromium) — browser test not run")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_errors = []  # type: ignore[attr-defined]
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.base_url = live_server.url  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            browser.close()


def artifact_path(name: str) -> str:
    """Where browser tests save screenshots (kept by CI runs for a human to look at)."""
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.PROJECT_DIR) / "var" / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


@pytest.fixture
def toy_room(settings: Any) -> Any:
    """Installs the test-only room core.tests.toyroom (a declaration of each kind) and yields its hooks."""
    from chithi.core.tests.toyroom import hooks

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "chithi.core.tests.toyroom"]
    hooks.calls.clear()
    hooks.fail = False
    yield hooks
    hooks.calls.clear()
    hooks.fail = False


@pytest.fixture
def executor() -> Iterator[Any]:
    """Django's migration executor for a data migration's test (migrate back, write rows through the historical
    models, migrate forward): whatever happens, the next tests find the full schema again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    try:
        yield executor
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
