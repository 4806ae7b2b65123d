"""Sections that other rooms add to an organisation's page (its plans, its practices, its issues…).

A room registers an OrgPanel in its AppConfig.ready(); this is core.panels under the key
"orgs.organisation", with the context function called as get_context(user=, org=).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chithi.core import panels

KEY = "orgs.organisation"


@dataclass(frozen=True)
class OrgPanel:
    template: str
    get_context: Callable[..., dict[str, Any]]  # (user=, org=) -> context; {} to hide
    order: int = 100


def register(panel: OrgPanel) -> None:
    def context(*, user: Any, obj: Any) -> dict[str, Any]:
        return panel.get_context(user=user, org=obj)

    panels.register(KEY, panels.Panel(template=panel.template, get_context=context, order=panel.order))


def render_context(*, user: Any, org: Any) -> list[tuple[str, dict[str, Any]]]:
    return panels.render_context(KEY, user=user, obj=org)
