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
    group: Any = None  # items with the same group label share one drop-down menu


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


@dataclass
class NavEntry:
    """One place in the menu bar: a link, or a drop-down of links."""

    label: Any
    url_name: str = ""
    children: list[NavItem] | None = None

    @property
    def url_names(self) -> list[str]:
        return [c.url_name for c in self.children] if self.children else [self.url_name]


def entries(*, authenticated: bool) -> list[NavEntry]:
    """The menu for a visitor or a signed-in user. Signed-in users find the public pages grouped
    under one drop-down, so the bar stays short on an office PC's screen."""
    from django.utils.translation import gettext_lazy as _

    result: list[NavEntry] = []
    groups: dict[str, NavEntry] = {}
    for item in _items:
        if item.requires_login and not authenticated:
            continue
        group = item.group
        if authenticated and not item.requires_login:
            group = _("Public pages")
        if group is None or not authenticated:
            result.append(NavEntry(label=item.label, url_name=item.url_name))
            continue
        key = str(group)
        if key not in groups:
            groups[key] = NavEntry(label=group, children=[])
            result.append(groups[key])
        groups[key].children.append(item)  # type: ignore[union-attr]
    return result
