"""Run the task worker of the configured backend; an RQ worker waits for Redis with back-off and says so."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

logger = logging.getLogger("chithi.tasks_worker")


class Command(BaseCommand):
    help = ("Run the task worker: db_worker for the database backend, or an RQ worker (django-tasks-rq) that "
            "retries with exponential back-off while Redis cannot be reached.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="RQ: stop when the queue is empty")
        parser.add_argument("--max-backoff", type=float, default=60, help="longest wait between attempts (s)")
        parser.add_argument("--max-attempts", type=int, default=0, help="give up after this many (0: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_rq."):
            call_command("db_worker", queue_name="*")
            return
        import django_rq
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        where = str(settings.RQ_QUEUES["default"].get("URL", "?")).rsplit("@", 1)[-1]  # never log a password
        delay, attempt = 1.0, 0
        while True:
            attempt += 1
            try:
                django_rq.get_connection("default").ping()
                logger.info("connected to Redis at %s; working on the task queue", where)
                delay = 1.0
                call_command("rqworker", "default", job_class="django_tasks_rq.backend.Job", burst=options["burst"])
                if options["burst"]:
                    return
                reason = "the RQ worker stopped"
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                reason = f"cannot reach Redis at {where} ({exc.__class__.__name__})"
            except SystemExit as exc:  # django-rq's rqworker exits 1 when it loses Redis
                if not exc.code:
                    return
                reason = f"lost Redis at {where}"
            if options["max_attempts"] and attempt >= options["max_attempts"]:
                logger.error("%s; giving up after %d attempts", reason, attempt)
                raise SystemExit(1)
            logger.warning("%s; retrying in %.0f s (attempt %d)", reason, delay, attempt)
            time.sleep(delay)
            delay = min(delay * 2, options["max_backoff"])
