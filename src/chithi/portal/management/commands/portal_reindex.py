"""Rebuild the public search index from what every room publishes (core.rooms PublicSource)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chithi.portal import search


class Command(BaseCommand):
    help = ("Index everything the rooms publish for the public search and drop what they no longer publish. "
            "Saves keep the index in step on their own; run this after bulk writes (imports, COPY, restores), "
            "or nightly from cron.")

    def handle(self, *args: Any, **options: Any) -> None:
        for kind, count in search.rebuild().items():
            self.stdout.write(f"{kind:<22} {count:>10} public documents")
