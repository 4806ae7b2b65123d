"""Prepare a benchmark database for the dialogues room: migrate, and a minimal tree and category.

    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_dialogues PYTHONPATH=src .venv/bin/python bench/dialogues_setup.py
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from chithi.core.models import User  # noqa: E402
from chithi.dialogues import services  # noqa: E402
from chithi.dialogues.models import IssueCategory  # noqa: E402
from chithi.orgs import services as org_services  # noqa: E402
from chithi.orgs.models import Organisation, OrgKind  # noqa: E402

root, _ = User.objects.get_or_create(username="bench-root", defaults={"is_superuser": True, "is_staff": True})
city = Organisation.objects.filter(code="TU-DH").first() or org_services.create_organisation(
    actor=root, name="Thành ủy Đông Hà", kind=OrgKind.PARTY_COMMITTEE, code="TU-DH")
if not Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE).exists():
    for name in ("Phường Đông Hà", "Phường Nam Đông Hà"):
        org_services.create_organisation(actor=root, name=f"Đảng ủy {name.lower()}", short_name=name,
                                         kind=OrgKind.WARD_COMMITTEE, parent=city)
if not IssueCategory.objects.filter(code="trat-tu-do-thi").exists():
    services.save_category(actor=root, code="trat-tu-do-thi", name="Trật tự đô thị", ack_days=2, answer_days=10)
print("ready:", Organisation.objects.count(), "units,", IssueCategory.objects.count(), "categories")
