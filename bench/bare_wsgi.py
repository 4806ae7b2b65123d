"""The real chithi app plus one bare view, behind the same gunicorn: the limit the intake is measured against.

/bench/bare-insert/ reads the JSON body and writes one issue row with a single INSERT (no validation, no
timeline step, no audit, no form): what the machine, Django and the driver cost for one submission. The row is
the one intake writes, search text included: the text's trigram index is the dearest part of the INSERT (about
0.12 ms of the database's time for a real description, against 0.03 ms for the code alone), so a baseline with
a shorter text would measure a cheaper INSERT than the one it stands for.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from chithi.core.text import fold  # noqa: E402
from chithi.dialogues.codes import display, new_code  # noqa: E402

_TARGET: dict[str, int] = {}
_TARGET_NAME: dict[str, str] = {}


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    payload = json.loads(request.body)
    if not _TARGET:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name FROM dialogues_issuecategory ORDER BY id LIMIT 1")
            _TARGET["category"], _TARGET_NAME["category"] = cursor.fetchone()
            cursor.execute("SELECT id FROM orgs_organisation ORDER BY path LIMIT 1")
            _TARGET["unit"] = cursor.fetchone()[0]
    code, now = new_code(), timezone.now()
    description, address = str(payload.get("description", ""))[:2000], str(payload.get("address", ""))
    # What Issue.search_fields give for this row (the category's name is the first category's, looked up once).
    search_text = fold(" ".join([code, display(code), _TARGET_NAME["category"], description, address]))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dialogues_issue (tracking_code, channel, category_id, description, area, address,"
            " reporter_name, reporter_contact, consent_to_publish, status, status_reason, organisation_id,"
            " escalated_stage, received_at, ack_due_on, answer_due_on, due_on, answer, rating_comment, updated_at,"
            " search_text, submission_key) VALUES (%s, 'web', %s, %s, '', %s, '', '', true, 'received', '', %s, '',"
            " %s, %s, %s, %s, '', '', %s, %s, '')",
            [code, _TARGET["category"], description, address, _TARGET["unit"], now, now.date(), now.date(),
             now.date(), now, search_text])
    return JsonResponse({"tracking_code": code, "nonce": secrets.token_hex(2)}, status=201)


class BareUrls:
    urlpatterns = [path("bench/bare-insert/", bare_insert), path("", include(settings.ROOT_URLCONF))]
    handler500 = "chithi.core.errors.server_error"


settings.ROOT_URLCONF = BareUrls  # type: ignore[misc]
application = get_wsgi_application()
