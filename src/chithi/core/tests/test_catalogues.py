"""Every room's Vietnamese catalogue is complete, compiled, and agrees with the others."""

from __future__ import annotations

from pathlib import Path

import polib
from django.core.management import call_command

from chithi.core.management.commands.compilemessages_py import _conflicts


def _catalogue(folder: Path, entries: dict[tuple[str | None, str], str]) -> Path:
    path = folder / "vi" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po = polib.POFile()
    for (context, msgid), msgstr in entries.items():
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    po.save(str(path))
    return path


def test_the_project_catalogues_pass_the_check():
    call_command("compilemessages_py", "--check")


def test_a_message_translated_two_ways_is_reported_unless_it_has_a_context(tmp_path):
    first = _catalogue(tmp_path / "a", {(None, "Link"): "Đường dẫn"})
    second = _catalogue(tmp_path / "b", {(None, "Link"): "Liên kết", ("verb", "Link"): "Liên kết"})
    problems = _conflicts([first, second])
    assert len(problems) == 1 and "'Link'" in problems[0]
    third = _catalogue(tmp_path / "c", {("verb", "Link"): "Liên kết"})
    assert _conflicts([first, third]) == []
