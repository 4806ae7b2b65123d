"""manage.py backup: the database (pg_dump or SQLite's online backup) and the uploaded files, in one archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from chithi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one tar archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path,
                            help="archive to write (default var/backups/chithi-YYYYMMDD-HHMMSS.tar)")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or (
            Path(settings.VAR_DIR) / "backups" / f"chithi-{dt.datetime.now():%Y%m%d-%H%M%S}.tar")
        try:
            manifest = backup(connection=connections[options["database"]], storage=default_storage, output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(count for count, _ in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} files"))
