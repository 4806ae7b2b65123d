"""Compile (or check) every room's catalogue with polib, so no machine needs GNU gettext.

The .mo files are committed; `--check` fails when a .mo is stale or a Vietnamese entry is empty
or fuzzy (Vietnamese is the interface's source of truth; the English msgids are the fallback).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _entries(catalogue: polib._BaseFile) -> dict[tuple[str, str], Any]:
    result = {}
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        value = entry.msgstr_plural if entry.msgid_plural else entry.msgstr
        if not value or (isinstance(value, dict) and not all(value.values())):
            continue
        key = (entry.msgctxt or "", entry.msgid)
        result[key] = dict(value) if isinstance(value, dict) else value
    return result


def _conflicts(catalogues: list[Path]) -> list[str]:
    """The same message translated differently in two rooms' catalogues.

    Django merges the catalogues into one, so only the first room's text would ever show; where a
    room means something else it must say so with a context (pgettext / `translate … context`)."""
    seen: dict[tuple[str, str, str], tuple[Any, Path]] = {}
    problems = []
    for po_path in catalogues:
        language = po_path.parts[-3]
        for key, value in _entries(polib.pofile(str(po_path))).items():
            full_key = (language, *key)
            if full_key in seen and seen[full_key][0] != value:
                problems.append(f"{po_path}: {key[1]!r} is translated otherwise in {seen[full_key][1]} "
                                f"(one text per message, or give it a context)")
            seen.setdefault(full_key, (value, po_path))
    return problems


class Command(BaseCommand):
    help = "Compile the .po catalogues under src/chithi to .mo with polib (or check them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if a .mo is stale or an entry missing.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        problems: list[str] = []
        catalogues = sorted(Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/django.po"))
        for po_path in catalogues:
            po = polib.pofile(str(po_path))
            mo_path = po_path.with_suffix(".mo")
            if check:
                if po_path.parts[-3] == "vi":
                    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
                    problems.extend(f"{po_path}: untranslated {m!r}" for m in missing[:20])
                if not mo_path.exists():
                    problems.append(f"{mo_path}: missing (run manage.py compilemessages_py)")
                elif _entries(polib.mofile(str(mo_path))) != _entries(po):
                    problems.append(f"{mo_path}: stale (run manage.py compilemessages_py)")
            else:
                po.save_as_mofile(str(mo_path))
                self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
        if check:
            problems.extend(_conflicts(catalogues))
        if problems:
            raise CommandError("\n".join(problems))
        if check:
            self.stdout.write(f"{len(catalogues)} catalogue(s) complete and compiled")
