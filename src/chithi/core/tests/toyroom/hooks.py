"""What the toy room's declaration names; tests read `calls` and set `fail`."""

from typing import Any

from django.core.exceptions import ValidationError

calls: list[tuple[Any, ...]] = []
fail = False


def on_successor(*, source: Any, successor: Any, effective_on: Any, actor: Any) -> None:
    if fail:
        raise ValidationError({"sources": "cannot move open records"})
    calls.append((source.pk, successor.pk, effective_on))


def panel(*, user: Any, obj: Any) -> dict[str, Any]:
    return {"toy": obj.pk}


def seed(ctx: Any) -> None:
    calls.append(("seed",))
