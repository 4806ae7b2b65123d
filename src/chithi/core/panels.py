"""Sections that one room adds to another room's object page, without the page's room importing it.

The page's room calls `render_context(key, user=, obj=)` (e.g. key "campaigns.plantask") and includes
each (template, context). Other rooms declare a `PanelSpec` for that key on their RoomConfig
(core.rooms). So the campaigns task page shows the practices linked to a task as evidence while
campaigns never imports practices.
"""

from __future__ import annotations

from typing import Any

from .rooms import panels_for


def render_context(key: str, *, user: Any, obj: Any) -> list[tuple[str, dict[str, Any]]]:
    result = []
    for panel in panels_for(key):
        context = panel.get_context(user=user, obj=obj)
        if context:
            result.append((panel.template, context))
    return result
