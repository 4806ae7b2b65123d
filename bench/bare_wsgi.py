"""The real chithi app plus one bare view, behind the same gunicorn: the limit the intake is measured against.

/bench/bare-insert/ reads the JSON body and writes one issue row with a single INSERT (no validation, no
timeline step, no audit, no form): what the machine, Django and the driver cost for one submission. The row is
the one intake writes, search text included: the text's trigram index is the dearest part of the INSERT (about
0.12 ms of the database's time for a real description, against 0.03 ms for the code alone), so a baseline with
a shorter text would measure a cheaper INSERT than the one it stands for.

/bench/bare-intake-rows/ writes, with hand-written SQL in one transaction, the four rows a public submission
leaves (the issue, its audit entry, its "received" step, its queued notice task), the same sizes, and nothing
else: no form, no validation, no ORM. It is the limit for intake's own write; the distance between it and the
single INSERT is what the three other rows cost the database, the distance from it to intake what Python costs.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from serving import LIMIT_RUN_AFTER  # noqa: E402

from chithi.core.text import fold  # noqa: E402
from chithi.dialogues.codes import display, new_code  # noqa: E402

_TARGET: dict[str, int] = {}
_TARGET_NAME: dict[str, str] = {}


ISSUE_INSERT = (
    "INSERT INTO dialogues_issue (tracking_code, channel, category_id, description, area, address,"
    " reporter_name, reporter_contact, consent_to_publish, status, status_reason, organisation_id,"
    " escalated_stage, received_at, ack_due_on, answer_due_on, due_on, answer, rating_comment, updated_at,"
    " search_text, submission_key) VALUES (%s, 'web', %s, %s, '', %s, '', '', true, 'received', '', %s, '',"
    " %s, %s, %s, %s, '', '', %s, %s, '')")


def _target() -> None:
    """The first category and the root unit, looked up once per process."""
    if _TARGET:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM dialogues_issuecategory ORDER BY id LIMIT 1")
        _TARGET["category"], _TARGET_NAME["category"] = cursor.fetchone()
        cursor.execute("SELECT id, path FROM orgs_organisation ORDER BY path LIMIT 1")
        _TARGET["unit"], _TARGET_NAME["unit_path"] = cursor.fetchone()
        cursor.execute("SELECT id FROM django_content_type WHERE app_label = 'dialogues' AND model = 'issue'")
        _TARGET["issue_type"] = cursor.fetchone()[0]


def _issue_values(request: HttpRequest) -> tuple[str, Any, str, str, list[Any]]:
    payload = json.loads(request.body)
    _target()
    code, now = new_code(), timezone.now()
    description, address = str(payload.get("description", ""))[:2000], str(payload.get("address", ""))
    # What Issue.search_fields give for this row (the category's name is the first category's, looked up once).
    search_text = fold(" ".join([code, display(code), _TARGET_NAME["category"], description, address]))
    return code, now, description, address, [
        code, _TARGET["category"], description, address, _TARGET["unit"], now, now.date(), now.date(),
        now.date(), now, search_text]


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    code, _now, _description, _address, values = _issue_values(request)
    with connection.cursor() as cursor:
        cursor.execute(ISSUE_INSERT, values)
    return JsonResponse({"tracking_code": code, "nonce": secrets.token_hex(2)}, status=201)


@csrf_exempt
def bare_intake_rows(request: HttpRequest) -> JsonResponse:
    code, now, description, address, values = _issue_values(request)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ISSUE_INSERT + " RETURNING id", values)
        pk = cursor.fetchone()[0]
        # The audit entry's snapshot has the issue's 38 columns, as audit.snapshot gives them.
        after = {"id": pk, "tracking_code": code, "channel": "web", "category_id": _TARGET["category"],
                 "description": description, "address": address, "organisation_id": _TARGET["unit"],
                 "received_at": now.isoformat(), "status": "received",
                 **{f"column_{n}": None for n in range(29)}}
        cursor.execute(
            "INSERT INTO core_auditentry (timestamp, user_id, user_name, request_id, action, content_type_id,"
            " object_id, object_repr, org_path, before, after, note, related_type_id, related_id) VALUES"
            " (%s, NULL, 'system', %s, 'create', %s, %s, %s, %s, NULL, %s, %s, NULL, '')",
            [now, secrets.token_hex(16), _TARGET["issue_type"], str(pk),
             f"{display(code)} — {_TARGET_NAME['category']}", _TARGET_NAME["unit_path"], json.dumps(after),
             "Cổng góp ý trực tuyến"])
        cursor.execute(
            "INSERT INTO dialogues_issueevent (issue_id, at, kind, actor_id, actor_name, from_unit_id, to_unit_id,"
            " reason, public) VALUES (%s, %s, 'received', NULL, '', NULL, NULL, '', true)", [pk, now])
        # The notice task's row, ready (in the queue's index) but due at LIMIT_RUN_AFTER, a date no worker reaches:
        # the bench removes these rows before the drain is timed, so the drain's figure is intake's alone.
        cursor.execute(
            "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs, priority,"
            " task_path, worker_ids, queue_name, backend_name, run_after, exception_class_path, traceback)"
            " VALUES (%s, 'READY', %s, %s, 0, 'chithi.dialogues.tasks.notify_new_issue', '[]', 'default',"
            f" 'default', '{LIMIT_RUN_AFTER}', '', '')",
            [uuid.uuid4(), now, json.dumps({"args": [pk], "kwargs": {}})])
    return JsonResponse({"tracking_code": code, "nonce": secrets.token_hex(2)}, status=201)


class BareUrls:
    urlpatterns = [path("bench/bare-insert/", bare_insert), path("bench/bare-intake-rows/", bare_intake_rows),
                   path("", include(settings.ROOT_URLCONF))]
    handler500 = "chithi.core.errors.server_error"


settings.ROOT_URLCONF = BareUrls  # type: ignore[misc]
application = get_wsgi_application()
