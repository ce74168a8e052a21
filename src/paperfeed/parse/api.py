"""The JSON API's wire shape: `/api/daily_papers?date=...` -> its list of items. Pure."""

from __future__ import annotations

import json
from typing import Any

from ..errors import ParseError


def api_items(body: bytes) -> list[Any]:
    """The JSON API's body -> its list of items (ParseError if it is not a JSON list)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # incl. numbers over Python's digit limit
        raise ParseError(f"API answer is not JSON: {exc}") from None
    if not isinstance(data, list):
        raise ParseError(f"API answer is a JSON {type(data).__name__}, not a list")
    return data
