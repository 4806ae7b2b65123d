"""manage.py restore ARCHIVE: load a backup into the configured database and storage, then check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from chithi.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`; refuses a database that holds data unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="replace the data already there")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["archive"].is_file():
            raise CommandError(f"{options['archive']} does not exist")
        try:
            manifest = restore(connection=connections[options["database"]], storage=default_storage,
                               archive_path=options["archive"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"restored {len(manifest['tables'])} tables (every fingerprint checked) and "
            f"{len(manifest['media'])} files from {options['archive']}"))
