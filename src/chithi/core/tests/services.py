# ruff: noqa: S310 - every URL opened here is one of our own loopback test servers
"""Real servers for the fault and cluster tests: a private PostgreSQL cluster (initdb in a temporary folder, its
own port; run as the `postgres` user when we are root, since PostgreSQL refuses root), gunicorn, and any other
process, each in its own process group so that it can be killed with everything it started."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]
VENV_BIN = Path(sys.executable).parent


def pg_bin() -> Path:
    """The newest PostgreSQL server binaries Debian installed (initdb is not on PATH there)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")


def wait_port(port: int, timeout: float = 30, proc: subprocess.Popen[Any] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class Process:
    """A child in its own session (process group): stop() and kill() reach everything it started."""

    def __init__(self, args: list[str], *, env: dict[str, str] | None = None, log: Path, cwd: Path = ROOT) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self) -> None:
        """kill -9 the whole group: no clean shutdown, as in a crash."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self, timeout: float = 20) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        # Children that outlived their parent (a gunicorn worker) die with the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class PostgresCluster:
    """initdb into a temporary folder and run it on 127.0.0.1:port. kill() is a crash; start() again recovers."""

    def __init__(self, port: int, *, directory: Path | None = None) -> None:
        self.port = port
        self.bin = pg_bin()
        self.base = directory or Path(tempfile.mkdtemp(prefix=f"chithi-pg-{port}-", dir="/tmp"))
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.as_postgres = os.geteuid() == 0
        self.process: Process | None = None
        if self.as_postgres:  # the folder must belong to the user that runs the server
            os.chmod(self.base, 0o755)  # noqa: S103 (a test cluster's folder, read by the postgres user)
            account = pwd.getpwnam("postgres")
            os.chown(self.base, account.pw_uid, account.pw_gid)

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self.as_postgres else list(args)

    def _mkdir(self, path: Path) -> None:
        subprocess.run(self._cmd("mkdir", "-p", str(path)), check=True)

    def initdb(self) -> PostgresCluster:
        self._mkdir(self.sockets)
        subprocess.run(self._cmd(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                 "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"),
                       check=True, capture_output=True)
        return self

    def conf(self, **settings: str) -> None:
        lines = "".join(f"{key} = '{value}'\n" for key, value in settings.items())
        subprocess.run(self._cmd("sh", "-c", f"cat >> {self.data}/postgresql.auto.conf"), input=lines.encode(),
                       check=True)

    def start(self) -> PostgresCluster:
        self._mkdir(self.sockets)
        self.process = Process(self._cmd(
            str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.sockets),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "shared_buffers=64MB",
            "-c", "max_connections=60"), log=self.base / "postgres.log")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready = subprocess.run([str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                                   capture_output=True)
            if ready.returncode == 0:
                return self
            if self.process.proc.poll() is not None:
                raise RuntimeError(f"postgres did not start:\n{self.process.log()[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"postgres did not become ready:\n{self.process.log()[-3000:]}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                 "-d", database, "-Atc", sql], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def pg_url(settings_dict: dict[str, Any], name: str) -> str:
    """A postgres:// URL for another database on the server of a Django connection's settings."""
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}{'@' if user else ''}{host}{port}/{name}"


def app_env(database_url: str, var: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "AWS_", "DATABASE_"))}
    env.update({"DATABASE_URL": database_url, "CHITHI_VAR_DIR": str(var), "PYTHONPATH": str(ROOT / "src"),
                "DJANGO_DEBUG": "0", "LOG_LEVEL": "INFO", "RATELIMIT_ENABLE": "0"})
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result


def gunicorn(env: dict[str, str], port: int, log: Path, workers: int = 2) -> Process:
    proc = Process([str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "30",
                    "--graceful-timeout", "5"], env=env, log=log)
    wait_port(port, 60, proc.proc)
    return proc


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None,
         timeout: float = 10) -> tuple[int, str, dict[str, str]]:
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", "Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace"), dict(err.headers)
