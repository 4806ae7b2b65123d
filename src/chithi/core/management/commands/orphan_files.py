"""Report (and with --delete remove) stored files that no row references, on disk or on S3."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils import timezone

from chithi.core.storage import stored_names


def referenced_names() -> set[str]:
    """Every file name held by a FileField (or ImageField) of any installed model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                values = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                names.update(values.values_list(field.name, flat=True).iterator(chunk_size=5000))
    return names


def find_orphans(storage: Storage, *, older_than: dt.timedelta) -> list[str]:
    """Files nobody references that are older than `older_than` (a younger one may belong to a
    transaction still running on another server)."""
    referenced = referenced_names()
    cutoff = timezone.now() - older_than
    orphans = []
    for name in stored_names(storage):
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            modified = None
        if modified is not None and modified > cutoff:
            continue
        orphans.append(name)
    return sorted(orphans)


class Command(BaseCommand):
    help = "List uploaded files that no row references; --delete removes them (a dry run by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="remove the orphans (default: only list them)")
        parser.add_argument("--min-age-minutes", type=int, default=60,
                            help="leave files younger than this alone (default 60)")

    def handle(self, *args: Any, **options: Any) -> None:
        orphans = find_orphans(default_storage, older_than=dt.timedelta(minutes=options["min_age_minutes"]))
        for name in orphans:
            self.stdout.write(name)
        if options["delete"]:
            for name in orphans:
                default_storage.delete(name)
            self.stdout.write(self.style.SUCCESS(f"{len(orphans)} orphan file(s) removed."))
        else:
            self.stdout.write(f"{len(orphans)} orphan file(s) found (dry run; --delete removes them).")
