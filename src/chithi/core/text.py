"""Vietnamese text: one fold() for search on every table, and sort keys in Vietnamese order."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_WS = re.compile(r"\s+")
# Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and the marks
# U+200E/U+200F/U+061C: in a name they reorder what a reader sees ("Trojan Source"), so names refuse them (issue 9).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def has_bidi_controls(text: str | None) -> bool:
    return bool(text) and _BIDI_CONTROLS.search(text or "") is not None


def fold(text: str | None) -> str:
    """Lower-case, strip tones and marks, đ→d, collapse spaces: "ĐÔNG HÀ" and "dong ha" fold alike."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _WS.sub(" ", stripped.casefold()).strip()


def search_tokens(query: str | None) -> list[str]:
    return [token for token in fold(query).split(" ") if token]


# Vietnamese alphabet order; f, j, w, z only appear in foreign names and sort with their Latin place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index + 10 for index, letter in enumerate(_ALPHABET)}
# Dictionary tone order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă, â, ê, ô, ơ, ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letters(word: str) -> tuple[str, str]:
    """Primary (letters) and secondary (tones) digit strings for one word."""
    primary: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                letter = unicodedata.normalize("NFC", letter + mark)
        if char == "đ":
            letter = "đ"
        if letter in _RANK:
            primary.append(f"{_RANK[letter]:02d}")
            tones.append(str(tone))
        elif letter.isdigit():
            primary.append(f"0{letter}")
            tones.append("0")
    return "".join(primary), "".join(tones)


def vi_sort_key(text: str | None) -> str:
    """A digits-only key that sorts in Vietnamese dictionary order under any database collation.

    Letters compare first (a < ă < â < b … đ after d), tones only break ties, words compare
    word by word ("An" < "Anh" < "Ánh"). Digits only, so PostgreSQL's locale collation and
    SQLite's binary one order it alike.
    """
    words = [w for w in _WS.split((text or "").strip()) if w]
    parts = [_letters(w) for w in words]
    primary = "00".join(p for p, _t in parts)
    tones = "".join(t for _p, t in parts)
    return f"{primary}00{tones}"


def split_name(full_name: str) -> tuple[str, str]:
    """(family and middle names, given name): Vietnamese names end with the given name."""
    words = [w for w in _WS.split(full_name.strip()) if w]
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def person_sort_key(full_name: str) -> str:
    """People are listed by given name first, then by family and middle names, as in Vietnamese registers."""
    family, given = split_name(full_name)
    return f"{vi_sort_key(given)}01{vi_sort_key(family)}"


def differing_start(names: Sequence[str]) -> int:
    """Where names that begin alike start to differ, as a character index at the start of a word, taking in the
    whole proper name the word belongs to ("Đông Thanh", not "Thanh") and the word before a number ("phường 3", not a
    bare "3"). 0 when fewer than two names."""
    if len(names) < 2:
        return 0
    common = next((i for i, chars in enumerate(zip(*names, strict=False)) if len(set(chars)) > 1),
                  min(len(n) for n in names))
    start = names[0].rfind(" ", 0, common) + 1  # the start of the word in which they differ
    while start and names[0][names[0].rfind(" ", 0, start - 1) + 1].isupper():  # capitalised words: one name
        start = names[0].rfind(" ", 0, start - 1) + 1
    if start and any(n[start:].split(" ")[0].strip(",.").isdigit() for n in names):
        start = names[0].rfind(" ", 0, start - 1) + 1
    return start
