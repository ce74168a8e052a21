"""`feeds/index.json`: every feed for programs, with its family, size, state and URLs. Pure.

Deterministic: the same feeds give the same bytes (no build time, only the feeds' own).
"""

from __future__ import annotations

import json
from datetime import datetime

from ..models import FeedListing
from ..text import iso_utc

KEY = "feeds/index.json"
FORMATS = ("atom", "rss", "json")


def is_feed_key(key: str) -> bool:
    """Whether a site key is a feed (`feeds/...{atom,rss,json}`), not the feed list."""
    return key.startswith("feeds/") and key.endswith((".atom", ".rss", ".json")) and key != KEY


def render_feed_index(feeds: list[FeedListing], site_url: str, updated: datetime) -> bytes:
    doc = {
        "version": 1,
        "site": site_url,
        "updated": iso_utc(updated),
        "feeds": [
            {
                "name": f.name,
                "family": f.family,
                "title": f.title,
                "label": f.label or f.title,
                "description": f.description,
                "active": f.active,
                "entries": f.entries if f.active else None,
                **{ext: f.url(ext) for ext in FORMATS},
            }
            for f in feeds
        ],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
