"""Demo data: each room's `demo.py` registers seeders; `manage.py load_demo` runs the new ones in order.

A seeder is idempotent by name: it runs once per database, so a second `make demo` is quick and
a room added later still gets its data into an existing demo database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    """Shared between seeders: the system actor, a seeded RNG, and what earlier seeders made."""

    actor: Any
    rng: random.Random = field(default_factory=lambda: random.Random(20170505))
    data: dict[str, Any] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, description)


Seeder = Callable[[DemoContext], None]
_seeders: list[tuple[int, str, Seeder]] = []


def seeder(*, order: int, name: str) -> Callable[[Seeder], Seeder]:
    def wrap(func: Seeder) -> Seeder:
        if all(existing != name for _o, existing, _f in _seeders):
            _seeders.append((order, name, func))
            _seeders.sort(key=lambda item: item[0])
        return func

    return wrap


def seeders() -> list[tuple[int, str, Seeder]]:
    return list(_seeders)
