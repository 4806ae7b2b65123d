"""Several hosts on one machine: two app servers behind HAProxy, a PostgreSQL primary and a streaming replica,
Redis (cache, rate-limit counters, task queue), a fleet of two RQ workers, uploads on S3 (moto's server).

Run by `make cluster-test` (scripts/cluster_test.sh installs HAProxy from Debian when CI=true); every process is
stopped at the end, even on failure. Everything listens on 127.0.0.1 only.
"""

# ruff: noqa: S310 - every URL opened here is one of our own loopback servers
from __future__ import annotations

import io
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http import cookiejar
from pathlib import Path
from typing import Any

import pytest

from .services import VENV_BIN, PostgresCluster, Process, app_env, gunicorn, http, manage, wait_port

pytestmark = pytest.mark.cluster

PRIMARY, REPLICA, REDIS, S3, LB, APP_A, APP_B = 15521, 15522, 18172, 18173, 18170, 18174, 18175
DB = "chithi_scale_cluster"
PASSWORD = secrets.token_urlsafe(12)
YEAR = time.localtime().tm_year
TASKS = 12

SEED = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from chithi.campaigns.models import Directive, Plan, PlanTask, Theme
from chithi.core.permissions import Role
from chithi.dialogues.models import IssueCategory
from chithi.orgs import services as orgs
from chithi.orgs.models import OrgKind, RoleAssignment
from chithi.practices import services as practices
User = get_user_model()
root = User.objects.create_superuser("root", "", None)
city = orgs.create_organisation(actor=root, name="Tỉnh ủy Quảng Trị", kind=OrgKind.PARTY_COMMITTEE)
ward = orgs.create_organisation(actor=root, name="Đảng ủy phường Đông Hà", kind=OrgKind.WARD_COMMITTEE, parent=city)
IssueCategory.objects.create(code="trat-tu-do-thi", name="Trật tự đô thị")
leader = User.objects.create_user("leader", "leader@example.vn", "{PASSWORD}")
RoleAssignment.objects.create(user=leader, organisation=city, role=Role.ADMIN)
for n in range(2):
    user = User.objects.create_user(f"secretary{{n}}", f"secretary{{n}}@example.vn", None)
    RoleAssignment.objects.create(user=user, organisation=ward, role=Role.SECRETARY)
practice = practices.register_practice(actor=root, name="Hũ gạo tình thương", organisation=ward, fields=["welfare"],
                                       started_on=dt.date(2020, 1, 1))
directive = Directive.objects.create(organisation=city, number="05-CT/TW", issued_on=dt.date(2016, 5, 15),
                                     issuer="Bộ Chính trị", title="Chỉ thị 05")
theme = Theme.objects.create(organisation=city, year={YEAR}, directive=directive, text="Chủ đề năm")
plan = Plan.objects.create(organisation=ward, theme=theme, year={YEAR}, title="Kế hoạch",
                           starts_on=dt.date({YEAR}, 1, 1), ends_on=dt.date({YEAR}, 12, 31))
late = dt.date.today() - dt.timedelta(days=2)
PlanTask.objects.bulk_create([PlanTask(plan=plan, title=f"Nhiệm vụ {{n}}", deadline=late) for n in range({TASKS})])
from chithi.campaigns import totals
totals.refresh([plan.pk])  # a bulk write keeps the roll-up's stored totals as a service would
print(practice.pk)
"""

HAPROXY = f"""
global
    maxconn 200
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:{LB}
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /healthz
    http-response set-header X-Served-By %[srv_name]
    server a 127.0.0.1:{APP_A} check inter 1s
    server b 127.0.0.1:{APP_B} check inter 1s
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """Cookies kept per host name, not per port: a session cookie set by one app server goes to the other."""

    def __init__(self) -> None:
        self.jar = cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, bytes, Any]:
        try:
            with self.opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=20) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as err:
            return err.code, err.read(), err.headers

    def csrf(self, url: str) -> str:
        status, body, _ = self.request(url)
        assert status == 200, (url, status)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, url
        return found.group(1).decode()

    def login(self, base: str, username: str, password: str) -> None:
        token = self.csrf(f"{base}/dang-nhap/")
        body = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": token}).encode()
        status, _, headers = self.request(f"{base}/dang-nhap/", body, {"Referer": f"{base}/dang-nhap/"})
        assert status == 302 and "/dang-nhap/" not in headers.get("Location", ""), status


def _multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
              f"Content-Type: image/jpeg\r\n\r\n".encode())
    out.write(content + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def hosts() -> Iterator[dict[str, Any]]:
    if not shutil.which("haproxy") or not shutil.which("redis-server"):
        pytest.skip("haproxy and redis-server are needed (scripts/cluster_test.sh installs them when CI=true)")
    base = Path(tempfile.mkdtemp(prefix="chithi-cluster-"))
    started: list[Any] = []
    t0 = time.monotonic()

    def mark(what: str) -> None:
        print(f"[cluster {time.monotonic() - t0:5.1f} s] {what}", flush=True)

    try:
        primary = PostgresCluster(PRIMARY, directory=None).initdb()
        started.append(primary)
        primary.conf(wal_level="replica", max_wal_senders="5", hot_standby="on")
        primary.start()
        primary.psql(f"CREATE DATABASE {DB}")
        mark("primary up")

        redis = Process(["redis-server", "--port", str(REDIS), "--bind", "127.0.0.1", "--save", "",
                         "--appendonly", "no"], log=base / "redis.log")
        started.append(redis)
        s3 = Process([str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(S3)], log=base / "s3.log")
        started.append(s3)
        wait_port(REDIS, 20, redis.proc)
        wait_port(S3, 30, s3.proc)
        import boto3

        bucket = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{S3}", aws_access_key_id="test",
                              aws_secret_access_key="test", region_name="us-east-1")
        bucket.create_bucket(Bucket="chithi")

        common = {"DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA}/{DB}",
                  "REDIS_URL": f"redis://127.0.0.1:{REDIS}/0", "TASKS_BACKEND": "django_tasks_rq.RQBackend",
                  "TASKS_REDIS_URL": f"redis://127.0.0.1:{REDIS}/1", "AWS_STORAGE_BUCKET_NAME": "chithi",
                  "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3}", "AWS_ACCESS_KEY_ID": "test",
                  "AWS_SECRET_ACCESS_KEY": "test", "AWS_S3_REGION_NAME": "us-east-1",
                  "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "RATELIMIT_ENABLE": "1",
                  "DIALOGUES_INTAKE_RATE": "5/h", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}

        def env_of(host: str) -> dict[str, str]:
            var = base / host  # no shared disk between hosts: uploads must go to S3
            var.mkdir(exist_ok=True)
            return app_env(primary.url(DB), var, **common)

        env_a = env_of("a")
        manage(env_a, "migrate", "--noinput", "-v0")
        mark("migrated")
        practice_id = int(manage(env_a, "shell", "--no-imports", "-c", SEED).stdout.strip().splitlines()[-1])
        mark("seeded")

        replica = PostgresCluster(REPLICA)
        subprocess.run(replica._cmd(str(replica.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY),
                                    "-U", "postgres", "-D", str(replica.data), "-R", "-X", "stream", "--no-sync",
                                    "--checkpoint=fast"),
                       check=True, capture_output=True)
        started.append(replica)
        replica.start()
        mark("replica up")

        app_a = gunicorn(env_a, APP_A, base / "app-a.log")
        started.append(app_a)
        env_b = env_of("b")
        app_b = gunicorn(env_b, APP_B, base / "app-b.log")
        started.append(app_b)
        (base / "haproxy.cfg").write_text(HAPROXY)
        lb = Process(["haproxy", "-f", str(base / "haproxy.cfg"), "-db"], log=base / "haproxy.log")
        started.append(lb)
        wait_port(LB, 20, lb.proc)
        mark("app servers and load balancer up")
        workers = [Process([sys.executable, "manage.py", "tasks_worker"], env=env_of(f"worker{n}"),
                           log=base / f"worker{n}.log") for n in range(2)]
        started.extend(workers)
        yield {"base": base, "primary": primary, "replica": replica, "bucket": bucket, "env_a": env_a,
               "env_b": env_b, "env_of": env_of, "redis": redis, "workers": workers, "practice": practice_id,
               "lb": f"http://127.0.0.1:{LB}", "a": f"http://127.0.0.1:{APP_A}", "b": f"http://127.0.0.1:{APP_B}"}
    finally:
        for thing in reversed(started):
            try:
                thing.stop()
            except Exception as exc:  # keep stopping the others
                print(f"could not stop {thing}: {exc}")
        for thing in started:
            if isinstance(thing, PostgresCluster):
                thing.remove()
        shutil.rmtree(base, ignore_errors=True)


def test_the_load_balancer_spreads_requests_over_both_app_servers(hosts: dict[str, Any]) -> None:
    served: list[str | None] = []
    deadline = time.monotonic() + 20
    while {"a", "b"} - set(served) and time.monotonic() < deadline:
        status, _body, headers = Browser().request(f"{hosts['lb']}/healthz")
        served.append(headers.get("X-Served-By") if status == 200 else None)
        time.sleep(0.1)
    assert {"a", "b"} <= set(served), served


def test_a_user_signed_in_on_one_server_is_signed_in_on_the_other(hosts: dict[str, Any]) -> None:
    browser = Browser()
    browser.login(hosts["a"], "leader", PASSWORD)  # a write (session, last login): it must reach the primary
    for base in (hosts["a"], hosts["b"]):
        status, body, _ = browser.request(f"{base}/tai-khoan/")
        assert status == 200 and b"leader" in body, base
    assert Browser().request(f"{hosts['b']}/tai-khoan/")[0] == 302  # and a stranger is not


def test_the_rate_limit_counts_across_both_servers(hosts: dict[str, Any]) -> None:
    statuses = []
    for n in range(6):  # DIALOGUES_INTAKE_RATE = 5/h per address, alternating servers
        base = hosts["a"] if n % 2 == 0 else hosts["b"]
        status, _body, _ = http("POST", f"{base}/gop-y/api/", {"category": "trat-tu-do-thi",
                                                              "description": f"Đèn đường hỏng ({n})"})
        statuses.append(status)
    assert statuses == [201] * 5 + [429]


def test_each_new_issue_is_told_to_its_handlers_once_by_the_worker_fleet(hosts: dict[str, Any]) -> None:
    """The issues just submitted through both app servers queued their notices on RQ after their commits; the
    two workers share the queue, and each issue's handlers (the city's administrator) are told exactly once."""
    primary = hosts["primary"]
    stored = int(primary.psql("SELECT count(*) FROM dialogues_issue WHERE channel = 'web'", DB))
    told = "SELECT count(DISTINCT dedupe_key) FROM core_notification WHERE dedupe_key LIKE 'issue:%:received'"
    deadline = time.monotonic() + 60
    while int(primary.psql(told, DB)) < stored and time.monotonic() < deadline:
        time.sleep(0.3)
    assert stored >= 5 and int(primary.psql(told, DB)) == stored
    assert primary.psql("SELECT count(*) FROM (SELECT 1 FROM core_notification WHERE dedupe_key LIKE 'issue:%' "
                        "GROUP BY user_id, dedupe_key HAVING count(*) > 1) twice", DB) == "0"


def test_report_reads_come_from_the_replica_and_writes_go_to_the_primary(hosts: dict[str, Any]) -> None:
    primary, replica = hosts["primary"], hosts["replica"]
    browser = Browser()
    browser.login(hosts["lb"], "leader", PASSWORD)

    def tasks_in_rollup(base: str) -> int:
        status, body, _ = browser.request(f"{base}/api/rollup/?year={YEAR}", headers={"Accept": "application/json"})
        assert status == 200, body[:300]
        import json

        return max(node["tasks"] for node in json.loads(body)["results"])

    deadline = time.monotonic() + 30
    while tasks_in_rollup(hosts["a"]) != TASKS and time.monotonic() < deadline:
        time.sleep(0.3)  # the replica catches up with the seed
    assert replica.psql("SELECT pg_is_in_recovery()", DB) == "t"
    replica.psql("SELECT pg_wal_replay_pause()", DB)
    try:
        primary.psql("INSERT INTO campaigns_plantask (created_at, updated_at, plan_id, title, description, deadline, "
                     "weight, target, status, cancel_reason, progress, required, search_text) SELECT now(), now(), id, "
                     "'Viết thêm', '', current_date, 1, '', 'planned', '', 0, false, '' FROM campaigns_plan", DB)
        assert primary.psql("SELECT count(*) FROM campaigns_plantask", DB) == str(TASKS + 1)
        # A write behind the services' back: recount the stored totals on the primary, as after a bulk load.
        manage(hosts["env_a"], "campaigns_totals", "--fix")
        # Replay is paused: both servers still report the replica's figure, not the primary's.
        assert tasks_in_rollup(hosts["a"]) == TASKS and tasks_in_rollup(hosts["b"]) == TASKS
    finally:
        replica.psql("SELECT pg_wal_replay_resume()", DB)
    deadline = time.monotonic() + 30
    while tasks_in_rollup(hosts["b"]) != TASKS + 1 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert tasks_in_rollup(hosts["b"]) == TASKS + 1


# RQ's line for a finished reminder batch: the fleet also runs the notices of the issues the intake test stored.
REMINDERS_DONE = "Successfully completed chithi.campaigns.tasks.send_task_reminders("


def test_a_reminder_queued_on_one_host_is_sent_once_by_the_worker_fleet(hosts: dict[str, Any]) -> None:
    primary = hosts["primary"]
    expected = TASKS * 2  # every task is overdue; two secretaries on the unit
    manage(hosts["env_a"], "campaigns_reminders")  # host A's cron
    manage(hosts["env_b"], "campaigns_reminders")  # host B's cron fires too: the dedupe key keeps it once
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        done = [w.log().count(REMINDERS_DONE) for w in hosts["workers"]]
        if sum(done) >= 2:
            break
        time.sleep(0.3)
    logs = "\n".join(w.log() for w in hosts["workers"])
    assert sum(w.log().count(REMINDERS_DONE) for w in hosts["workers"]) == 2, logs[-3000:]
    count = primary.psql("SELECT count(*) FROM core_notification WHERE dedupe_key LIKE 'campaigns.task.%'", DB)
    assert int(count) >= expected  # the test above added one more overdue-or-due task
    assert primary.psql("SELECT count(*) FROM (SELECT 1 FROM core_notification GROUP BY user_id, dedupe_key "
                        "HAVING count(*) > 1) twice", DB) == "0"


def test_an_uploaded_photo_is_in_the_bucket_and_served_through_the_scoped_view(hosts: dict[str, Any]) -> None:
    browser = Browser()
    browser.login(hosts["lb"], "leader", PASSWORD)
    form = f"{hosts['a']}/mo-hinh/danh-muc/{hosts['practice']}/them-anh/"
    token = browser.csrf(form)
    image = _jpeg()
    body, content_type = _multipart({"csrfmiddlewaretoken": token, "caption": "Ảnh", "is_public": "on"},
                                    "file", "anh.jpg", image)
    status, answer, _ = browser.request(form, body, {"Content-Type": content_type, "Referer": form})
    assert status == 302, answer[:2000]
    photo_id, name = hosts["primary"].psql("SELECT id, file FROM practices_practicephoto", DB).split("|")
    stored = hosts["bucket"].get_object(Bucket="chithi", Key=name)["Body"].read()
    assert stored[:2] == b"\xff\xd8"  # the re-encoded JPEG, in S3
    for base in (hosts["a"], hosts["b"]):  # neither host has it on disk; both serve it from the bucket
        status, served, _ = browser.request(f"{base}/mo-hinh/danh-muc/anh/{photo_id}/")
        assert status == 200 and served == stored
    assert not list((hosts["base"]).glob("*/media/**/*.jpg"))
    assert Browser().request(f"{hosts['b']}/mo-hinh/danh-muc/anh/{photo_id}/")[0] in (302, 404)


def test_a_worker_that_cannot_reach_redis_retries_with_back_off_and_says_so(hosts: dict[str, Any]) -> None:
    redis: Process = hosts["redis"]
    redis.stop()
    worker = Process([sys.executable, "manage.py", "tasks_worker", "--max-backoff", "2"],
                     env=hosts["env_of"]("late-worker"), log=hosts["base"] / "late-worker.log")
    try:
        deadline = time.monotonic() + 30
        while worker.log().count("cannot reach Redis") < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        log = worker.log()
        assert "retrying in 1 s" in log and "retrying in 2 s" in log, log[-2000:]
        assert "Traceback" not in log
        restarted = Process(["redis-server", "--port", str(REDIS), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], log=hosts["base"] / "redis2.log")
        hosts["redis"] = restarted
        deadline = time.monotonic() + 30
        while "connected to Redis" not in worker.log() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "connected to Redis" in worker.log()
    finally:
        worker.stop()
        restarted_redis = hosts["redis"]
        if restarted_redis is not redis:
            restarted_redis.stop()
