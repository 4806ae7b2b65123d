"""Demo data: rooms declare their seeders (core.rooms.Seed, with `after=`); `manage.py load_demo` runs the
new ones in dependency order.

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
