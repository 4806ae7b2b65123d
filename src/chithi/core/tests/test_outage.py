"""A database that cannot be reached: public pages and the intake answer 503 in Vietnamese, no stack trace.

gunicorn runs the real app against a PostgreSQL address where nothing listens (connection refused), so
every page that reads the database meets the real driver's error. The fault test
(tests/test_faults.py) does the same with a database killed under load.
"""

# ruff: noqa: S310 - the URLs opened are our own test server's
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PORT = 18111
DEAD_DB_PORT = 18198


def _request(path: str, *, body: bytes | None = None, accept: str = "text/html") -> tuple[int, str, dict[str, str]]:
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=body, headers={
        "Accept": accept, "Content-Type": "application/json"} if body else {"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), dict(err.headers)


@pytest.fixture(scope="module")
def app_without_database(tmp_path_factory: pytest.TempPathFactory) -> object:
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update({"CHITHI_VAR_DIR": str(var), "PYTHONPATH": str(ROOT / "src"),
                "DATABASE_URL": f"postgres://nobody@127.0.0.1:{DEAD_DB_PORT}/chithi_scale_dead",
                "DJANGO_DEBUG": "0", "RATELIMIT_ENABLE": "0"})
    log = (var / "gunicorn.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{PORT}"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield proc
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.mark.parametrize("path", ["/gop-y/", "/phan-anh/", "/mo-hinh/", "/tra-cuu/ABCDE-FGHJK/"])
def test_public_pages_answer_503_in_vietnamese(app_without_database: object, path: str) -> None:
    status, body, headers = _request(path)
    assert status == 503, body[:500]
    assert "không kết nối được cơ sở dữ liệu" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert headers.get("Retry-After") == "30"


def test_json_intake_answers_503_json_in_vietnamese(app_without_database: object) -> None:
    payload = json.dumps({"category": "x", "description": "Đèn đường hỏng"}).encode()
    status, body, _ = _request("/gop-y/api/", body=payload, accept="application/json")
    assert status == 503
    assert "không kết nối được cơ sở dữ liệu" in json.loads(body)["detail"]


def test_health_check_says_the_database_is_down(app_without_database: object) -> None:
    status, body, _ = _request("/healthz", accept="application/json")
    assert status == 503
    assert json.loads(body)["checks"]["database"] == {"ok": False, "error": "OperationalError"}
