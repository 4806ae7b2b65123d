"""Faults on real processes: the database killed (kill -9) under intake load, and the task worker killed in the
middle of a batch of reminders. The test runs its own PostgreSQL cluster, gunicorn and db_worker.

Selected with `-m faults`; scripts/test.sh runs it in the PostgreSQL pass.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from .services import PostgresCluster, Process, app_env, gunicorn, http, manage

pytestmark = pytest.mark.faults
PG_PORT = 15511
APP_PORT = 18161
VIETNAMESE_503 = "không kết nối được cơ sở dữ liệu"

SEED = """
import datetime as dt
from django.contrib.auth import get_user_model
from chithi.campaigns.models import Directive, Plan, PlanTask, Theme
from chithi.core.permissions import Role
from chithi.dialogues.models import IssueCategory
from chithi.orgs.models import Organisation, OrgKind, RoleAssignment
User = get_user_model()
root = Organisation.objects.create(name="Tỉnh ủy Quảng Trị", kind=OrgKind.PARTY_COMMITTEE, path="00000001/")
IssueCategory.objects.create(code="trat-tu-do-thi", name="Trật tự đô thị")
for n in range(2):
    user = User.objects.create(username=f"secretary{n}", email=f"secretary{n}@example.vn")
    RoleAssignment.objects.create(user=user, organisation=root, role=Role.SECRETARY)
directive = Directive.objects.create(organisation=root, number="05-CT/TW", issued_on=dt.date(2016, 5, 15),
                                     issuer="Bộ Chính trị", title="Chỉ thị 05")
year = dt.date.today().year
theme = Theme.objects.create(organisation=root, year=year, directive=directive, text="Chủ đề năm")
plan = Plan.objects.create(organisation=root, theme=theme, year=year, title="Kế hoạch",
                           starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31))
late = dt.date.today() - dt.timedelta(days=3)
PlanTask.objects.bulk_create([PlanTask(plan=plan, title=f"Nhiệm vụ {n}", deadline=late) for n in range(TASKS)])
print("seeded")
"""
TASKS = 600
SECRETARIES = 2


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    pg = PostgresCluster(PG_PORT).initdb()
    pg.start()
    try:
        yield pg
    finally:
        pg.remove()


@pytest.fixture(scope="module")
def app(cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    var = tmp_path_factory.mktemp("var")
    cluster.psql("CREATE DATABASE chithi_scale_faults")
    env = app_env(cluster.url("chithi_scale_faults"), var, DATABASE_CONN_MAX_AGE="60",
                  EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "--no-imports", "-c", SEED.replace("TASKS", str(TASKS)))
    server = gunicorn(env, APP_PORT, var / "gunicorn.log", workers=2)
    try:
        yield {"env": env, "var": var, "url": f"http://127.0.0.1:{APP_PORT}", "server": server}
    finally:
        server.stop()


def _submit(url: str, number: int) -> tuple[int, str, dict[str, str]]:
    return http("POST", f"{url}/gop-y/api/", {"category": "trat-tu-do-thi", "address": "Kiệt 3 Hùng Vương",
                                               "description": f"Cống thoát nước bị tắc (lượt {number})"})


def test_intake_answers_503_while_the_database_is_down_and_loses_no_answered_submission(
    cluster: PostgresCluster, app: dict[str, Any]
) -> None:
    url = app["url"]
    results: list[tuple[float, float, int, str]] = []  # (started, answered, status, body)
    stop = threading.Event()
    counter = iter(range(10**9))
    lock = threading.Lock()

    def client() -> None:
        while not stop.is_set():
            with lock:
                number = next(counter)
            started = time.monotonic()
            try:
                status, body, _headers = _submit(url, number)
            except OSError as exc:  # the app must never drop a connection; recorded to fail below
                status, body = -1, repr(exc)
            with lock:
                results.append((started, time.monotonic(), status, body))

    def successes(since: float) -> int:
        with lock:
            return sum(1 for r in results if r[0] > since and r[2] == 201)

    def wait_for(count: int, since: float) -> None:
        deadline = time.monotonic() + 90
        while successes(since) < count and time.monotonic() < deadline:
            time.sleep(0.1)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_for(10, 0)
        killed_at = time.monotonic()
        cluster.kill()  # kill -9 the postmaster and every backend
        time.sleep(4)
        restarted_at = time.monotonic()
        cluster.start()  # crash recovery; the app is not restarted
        wait_for(20, restarted_at)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    statuses = {r[2] for r in results}
    before = [r for r in results if r[1] < killed_at]
    down = [r for r in results if r[0] > killed_at + 0.2 and r[1] < restarted_at]  # wholly while it was dead
    after = [r for r in results if r[0] > restarted_at]
    assert statuses <= {201, 503}, {s: next(r[3] for r in results if r[2] == s)[:500] for s in statuses}
    assert sum(1 for r in before if r[2] == 201) >= 10
    assert len(down) >= 4 and all(r[2] == 503 for r in down)
    for body in (r[3] for r in results if r[2] == 503):
        assert VIETNAMESE_503 in json.loads(body)["detail"] and "Traceback" not in body
    assert sum(1 for r in after if r[2] == 201) >= 20, "intake did not recover without restarting the app"

    codes = [json.loads(r[3])["tracking_code"].replace("-", "") for r in results if r[2] == 201]
    assert all(c.isalnum() for c in codes)
    stored = cluster.psql(f"SELECT count(*) FROM dialogues_issue WHERE tracking_code IN "  # noqa: S608 (checked)
                          f"({','.join(repr(c) for c in codes)})", "chithi_scale_faults")
    assert int(stored) == len(codes), "a submission answered with a tracking code is not in the database"


# Only the reminders' notices: the intake test before this one files issues, and a new issue notifies the
# unit's handlers (issue 10), so the table holds other notices too.
REMINDERS_SENT = "SELECT count(*) FROM core_notification WHERE dedupe_key LIKE 'campaigns.task.%'"
REMINDERS_TWICE = ("SELECT count(*) FROM (SELECT user_id, dedupe_key FROM core_notification "
                   "WHERE dedupe_key LIKE 'campaigns.task.%' GROUP BY 1, 2 HAVING count(*) > 1) twice")
# The reminder batch's own row: the intake test before this one queued a notice task for each issue it stored.
REMINDER_STATUS = ("SELECT status FROM django_tasks_database_dbtaskresult"
                   " WHERE task_path = 'chithi.campaigns.tasks.send_task_reminders'")
REMINDERS_DISTINCT = "SELECT count(DISTINCT dedupe_key) FROM core_notification WHERE dedupe_key LIKE 'campaigns.task.%'"


def test_a_worker_killed_mid_batch_loses_no_reminder_and_sends_none_twice(
    cluster: PostgresCluster, app: dict[str, Any]
) -> None:
    env, var = app["env"], app["var"]
    expected = TASKS * SECRETARIES
    db = "chithi_scale_faults"
    manage(env, "campaigns_reminders")  # enqueue the daily batch, as cron does
    worker = Process([sys.executable, "manage.py", "db_worker", "--queue-name", "*",
                      "--no-startup-delay", "--interval", "0.2"], env=env, log=var / "worker1.log")
    try:
        deadline = time.monotonic() + 120
        sent = 0
        while time.monotonic() < deadline:
            sent = int(cluster.psql(REMINDERS_SENT, db))
            if sent >= 50:
                break
            time.sleep(0.05)
        worker.kill()  # kill -9 in the middle of the batch
    finally:
        worker.stop()
    at_kill = int(cluster.psql(REMINDERS_SENT, db))
    assert 0 < at_kill < expected, f"the kill did not land mid-batch ({at_kill} of {expected})"
    assert cluster.psql(REMINDER_STATUS, db) == "RUNNING"

    manage(env, "requeue_stale_tasks", "--stale-after-minutes", "0")
    worker = Process([sys.executable, "manage.py", "db_worker", "--queue-name", "*",
                      "--no-startup-delay", "--interval", "0.2"], env=env, log=var / "worker2.log")
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if cluster.psql(REMINDER_STATUS, db) == "SUCCESSFUL":
                break
            time.sleep(0.2)
    finally:
        worker.stop()
    status = cluster.psql(REMINDER_STATUS, db)
    assert status == "SUCCESSFUL", worker.log()[-2000:]
    assert int(cluster.psql(REMINDERS_SENT, db)) == expected
    assert cluster.psql(REMINDERS_TWICE, db) == "0"
    assert cluster.psql(REMINDERS_DISTINCT, db) == str(TASKS)
