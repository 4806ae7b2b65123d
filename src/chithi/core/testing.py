"""The test kit every room uses (after Zulip's test_classes, NetBox's view test cases and a4-meinberlin's rules
tables). Imported only by tests.

- `client_for(role, unit)`: a logged-in client of a new user holding `role` on `unit`.
- The permission matrix: a room's `tests/test_permission_matrix.py` lists `Row`s — each endpoint with the
  roles that get 200 — and parametrizes `check_row` over `matrix(ROWS)`: every role × every row, read as
  "<role> doing <name> gets 200 if allowed, else 404".
- The URL walk: each room's `tests/samples.py` holds `SAMPLES`, a URL name → `Sample` (how to fill the URL's
  arguments from the `world` fixture). `core/tests/test_url_walk.py` walks every URL pattern: the login wall on
  every view not marked `@public`, no citizen's personal data on those marked public, and the number of
  queries of every GET view against `<room>/tests/query_counts.json` (NetBox's committed baselines).
  `CHITHI_UPDATE_QUERY_COUNTS=1 pytest src/chithi/core/tests/test_url_walk.py` rewrites the baselines.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .rooms import rooms

ROLES = ["admin", "leader", "viewer", "secretary", "staff", "cell_secretary", "other_secretary", "nobody"]

# The world (conftest.World): admin, leader, viewer on the city; secretary and staff on ward A;
# cell_secretary on cell A1; other_secretary on ward B; nobody without a role.
VIEW_A = frozenset({"admin", "leader", "viewer", "secretary", "staff", "cell_secretary"})
CHANGE_A = frozenset({"admin", "secretary", "staff", "cell_secretary"})
WARD_A = frozenset({"admin", "leader", "viewer", "secretary", "staff"})  # ward A itself, not only the cell
CHANGE_WARD_A = frozenset({"admin", "secretary", "staff"})
VIEW_B = frozenset({"admin", "leader", "viewer", "other_secretary"})
CHANGE_B = frozenset({"admin", "other_secretary"})
ADMIN_ONLY = frozenset({"admin"})
SIGNED_IN = frozenset(ROLES)


def run_queued_tasks() -> int:
    """Run every queued background task as a worker host does (django-tasks-db's own Worker: claim, run, record
    the outcome), inside the test's transaction; returns how many ran. Not `call_command("db_worker")`: its loop
    closes the connection between tasks, which ends a PostgreSQL test's transaction."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="tests", excluded_queue_names=[])
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1


def client_for(role: str, unit: Any, *, username: str | None = None) -> Client:
    """A client signed in as a new user who holds `role` on `unit`."""
    from chithi.orgs import services
    from chithi.orgs.tests.factories import UserFactory, superuser

    user: Any = UserFactory(username=username or f"{role}-{unit.pk}")
    services.assign_role(actor=superuser(), user=user, organisation=unit, role=role)
    client = Client()
    client.force_login(user)
    client.user = user  # type: ignore[attr-defined]
    return client


# --- the permission matrix -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a room's permission table."""

    name: str
    url: Callable[[Any], str]  # world -> URL
    allowed: frozenset[str]  # roles that get `ok`; every other role gets 404
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None  # world -> body (JSON for patch/put/API posts)
    ok: int = 200
    json: bool = False


def matrix(rows: list[Row]) -> list[Any]:
    """pytest parameters: one per (row, role), with readable ids ("plan detail in A-viewer")."""
    import pytest

    return [pytest.param(row, role, id=f"{row.name}-{role}") for row in rows for role in ROLES]


def check_row(client: Client, world: Any, row: Row, role: str) -> None:
    client.force_login(world.user(role))
    url = row.url(world)
    data = row.data(world) if row.data else {}
    call = getattr(client, row.method)
    if row.method in ("patch", "put") or row.json:
        response = call(url, data=json.dumps(data), content_type="application/json")
    elif row.method == "post":
        response = call(url, data=data)
    else:
        response = call(url, data)
    expected = row.ok if role in row.allowed else 404
    assert response.status_code == expected, f"{role} {row.method.upper()} {row.name} ({url}): " \
                                              f"{response.status_code}, expected {expected}"


# --- the URL walk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """How to reach one URL pattern in the test world."""

    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    query: str = ""  # e.g. "year=2026"
    role: str = "admin"  # who reads it for the query count
    post_only: bool = False  # a POST-only view: only the login wall is checked
    skip_counts: str = ""  # why its query count is not a baseline (say why; e.g. a file download)


@dataclass(frozen=True)
class WalkedUrl:
    name: str  # "namespace:name" or the bare name
    pattern: URLPattern
    callback: Any
    room: str
    has_args: bool


def _walk(patterns: list[Any], namespace: str = "", prefix_room: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                continue  # Django's admin is Django's, behind its own staff login
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _api_room_of() -> dict[str, str]:
    return {route.basename: room.label for room in rooms() for route in room.api_routes}


def walked_urls() -> list[WalkedUrl]:
    """Every named URL pattern of the product (format-suffix duplicates of API routes left out)."""
    api_rooms = _api_room_of()
    seen: set[str] = set()
    found: list[WalkedUrl] = []
    for name, pattern in _walk(get_resolver().url_patterns):
        regex = str(pattern.pattern)
        if "(?P<format>" in regex or "<drf_format_suffix" in regex or name in seen:
            continue
        seen.add(name)
        if ":" in name:
            room = name.split(":", 1)[0]
        else:
            room = next((label for basename, label in api_rooms.items() if name.startswith(f"{basename}-")), "core")
        room = {"open311": "dialogues"}.get(room, room)
        converters = getattr(pattern.pattern, "converters", {})
        has_args = bool(converters) or "(?P<" in regex
        found.append(WalkedUrl(name, pattern, pattern.callback, room, has_args))
    return found


def samples() -> dict[str, Sample]:
    """Every room's `tests/samples.py` SAMPLES, merged."""
    merged: dict[str, Sample] = {}
    for room in rooms():
        try:
            module = importlib.import_module(f"{room.name}.tests.samples")
        except ModuleNotFoundError as exc:
            if exc.name != f"{room.name}.tests.samples":
                raise
            continue
        merged.update(getattr(module, "SAMPLES", {}))
    return merged


def personal_data_makers() -> list[Callable[[Any], list[str]]]:
    """Each room's `tests/samples.py` may define personal_data(world) -> strings no public page may show."""
    makers = []
    for room in rooms():
        try:
            module = importlib.import_module(f"{room.name}.tests.samples")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "personal_data"):
            makers.append(module.personal_data)
    return makers


def is_public(callback: Any) -> bool:
    """A view marked @public, or an API view that lets anyone in (AllowAny)."""
    if getattr(callback, "chithi_public", False):
        return True
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        if getattr(view_class, "chithi_public", False):
            return True
        from rest_framework.permissions import AllowAny

        permissions = getattr(view_class, "permission_classes", None) or []
        return any(p is AllowAny for p in permissions)
    return False


def baseline_path(room_label: str) -> Path:
    room = next(r for r in rooms() if r.label == room_label)
    return Path(room.path) / "tests" / "query_counts.json"


def load_baseline(room_label: str) -> dict[str, int]:
    path = baseline_path(room_label)
    return json.loads(path.read_text()) if path.exists() else {}


def save_baseline(room_label: str, counts: dict[str, int]) -> None:
    path = baseline_path(room_label)
    path.write_text(json.dumps(dict(sorted(counts.items())), indent=1, ensure_ascii=False) + "\n")


def updating_baselines() -> bool:
    return os.environ.get("CHITHI_UPDATE_QUERY_COUNTS", "") == "1"


# A column heading or a filter's empty choice written from a model's lowercase verbose name ("thời điểm cập nhật"),
# or Django's words for "no choice" ("---------", NullBooleanSelect's "Unknown" = "Chưa xác định").
HEADING = re.compile(r"<th\b[^>]*>\s*([^<\s][^<]*)<")


def wording_problems(body: str) -> list[str]:
    """What reads like a developer's placeholder on a rendered page (the URL walk asks it of every page)."""
    problems = []
    if ">---------<" in body:
        problems.append('offers a choice written "---------" instead of words')
    if ">Chưa xác định<" in body and "<select" in body:
        problems.append('offers Django\'s "Unknown" (Chưa xác định) as a filter\'s empty choice')
    for heading in HEADING.findall(body):
        if heading[0].islower():
            problems.append(f"has a column heading in lower case: {heading.strip()!r}")
    return problems
