"""Helpers for the HTTP benchmarks: gunicorn serving the bare-view app (bare_wsgi.py), and a bounded load client."""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# When the task rows written by the four-row limit (bare_wsgi) are due: never (ready() takes only rows due by now
# or at django-tasks-db's "no date", 9999-01-01). They are removed before the drain is timed.
LIMIT_RUN_AFTER = "9000-01-01 00:00:00+00:00"


def _stop(proc: subprocess.Popen[bytes], log: Any) -> None:
    """Stop a server started for a benchmark (30 s to finish what it holds, then killed) and close its log."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _env(database_url: str) -> dict[str, str]:
    """What the benchmark's app servers and workers share. Kept connections, as docs/deployment.md asks of app and
    worker hosts: db_worker closes an expired connection after every task, so with 0 each task opened a new one
    (20 ms a notice instead of 11)."""
    return {**os.environ, "DATABASE_URL": database_url, "DATABASE_CONN_MAX_AGE": "60", "DJANGO_DEBUG": "0",
            "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT / "src")}


@contextlib.contextmanager
def gunicorn(port: int, database_url: str, *, workers: int = 3, extra_env: dict[str, str] | None = None
             ) -> Iterator[str]:
    """gunicorn on 127.0.0.1:port with the real app and the bare view; stopped on leaving, even on failure."""
    env = {**_env(database_url), "RATELIMIT_ENABLE": "0", "PYTHONPATH": f"{ROOT / 'src'}:{BENCH}",
           **(extra_env or {})}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], env=env,
                   check=True, cwd=ROOT)
    log = (ROOT / "var" / f"bench-gunicorn-{port}.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "bare_wsgi:application", "-w",
                             str(workers), "-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start (see {log.name})") from None
                time.sleep(0.2)
        yield url
    finally:
        _stop(proc, log)


def _worker_env(database_url: str) -> dict[str, str]:
    """E-mail goes to Django's dummy backend: the relay is outside the machine."""
    return {**_env(database_url), "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


@contextlib.contextmanager
def db_worker(database_url: str) -> Iterator[None]:
    """One task worker (django-tasks-db's db_worker, as a worker host runs it) for the block; stopped on leaving."""
    log = (ROOT / "var" / "bench-worker.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*",
                             "--interval", "0.1", "--no-startup-delay"], env=_worker_env(database_url), cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        _stop(proc, log)


def drain(database_url: str, *, requeue: bool = False) -> None:
    """Run every queued task, then return (db_worker --batch); with `requeue`, first put back the tasks a stopped
    worker left RUNNING (requeue_stale_tasks)."""
    if requeue:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "requeue_stale_tasks", "--stale-after-minutes", "0"],
                       env=_worker_env(database_url), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--queue-name", "*",
                    "--no-startup-delay"], env=_worker_env(database_url), cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: dict[int, int]
    latencies: list[float]  # seconds
    codes: list[str]
    percentiles: dict[int, float] | None = None  # ms, when the client measured them itself (wrk)
    client: str = "python"

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def ms(self, p: float) -> float:
        if self.percentiles is not None:
            return self.percentiles[round(p)]
        if len(self.latencies) < 2:
            return (self.latencies or [0.0])[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(p) - 1] * 1000


def _load_process(url: str, path: str, seconds: float, threads: int, budget: int,
                  body_of: Callable[[int], bytes], queue: Any) -> None:
    host, port = url.split("//", 1)[1].split(":")
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    counter = [0]
    out: list[tuple[float, int, str]] = []

    def run() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        local: list[tuple[float, int, str]] = []
        while time.monotonic() < deadline:
            with lock:
                if counter[0] >= budget:
                    break
                counter[0] += 1
                number = counter[0]
            started = time.perf_counter()
            status, code = -1, ""
            try:
                conn.request("POST", path, body=body_of(number), headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                status = response.status
                if status == 201:
                    code = json.loads(payload)["tracking_code"]
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
            local.append((time.perf_counter() - started, status, code))
        with lock:
            out.extend(local)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(out)


def post_load(url: str, path: str, *, seconds: float, body_of: Callable[[int], bytes], procs: int = 2,
              threads: int = 6, max_requests: int = 200_000) -> LoadResult:
    """POST for `seconds` (bounded by time and count) from `procs` processes × `threads` keep-alive clients."""
    queue: Any = multiprocessing.Queue()
    started = time.monotonic()
    workers = [multiprocessing.Process(target=_load_process,
                                       args=(url, path, seconds, threads, max_requests // procs, body_of, queue))
               for _ in range(procs)]
    for worker in workers:
        worker.start()
    results: list[tuple[float, int, str]] = []
    for _ in workers:
        results.extend(queue.get(timeout=seconds + 120))
    for worker in workers:
        worker.join(timeout=30)
    elapsed = time.monotonic() - started
    statuses: dict[int, int] = {}
    for _lat, status, _code in results:
        statuses[status] = statuses.get(status, 0) + 1
    return LoadResult(len(results), elapsed, statuses, [r[0] for r in results], [r[2] for r in results if r[2]])


def wrk_load(url: str, path: str, *, seconds: float, connections: int = 8) -> LoadResult:
    """The same POSTs from wrk (Debian's package), a C client with a Lua script (dialogues_intake.lua): on two
    cores a Python client takes CPU the server needs, so wrk measures the server, not the client."""
    with tempfile.TemporaryDirectory() as folder:
        codes_file, summary_file = Path(folder, "codes.txt"), Path(folder, "summary.txt")
        env = {**os.environ, "INTAKE_PATH": path, "CODES_FILE": str(codes_file), "SUMMARY_FILE": str(summary_file)}
        subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s",
                        "-s", str(BENCH / "dialogues_intake.lua"), url], env=env, check=True, capture_output=True)
        values = dict(line.split() for line in summary_file.read_text().split("\n") if line.strip())
        codes = [c for c in codes_file.read_text().split() if c]
    statuses = {int(k[6:]): int(v) for k, v in values.items() if k.startswith("status")}
    if int(values.get("errors", "0")):
        statuses[-1] = int(values["errors"])
    return LoadResult(int(values["requests"]), float(values["seconds"]), statuses, [], codes,
                      {p: float(values[f"p{p}"]) for p in (50, 95, 99)}, "wrk")


def load(url: str, path: str, *, seconds: float, body_of: Callable[[int], bytes]) -> LoadResult:
    """wrk when it is installed (`make test` installs it with CI=true), else the Python client."""
    if shutil.which("wrk"):
        return wrk_load(url, path, seconds=seconds)
    return post_load(url, path, seconds=seconds, body_of=body_of)


def get_times(url: str, paths: list[str]) -> list[float]:
    """One GET after another on one keep-alive connection; milliseconds each."""
    host, port = url.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    times = []
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    return times
