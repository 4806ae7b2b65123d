"""What the production switch demands of the environment: a real secret key, a real mailer, a shared cache.

Imported by settings.py (so it must not import Django models or settings) and by gunicorn.conf.py.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Backends that never deliver a message: fine for a demo, a silent loss in production.
NON_DELIVERING_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}

SECRET_KEY_FILE_NAME = "secret_key"  # noqa: S105 (a file name, not a key)


def secret_key(*, configured: str, var_dir: Path, production: bool) -> str:
    """The key to sign sessions with: the configured one, else a random key kept in var/ (mode 600).

    No key is ever published with the code: a single-machine install (`make demo`) gets its own
    random key on first start and keeps it, so sessions survive a restart. Under the production
    switch the key must come from the environment, because several app servers must share it and
    a key generated on one host would log users out on the others.
    """
    if configured:
        return configured
    if production:
        raise ImproperlyConfigured(
            "DJANGO_PRODUCTION=1 requires DJANGO_SECRET_KEY: set it to a long random value shared by every "
            "app server (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    path = var_dir / SECRET_KEY_FILE_NAME
    try:
        # O_EXCL: two processes starting together (pytest-xdist, gunicorn workers) never both write.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        raise ImproperlyConfigured(f"{path} is empty: delete it to have a new key generated.") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def require_real_mailer(backend: str) -> None:
    if backend in NON_DELIVERING_MAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"DJANGO_PRODUCTION=1 requires a mail backend that delivers (EMAIL_BACKEND is {backend}); "
            "set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST."
        )


def shared_cache_problem(*, production: bool, workers: int, redis_url: str) -> str | None:
    """Why these processes may not start, or None. Rate-limit counters without Redis live in each
    process's memory: with several workers a client gets N times the limit."""
    if redis_url or workers <= 1 or not production:
        return None
    return (
        f"DJANGO_PRODUCTION=1 with {workers} gunicorn workers and no REDIS_URL: rate-limit counters and the "
        "cache would live in each worker's memory, so every limit would be multiplied by the number of "
        "workers. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) or run a single worker."
    )
