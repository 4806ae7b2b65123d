"""gunicorn's settings for chithi (read from the working directory): start-up checks that need the worker count."""

from __future__ import annotations

import os
import sys
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))

from chithi.core.production import shared_cache_problem

wsgi_app = "chithi.wsgi"
# Workers and bind come from the command line or GUNICORN_CMD_ARGS; these are the defaults.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def on_starting(server: Any) -> None:
    count = int(server.cfg.workers)
    redis_url = os.environ.get("REDIS_URL", "")
    problem = shared_cache_problem(production=_truthy("DJANGO_PRODUCTION"), workers=count, redis_url=redis_url)
    if problem:
        server.log.error(problem)
        raise SystemExit(problem)
    if not redis_url:
        server.log.warning(
            "REDIS_URL is not set: the cache and the rate-limit counters live in each worker's memory "
            "(%d worker(s)); a limit is per worker, not per server.", count,
        )
