"""Load the Đông Hà demo data (idempotent: seeders that already ran are skipped)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from chithi.core.context import request_context
from chithi.core.demo import DemoContext
from chithi.core.models import SeedRecord, User
from chithi.core.rooms import seed_order

DEMO_PASSWORD = "chithi2026"  # noqa: S105 - printed as demo-only credentials


class Command(BaseCommand):
    help = "Load the Đông Hà demo data and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        system, _created = User.objects.get_or_create(
            username="sysadmin",
            defaults={"is_superuser": True, "is_staff": True, "first_name": "Quản trị hệ thống"})
        if _created:
            system.set_password(DEMO_PASSWORD)
            system.save()
        context = DemoContext(actor=system)
        context.data["password"] = DEMO_PASSWORD
        done = set(SeedRecord.objects.values_list("name", flat=True))
        # Seeders trigger notifications; their e-mails go to fake addresses and must never leave the
        # machine, whatever mailer the installation has configured.
        demo_mail = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        with request_context(actor=system), override_settings(MAILERS=demo_mail):
            for seed in seed_order():
                name, func = seed.name, seed.func
                if name in done:
                    continue
                started = time.monotonic()
                self.stdout.write(f"  demo: {name} …", ending="")
                self.stdout.flush()
                with transaction.atomic():
                    func(context)
                    SeedRecord.objects.create(name=name)
                self.stdout.write(f" {time.monotonic() - started:.1f}s")
        self.print_accounts()

    def print_accounts(self) -> None:
        from chithi.orgs.models import RoleAssignment

        self.stdout.write("")
        self.stdout.write(self.style.WARNING(
            "Tài khoản DÙNG THỬ — chỉ dành cho bản demo, không dùng khi triển khai thật."))
        self.stdout.write(self.style.WARNING("Demo accounts — for the demo only, never in production."))
        self.stdout.write(f"  {'sysadmin':<20} {DEMO_PASSWORD:<12} quản trị hệ thống (superuser, /quan-tri/)")
        rows = RoleAssignment.objects.filter(user__username__startswith="demo.").select_related(
            "user", "organisation").order_by("user__username")
        live: set[str] = set()
        for ra in rows:
            if ra.organisation.dissolved_on is None:
                live.add(ra.user.username)
                self.stdout.write(
                    f"  {ra.user.username:<20} {DEMO_PASSWORD:<12} {ra.get_role_display()} — {ra.organisation}")
        # An account whose every role was on a unit that has since ceased (the 2025 reform): a former account.
        for ra in rows:
            if ra.user.username not in live and ra.organisation.dissolved_on is not None:
                live.add(ra.user.username)
                self.stdout.write(f"  {ra.user.username:<20} {DEMO_PASSWORD:<12} vai trò đã kết thúc — "
                                  f"{ra.get_role_display()}, {ra.organisation} (đến "
                                  f"{ra.organisation.dissolved_on - dt.timedelta(days=1):%d/%m/%Y})")
