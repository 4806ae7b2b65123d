"""Per-request context (request id, acting user) that services and the audit read without plumbing."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("actor", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def get_request_id() -> str | None:
    return _request_id.get()


def get_actor() -> Any:
    return _actor.get()


@contextmanager
def request_context(*, request_id: str | None = None, actor: Any = None) -> Iterator[str]:
    """Bind a request id (and optionally the acting user) for work outside HTTP: commands, tasks."""
    rid = request_id or new_request_id()
    token_rid = _request_id.set(rid)
    token_actor = _actor.set(actor)
    try:
        yield rid
    finally:
        _request_id.reset(token_rid)
        _actor.reset(token_actor)


def set_request_id(value: str | None) -> contextvars.Token[str | None]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str | None]) -> None:
    _request_id.reset(token)


def set_actor(value: Any) -> contextvars.Token[Any]:
    return _actor.set(value)


def reset_actor(token: contextvars.Token[Any]) -> None:
    _actor.reset(token)
