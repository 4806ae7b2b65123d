"""Uploads on S3-compatible storage (django-storages), with the same rollback clean-up as on disk."""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from .storage import TransactionalStorageMixin


class TransactionalS3Storage(TransactionalStorageMixin, S3Storage):
    """settings.STORAGES["default"] when AWS_STORAGE_BUCKET_NAME is set (docs/deployment.md)."""
