"""Primary/replica router: reports may read from a replica when DATABASE_REPLICA_URL is set."""

from __future__ import annotations

from typing import Any

from django.conf import settings


class PrimaryReplicaRouter:
    """Writes always go to the primary; reads go there too unless a caller asks for "replica".

    Report selectors opt in with ``.using(reporting_db())`` so that a lagging replica never
    surprises an ordinary page that has just written.
    """

    def db_for_read(self, model: type, **hints: Any) -> str:
        return "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"


def reporting_db() -> str:
    """The alias report selectors read from: settings.REPORTING_DATABASE ("replica" when DATABASE_REPLICA_URL
    is set). Tests keep "default" and switch it on where they check reads against a mirror (src/chithi/conftest.py)."""
    return str(getattr(settings, "REPORTING_DATABASE", "default"))
