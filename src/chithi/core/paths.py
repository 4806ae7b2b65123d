"""Materialised paths ("/1/27/310/"): the organisation tree and a practice's replication lineage both keep one,
so that a subtree is one prefix filter. Moving a node is written once, here."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr


def graft(queryset: models.QuerySet[Any], node: models.Model, parent: models.Model, *, step: int,
          path: str = "path", depth: str = "depth") -> str:
    """Move `node` and every row below it under `parent` in one UPDATE (each descendant's path is rewritten by
    prefix and its depth shifted), so the move costs the same for a leaf and for a province. Returns the node's
    old path prefix, which callers hand on to whatever keeps figures by path."""
    old_prefix: str = getattr(node, path)
    new_prefix = f"{getattr(parent, path)}{node.pk:0{step}d}/"
    shift = getattr(parent, depth) + 1 - getattr(node, depth)
    queryset.filter(**{f"{path}__startswith": old_prefix}).update(**{
        path: Concat(Value(new_prefix), Substr(path, len(old_prefix) + 1)),
        depth: F(depth) + shift,
    })
    return old_prefix
