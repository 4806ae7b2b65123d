"""Fixtures for the dialogues room: a category, and the world's city as the intake unit."""

from __future__ import annotations

from typing import Any

import pytest

from chithi.dialogues.models import IssueCategory

from .factories import IssueCategoryFactory


@pytest.fixture
def category(db: Any) -> IssueCategory:
    return IssueCategoryFactory(name="Trật tự đô thị", code="trat-tu-do-thi", ack_days=2, answer_days=10)
