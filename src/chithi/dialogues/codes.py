"""Tracking codes for citizens' issues: random, unguessable, short and easy to read out or type."""

from __future__ import annotations

import re
import secrets

# Crockford's base32: no I, L, O or U, so a code read over the phone is not mistaken.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 50 random bits: guessing one live code among millions takes ~10^8 tries per hit
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_STRIP = re.compile(r"[\s\-_.]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What the citizen typed, as stored: upper case, without dashes or spaces, look-alikes mapped."""
    code = _STRIP.sub("", typed or "").upper().translate(_CONFUSABLE)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def display(code: str) -> str:
    """Grouped for reading: ABCDE-FGHJK."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == LENGTH else code
