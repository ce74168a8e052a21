"""The day page's wire shape: `/papers/date/YYYY-MM-DD` HTML -> its embedded items. Pure.

The fallback when the API fails: the page hydrates its list from a `data-props` JSON blob.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..errors import ParseError
from .papers import lookup


def page_items(body: bytes, requested_day: date) -> list[Any]:
    """The day page's HTML -> the items embedded in its DailyPapers hydration props."""
    # Imported here: bs4 is only needed on the fallback path, keep it off the cold start.
    from bs4 import BeautifulSoup

    # lxml's parser: linear in the body's size. html.parser is quadratic on some hostile
    # pages (CPython's CVE-2025-6069: 120 s for 120 KB of "<a "), within the 8 MB cap.
    soup = BeautifulSoup(body, "lxml")
    # The page has several data-props elements (header, banners...); select by target.
    node = soup.find(attrs={"data-target": "DailyPapers", "data-props": True})
    if node is None:
        raise ParseError("page has no DailyPapers data-props element (layout changed?)")
    try:
        props = json.loads(str(node["data-props"]))
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"DailyPapers data-props is not JSON: {exc}") from None
    items = lookup(props, "dailyPapers")
    if not isinstance(items, list):
        raise ParseError("DailyPapers props hold no dailyPapers list")
    # 2026 pages say dateString, 2024 pages say date; a page for another day (HF
    # redirects empty days to the latest one) is not this day's list.
    shown = lookup(props, "dateString") or lookup(props, "date")
    if isinstance(shown, str) and shown[:10] != requested_day.isoformat():
        raise ParseError(f"page shows {shown[:10]}, not {requested_day}")
    return items
