"""Sections that one room adds to another room's object page, without the page's room importing it.

The page's room renders `render_context(key, user=, obj=)` (e.g. key "campaigns.plantask") and
includes each (template, context); another room registers a Panel for that key in its
AppConfig.ready(). So the campaigns task page can show the practices linked to a task as evidence
while campaigns never imports practices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    get_context: Callable[..., dict[str, Any]]  # (user=, obj=) -> context; {} hides the panel
    order: int = 100


_panels: dict[str, list[Panel]] = {}


def register(key: str, panel: Panel) -> None:
    panels = _panels.setdefault(key, [])
    if all(p.template != panel.template for p in panels):
        panels.append(panel)
        panels.sort(key=lambda p: p.order)


def render_context(key: str, *, user: Any, obj: Any) -> list[tuple[str, dict[str, Any]]]:
    result = []
    for panel in _panels.get(key, []):
        context = panel.get_context(user=user, obj=obj)
        if context:
            result.append((panel.template, context))
    return result
