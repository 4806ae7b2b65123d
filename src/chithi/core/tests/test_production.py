"""The production switch: check --deploy is clean, and the server refuses to start on a missing key,
a non-delivering mailer, or several workers without a shared cache."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PYTHON = sys.executable


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "EMAIL_"))}
    env.update({"CHITHI_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src"), "DATABASE_URL": ""})
    env.update(extra)
    return env


def _manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


PRODUCTION = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "x7-Q9vLr2s8Kc0pWm4Zt6Yh1Nb3Jd5Gf9Ue2Ra8Ti0Oy4Pl6Sk1Mx3Vq7Cw5Bz9Hn2",
    "DJANGO_ALLOWED_HOSTS": "chithi.example.gov.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/10",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def test_check_deploy_is_clean_under_the_production_switch(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_without_the_switch_lists_what_production_needs(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = _manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "DJANGO_PRODUCTION=1 requires DJANGO_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_mailer_that_delivers_nothing(tmp_path: Path) -> None:
    env = {**PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    result = _manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "requires a mail backend that delivers" in result.stderr


def test_without_a_key_one_is_generated_once_private_and_kept(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _manage(tmp_path, "shell", "--no-imports", "-c", code, DJANGO_DEBUG="0")
    second = _manage(tmp_path, "shell", "--no-imports", "-c", code, DJANGO_DEBUG="0")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50 and "insecure" not in first.stdout


@pytest.mark.parametrize(("workers", "redis", "refused"),
                         [(2, "", True), (1, "", False), (2, "redis://127.0.0.1:6379/10", False)])
def test_gunicorn_refuses_several_workers_without_a_shared_cache(
    tmp_path: Path, workers: int, redis: str, refused: bool
) -> None:
    env = _env(tmp_path, **{**PRODUCTION, "REDIS_URL": redis})
    proc = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{18190 + workers}",
         "--timeout", "5"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        out, _ = proc.communicate(timeout=5)
        exited = True
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        exited = False
    if refused:
        assert exited and proc.returncode != 0
        assert "no REDIS_URL" in out
    else:
        assert not exited, out  # it kept serving until we stopped it
        assert "no REDIS_URL" not in out
