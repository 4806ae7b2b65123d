"""The main menu: each room adds its entries in its AppConfig.ready(), so base.html never changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavItem:
    label: Any  # lazy translatable
    url_name: str
    order: int = 100
    icon: str = ""
    requires_login: bool = True


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def items() -> list[NavItem]:
    return list(_items)
