"""Uploaded files never outlive their transaction, and orphan_files finds what escaped (disk and S3)."""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from chithi.core.storage import discard_rolled_back_files
from chithi.practices import services
from chithi.practices.models import PracticePhoto
from chithi.practices.tests.factories import PracticeFactory, jpeg_upload

pytestmark = pytest.mark.django_db(transaction=True)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)  # the storage reads MEDIA_ROOT when it is built
    return settings.MEDIA_ROOT


@contextlib.contextmanager
def audit_refused() -> Iterator[None]:
    """A real database failure after the file is written: the audit row's INSERT is refused by a trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION chithi_refuse() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql")
            cursor.execute("CREATE TRIGGER chithi_refuse BEFORE INSERT ON core_auditentry "
                           "FOR EACH ROW EXECUTE FUNCTION chithi_refuse()")
        else:
            cursor.execute("CREATE TRIGGER chithi_refuse BEFORE INSERT ON core_auditentry "
                           "BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
    try:
        yield
    finally:
        _drop_trigger()


def _drop_trigger() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER chithi_refuse" + (" ON core_auditentry" if connection.vendor == "postgresql"
                                                       else ""))
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION chithi_refuse()")


def _upload_photo(client: Client, practice: Any) -> Any:
    return client.post(f"/mo-hinh/danh-muc/{practice.pk}/them-anh/",
                       {"file": jpeg_upload(), "caption": "Ảnh", "is_public": "on"})


def test_a_photo_whose_request_rolled_back_leaves_no_file(world: Any, media: Path) -> None:
    practice = PracticeFactory(organisation=world.cell_a1)
    client = Client(raise_request_exception=False)
    client.force_login(world.user("secretary"))
    with audit_refused():
        response = _upload_photo(client, practice)
    assert response.status_code == 500
    assert not PracticePhoto.objects.exists()
    assert _files(media) == []


def test_a_photo_whose_request_committed_keeps_its_file(world: Any, media: Path) -> None:
    practice = PracticeFactory(organisation=world.cell_a1)
    client = Client()
    client.force_login(world.user("secretary"))
    response = _upload_photo(client, practice)
    assert response.status_code == 302
    photo = PracticePhoto.objects.get()
    assert _files(media) == [media / photo.file.name]


def test_a_rolled_back_savepoint_loses_its_file_and_the_outer_transaction_keeps_its_own(
    world: Any, media: Path
) -> None:
    practice = PracticeFactory(organisation=world.cell_a1)
    actor = world.user("secretary")
    with transaction.atomic():
        kept = services.add_photo(actor=actor, practice=practice, upload=jpeg_upload())
        try:
            with transaction.atomic():
                lost = services.add_photo(actor=actor, practice=practice, upload=jpeg_upload())
                raise RuntimeError("the caller changes its mind")
        except RuntimeError:
            pass
    assert discard_rolled_back_files() == 1
    assert _files(media) == [media / kept.file.name]
    assert not (media / lost.file.name).exists()


# --- orphan_files -------------------------------------------------------------------------------


def _age(name: str, hours: float) -> None:
    path = default_storage.path(name)
    when = time.time() - hours * 3600
    os.utime(path, (when, when))


def test_orphan_files_lists_by_default_and_deletes_when_told(world: Any, media: Path) -> None:
    practice = PracticeFactory(organisation=world.cell_a1)
    photo = services.add_photo(actor=world.user("secretary"), practice=practice, upload=jpeg_upload())
    old_orphan = default_storage.save("attachments/2024/01/mat-tich.pdf", ContentFile(b"%PDF-1.4"))
    young_orphan = default_storage.save("attachments/2026/11/dang-ghi.pdf", ContentFile(b"%PDF-1.4"))
    _age(photo.file.name, 5)
    _age(old_orphan, 5)

    out = io.StringIO()
    call_command("orphan_files", stdout=out)
    assert out.getvalue().splitlines() == [old_orphan, "1 orphan file(s) found (dry run; --delete removes them)."]
    assert default_storage.exists(old_orphan)

    call_command("orphan_files", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(old_orphan)
    assert default_storage.exists(young_orphan)  # may belong to a transaction still running
    assert default_storage.exists(photo.file.name)


@pytest.fixture
def s3(settings: Any) -> Iterator[Any]:
    """A real S3 API on loopback (moto's server), with the production storage class."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=18121, verbose=False)
    server.start()
    options = {"bucket_name": "chithi-test", "endpoint_url": "http://127.0.0.1:18121", "region_name": "us-east-1",
               "access_key": "test", "secret_key": "test", "default_acl": None, "file_overwrite": False}
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "chithi.core.s3.TransactionalS3Storage",
                                                          "OPTIONS": options}}
    storages._storages.pop("default", None)
    import boto3

    client = boto3.client("s3", endpoint_url=options["endpoint_url"], aws_access_key_id="test",
                          aws_secret_access_key="test", region_name="us-east-1")
    client.create_bucket(Bucket="chithi-test")
    yield client
    storages._storages.pop("default", None)
    server.stop()


def test_orphan_files_and_rollback_on_s3(world: Any, s3: Any) -> None:
    practice = PracticeFactory(organisation=world.cell_a1)
    with audit_refused(), pytest.raises(Exception, match="audit refused"):
        services.add_photo(actor=world.user("secretary"), practice=practice, upload=jpeg_upload())
    assert discard_rolled_back_files() == 1
    assert s3.list_objects_v2(Bucket="chithi-test").get("KeyCount") == 0

    orphan = default_storage.save("attachments/2024/01/mat-tich.pdf", ContentFile(b"%PDF-1.4"))
    out = io.StringIO()
    call_command("orphan_files", "--min-age-minutes", "0", stdout=out)
    assert orphan in out.getvalue().splitlines()
    call_command("orphan_files", "--min-age-minutes", "0", "--delete", stdout=io.StringIO())
    assert s3.list_objects_v2(Bucket="chithi-test").get("KeyCount") == 0
