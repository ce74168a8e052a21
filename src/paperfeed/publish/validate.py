"""Check every rendered object before anything is uploaded. Pure.

A feed that does not parse back, or holds fewer entries than were rendered into it, is
withheld: its previous version stays published and the run reports it.
"""

from __future__ import annotations

import json

from lxml import etree

from ..render.feed_index import KEY as FEED_INDEX

ATOM = "{http://www.w3.org/2005/Atom}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _entries(key: str, body: bytes) -> int:
    if key.endswith(".json"):
        doc = json.loads(body.decode("utf-8"))
        # The feed list is JSON but no feed; every other JSON under feeds/ is a JSON Feed.
        return len(doc["items"]) if key.startswith("feeds/") and key != FEED_INDEX else 0
    root = etree.fromstring(body, _PARSER)
    if key.endswith(".atom"):
        return len(root.findall(f"{ATOM}entry"))
    if key.endswith(".rss"):
        return len(root.findall("channel/item"))
    return 0


def unpublishable_reason(key: str, body: bytes, expected_entries: int | None = None) -> str:
    """Why `body` must not be published under `key`, or "" when it is fine."""
    try:
        if key.endswith((".atom", ".rss", ".opml", ".xml", ".json")):
            found = _entries(key, body)
            if expected_entries is not None and found != expected_entries:
                return f"{found} entries read back, {expected_entries} rendered"
        elif key.endswith((".html", ".md", ".js", ".css")):
            body.decode("utf-8")
    except (ValueError, KeyError, TypeError, etree.XMLSyntaxError) as exc:
        return f"does not parse back: {exc.__class__.__name__}: {exc}"[:300]
    return ""
