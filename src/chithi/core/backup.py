"""Backup and restore of the database and the uploaded files, as one tar archive.

The archive holds `manifest.json` (engine, time, and a fingerprint of every table), the database
(`database.pgdump`, pg_dump's custom format, or `database.sqlite3` made with SQLite's online backup
API, so a running server need not stop) and `media/` (every file in the default storage, on disk or
S3). A restore checks its result against the manifest's fingerprints.
"""

# ruff: noqa: S603 - pg_dump/pg_restore get the configured database's own settings, never user input
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db.backends.base.base import BaseDatabaseWrapper

from .storage import stored_names

# Rows that `migrate` itself writes: a database holding only these has no data of its own.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission",
                      # Reference rows a migration writes (grassroots 0002: the catalogue of procedures): a
                      # database holding only these holds no one's data.
                      "grassroots_procedure"}
MANIFEST = "manifest.json"


class BackupError(Exception):
    """Something a person must act on; the command prints it without a traceback."""


def user_tables(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def row_fingerprint(cursor: Any, table: str) -> tuple[int, str]:
    """(rows, checksum) of one table: the sum of the rows' SHA-256 modulo 2**256, so order does not matter
    and the table is streamed, never held in memory. `table` comes from introspection, never from input."""
    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
    total, count = 0, 0
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        for row in rows:
            total = (total + int.from_bytes(hashlib.sha256(repr(tuple(row)).encode()).digest())) % (1 << 256)
            count += 1
    return count, f"{total:064x}"


def fingerprints(connection: BaseDatabaseWrapper, tables: Iterable[str] | None = None) -> dict[str, list[Any]]:
    names = list(tables) if tables is not None else user_tables(connection)
    with connection.cursor() as cursor:
        return {table: list(row_fingerprint(cursor, table)) for table in names}


def has_data(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        for table in user_tables(connection):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 (an introspected name)
            if cursor.fetchone():
                return True
    return False


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore: from CHITHI_PG_BIN when the server's major version needs its own tools."""
    folder = os.environ.get("CHITHI_PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install PostgreSQL's client tools or set CHITHI_PG_BIN")
    return found


def _pg_env_and_args(settings_dict: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def backup(*, connection: BaseDatabaseWrapper, storage: Storage, output: Path) -> dict[str, Any]:
    """Write the archive to `output`; returns the manifest."""
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="chithi-backup-") as work:
        work_dir = Path(work)
        if vendor == "postgresql":
            db_file = work_dir / "database.pgdump"
            env, args = _pg_env_and_args(connection.settings_dict)
            result = subprocess.run(
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args,
                 "--file", str(db_file), str(connection.settings_dict["NAME"])],
                env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        elif vendor == "sqlite":
            db_file = work_dir / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                connection.connection.backup(target)  # consistent even while others write
            finally:
                target.close()
        else:
            raise BackupError(f"backup does not know the {vendor} engine")
        # Fingerprints after the dump: on a busy server a row may land in between, which the restore's
        # check would then report; run backups from a quiet moment or from a replica.
        manifest = {"format": 1, "engine": vendor, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "database": db_file.name, "tables": fingerprints(connection), "media": []}
        media: list[str] = sorted(stored_names(storage)) if _storage_exists(storage) else []
        manifest["media"] = media
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(db_file, arcname=db_file.name)
            for name in media:
                with storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = storage.size(name)
                    archive.addfile(info, handle)
        partial.replace(output)  # a crash never leaves something that looks like a whole backup
    return manifest


def _storage_exists(storage: Storage) -> bool:
    try:
        storage.listdir("")
    except FileNotFoundError:
        return False
    return True


def restore(*, connection: BaseDatabaseWrapper, storage: Storage, archive_path: Path, force: bool) -> dict[str, Any]:
    """Load the archive into the configured database and storage; returns the manifest after checking
    every table's fingerprint."""
    with tarfile.open(archive_path, "r") as archive:
        manifest = json.load(archive.extractfile(MANIFEST))  # type: ignore[arg-type]
        if manifest.get("engine") != connection.vendor:
            raise BackupError(f"this backup is of a {manifest.get('engine')} database; the configured database is "
                              f"{connection.vendor}")
        if has_data(connection) and not force:
            raise BackupError("the database already holds data: restore refuses to overwrite it without --force")
        with tempfile.TemporaryDirectory(prefix="chithi-restore-") as work:
            db_file = Path(work) / manifest["database"]
            member = archive.extractfile(manifest["database"])
            if member is None:
                raise BackupError(f"{archive_path} has no {manifest['database']}")
            with db_file.open("wb") as out:
                shutil.copyfileobj(member, out)
            if connection.vendor == "postgresql":
                _restore_postgresql(connection, db_file)
            else:
                _restore_sqlite(connection, db_file)
        for name in manifest["media"]:
            member = archive.extractfile(f"media/{name}")
            if member is None:
                raise BackupError(f"{archive_path} lacks media/{name}")
            if storage.exists(name):
                if not force:
                    raise BackupError(f"the file {name} already exists in storage: use --force to replace it")
                storage.delete(name)
            saved = storage.save(name, File(member, name=name))
            if saved != name:
                raise BackupError(f"storage renamed {name} to {saved}")
    restored = fingerprints(connection, manifest["tables"].keys())
    wrong = sorted(t for t, value in manifest["tables"].items() if restored.get(t) != value)
    if wrong:
        raise BackupError(f"restored tables differ from the backup: {', '.join(wrong)}")
    return manifest


def _restore_postgresql(connection: BaseDatabaseWrapper, db_file: Path) -> None:
    connection.close()
    env, args = _pg_env_and_args(connection.settings_dict)
    result = subprocess.run(
        [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", *args, "--dbname", str(connection.settings_dict["NAME"]), str(db_file)],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_sqlite(connection: BaseDatabaseWrapper, db_file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)  # replaces every page of the target, in one step
    finally:
        source.close()
