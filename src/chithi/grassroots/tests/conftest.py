"""Fixtures of the grassroots tests: one of everything in ward A (factories.grassroots)."""

from __future__ import annotations

from typing import Any

import pytest

from .factories import Grassroots, grassroots


@pytest.fixture
def gw(world: Any) -> Grassroots:
    return grassroots(world)
