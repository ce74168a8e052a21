"""Where a day's document lives in the store: `archive/YYYY-MM-DD.json`. Pure."""

from __future__ import annotations

from datetime import date


def archive_key(day: date) -> str:
    return f"archive/{day.isoformat()}.json"


def day_from_key(key: str) -> date | None:
    name = key.rsplit("/", 1)[-1]
    if not name.endswith(".json"):
        return None
    try:
        return date.fromisoformat(name[: -len(".json")])
    except ValueError:
        return None
