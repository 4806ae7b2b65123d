"""manage.py backup and restore: a fresh database gets every table back, row for row (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

from chithi.core.backup import fingerprints
from chithi.practices import services
from chithi.practices.tests.factories import PracticeFactory, jpeg_upload

from .services import pg_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same engine, outside the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = pg_url(connection.settings_dict, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield pg_url(connection.settings_dict, name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(url: str, media: Path, var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update({"DATABASE_URL": url, "CHITHI_MEDIA_ROOT": str(media), "CHITHI_VAR_DIR": str(var),
                "PYTHONPATH": str(ROOT / "src")})
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_restore_into_a_fresh_database_gives_back_every_table_and_file(
    world: Any, settings: Any, tmp_path: Path, fresh_database: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    practice = PracticeFactory(organisation=world.cell_a1)
    photo = services.add_photo(actor=world.user("secretary"), practice=practice, upload=jpeg_upload())
    archive = tmp_path / "chithi.tar"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    source = fingerprints(connection)
    assert source["orgs_organisation"][0] == 7 and source["practices_practicephoto"][0] == 1

    media, var = tmp_path / "restored-media", tmp_path / "var"
    restored = _manage(fresh_database, media, var, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "every fingerprint checked" in restored.stdout

    # Read back by another process, straight from the fresh database.
    read = _manage(fresh_database, media, var, "shell", "--no-imports", "-c",
                   "import json; from django.db import connection; from chithi.core.backup import fingerprints; "
                   "print(json.dumps(fingerprints(connection)))")
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout.strip().splitlines()[-1]) == source
    assert (media / photo.file.name).read_bytes() == Path(settings.MEDIA_ROOT, photo.file.name).read_bytes()

    again = _manage(fresh_database, media, var, "restore", str(archive))
    assert again.returncode != 0
    assert "already holds data" in again.stderr and "--force" in again.stderr
    forced = _manage(fresh_database, media, var, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr


def test_restore_refuses_an_archive_of_another_engine(tmp_path: Path, world: Any) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    import tarfile

    archive = tmp_path / "other.tar"
    with tarfile.open(archive, "w") as tar:
        data = json.dumps({"engine": other, "database": "x", "tables": {}, "media": []}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(archive))
