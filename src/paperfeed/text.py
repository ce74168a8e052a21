"""Text and time helpers several stages share: one way to cut, clean and stamp. Pure."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates and U+FFFE/U+FFFF;
# C1 controls and DEL are legal but invisible garbage in a title, so they go too.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with a visible ellipsis, never mid-space."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_text(value: Any, limit: int, *, collapse: bool = True) -> str:
    """A string from untrusted input (HF, a model): forbidden characters removed, whitespace
    collapsed, cut to `limit`; "" for anything that is not a string."""
    if not isinstance(value, str):
        return ""
    text = FORBIDDEN.sub("", value)
    if collapse:
        text = _SPACE.sub(" ", text).strip()
    return shorten(text, limit)


def iso_utc(value: datetime) -> str:
    """"2026-08-03T14:00:00Z": whole seconds, UTC, and always a four-digit year (strftime's
    %Y is not padded below 1000), so whatever is written reads back."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def clock_utc(value: datetime) -> str:
    """"2026-08-03 14:00 UTC", for people."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def parse_iso(value: str) -> datetime:
    """An ISO 8601 time as written here or by HF ("Z" or an offset; may be naive). ValueError
    when it is not one; what a naive time means is the caller's rule."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def whole_number(value: Any, what: str, low: int, high: int | None,
                 error: type[Exception]) -> int:
    """`value` as an int in [low, high] (no upper bound when high is None), else `error`
    with a one-line message naming `what`: the one reading of a numeric setting."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise error(f"{what} {value!r} is not a whole number") from None
    if n < low or (high is not None and n > high):
        bound = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise error(f"{what} must be {bound}, got {n}")
    return n
