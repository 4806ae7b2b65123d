"""The API's JSON parser: a body nested deeper than Python's recursion limit, or holding a lone surrogate, is a
400, not a 500 (issue 9)."""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from chithi.core.inputs import check_encodable


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return check_encodable(super().parse(stream, media_type, parser_context))
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        except ValueError as exc:  # a lone surrogate: valid JSON, never text
            raise ParseError(f"JSON parse error - {exc}") from None
