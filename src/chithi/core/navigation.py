"""The main menu, built from the rooms' declared `menu` entries (core.rooms), so base.html never changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .rooms import Menu, menu_items


@dataclass
class NavEntry:
    """One place in the menu bar: a link, or a drop-down of links."""

    label: Any
    url_name: str = ""
    children: list[Menu] | None = None

    @property
    def url_names(self) -> list[str]:
        return [c.url_name for c in self.children] if self.children else [self.url_name]


def entries(*, authenticated: bool) -> list[NavEntry]:
    """The menu for a visitor or a signed-in user. Signed-in users find the public pages grouped
    under one drop-down, so the bar stays short on an office PC's screen."""
    from django.utils.translation import gettext_lazy as _

    result: list[NavEntry] = []
    groups: dict[str, NavEntry] = {}
    for item in menu_items():
        if not item.public and not authenticated:
            continue
        group = item.group
        if authenticated and item.public:
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
