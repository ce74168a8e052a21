"""Where a day's document lives in the store: `archive/YYYY-MM-DD.json`. Pure."""

from __future__ import annotations

import re
from datetime import date


def archive_key(day: date) -> str:
    return f"archive/{day.isoformat()}.json"


_DAY_KEY = re.compile(r"^archive/(\d{4}-\d{2}-\d{2})\.json$")
SET_ASIDE = "archive/set-aside/"  # stored documents that did not read back whole, kept


def day_from_key(key: str) -> date | None:
    """The day of an archive document's key; None for any other key (only
    `archive/YYYY-MM-DD.json` is a day: a stray `posts/2099-01-01.json` is not)."""
    match = _DAY_KEY.match(key)
    if not match:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:
        return None


def set_aside_key(day: date, digest: str) -> str:
    """Where a day document that could not be read back whole is kept, by its MD5."""
    return f"{SET_ASIDE}{day.isoformat()}-{digest}.json-set-aside"
