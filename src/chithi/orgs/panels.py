"""Sections that other rooms add to an organisation's page (its plans, its models, its issues…).

A room registers an OrgPanel in its AppConfig.ready(); the organisation page renders each with
the context its function returns, so orgs never imports the rooms built on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OrgPanel:
    template: str
    get_context: Callable[..., dict[str, Any]]  # (user=, org=) -> context; {} to hide
    order: int = 100


_panels: list[OrgPanel] = []


def register(panel: OrgPanel) -> None:
    if all(p.template != panel.template for p in _panels):
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)


def render_context(*, user: Any, org: Any) -> list[tuple[str, dict[str, Any]]]:
    result = []
    for panel in _panels:
        context = panel.get_context(user=user, org=org)
        if context:
            result.append((panel.template, context))
    return result
