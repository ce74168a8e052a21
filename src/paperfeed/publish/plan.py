"""Gather -> decide -> apply. `plan_publish` is the pure decision; `write_uploads` is the shell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..archive.keys import SET_ASIDE, day_from_key
from ..errors import StoreError
from .stores.base import Store, md5_hex

# Feeds go out under the generic XML/JSON types, deliberately: CloudFront compresses only
# the types on AWS's list (application/xml and application/json are on it,
# application/atom+xml and application/feed+json are not), and browsers run a feed's
# feed-view.js only in a feed served as XML (Chromium shows application/atom+xml as raw
# text). Feed readers sniff the document, not the header.
_TYPES = {
    ".atom": "application/xml; charset=utf-8",
    ".rss": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
}
# Feeds are polled: short freshness tied to the hourly schedule; stale copies may be served
# while revalidating or when the origin errs, which keeps CloudFront answering.
FEED_CACHE = "public, max-age=900, stale-while-revalidate=3600, stale-if-error=86400"
ARCHIVE_CACHE = "public, max-age=3600, stale-if-error=86400"
# A day outside the rolling window changes only through a backfill, which invalidates it
# in CloudFront: browsers and aggregators may keep it for a week.
SETTLED_ARCHIVE_CACHE = "public, max-age=604800, stale-if-error=2592000"
# The search index's chunks are named by their content (Pagefind): a name never gets other
# bytes, so they are cached for good; its entry file and scripts follow the feeds' rule.
IMMUTABLE = "public, max-age=31536000, immutable"
_CONTENT_NAMED = ("/index/", "/fragment/", "/filter/", ".pf_meta")


def content_type(key: str) -> str:
    if key.endswith(".json"):
        return "application/json; charset=utf-8"
    for suffix, mime in _TYPES.items():
        if key.endswith(suffix):
            return mime
    return "application/octet-stream"


def cache_control(key: str, window_start: date | None = None) -> str:
    """Cache-Control by object class; archive days before `window_start` are settled."""
    if key.startswith("search/") and any(part in key for part in _CONTENT_NAMED):
        return IMMUTABLE
    if not key.startswith("archive/"):
        return FEED_CACHE
    day = day_from_key(key)
    if window_start and day and day < window_start:
        return SETTLED_ARCHIVE_CACHE
    return ARCHIVE_CACHE


def _order(key: str) -> int:
    # Archive first, then feeds, then pages: a crash midway never leaves a page pointing
    # at data that is not there yet. Within the archive, a set-aside copy goes before the
    # day document that replaces it (the soak lost papers when the write after failed).
    if key.startswith(SET_ASIDE):
        return -1
    if key.startswith("archive/"):
        return 0
    if key.startswith("feeds/"):
        return 1
    return 2


@dataclass(frozen=True)
class Upload:
    key: str
    body: bytes
    content_type: str
    cache_control: str
    expect: str | None = None  # conditional write: the digest the stored object must have


def plan_publish(
    rendered: dict[str, bytes], stored: dict[str, str], window_start: date | None = None
) -> list[Upload]:
    """The uploads needed to make the store hold `rendered`: only objects whose bytes differ."""
    changed = [k for k, body in rendered.items() if stored.get(k) != md5_hex(body)]
    # The archive is the store of record: its writes are conditional on what this run
    # read, so a run that overlaps another cannot overwrite newer data with older.
    return [
        Upload(k, rendered[k], content_type(k), cache_control(k, window_start),
               expect=stored.get(k, "") if k.startswith("archive/") else None)
        for k in sorted(changed, key=lambda k: (_order(k), k))
    ]


def write_uploads(store: Store, uploads: list[Upload]) -> tuple[list[str], StoreError | None]:
    """Write the uploads in order; returns the keys written and the error that stopped it."""
    written: list[str] = []
    for up in uploads:
        try:
            store.put(up.key, up.body, up.content_type, up.cache_control, up.expect)
        except StoreError as exc:
            return written, exc
        written.append(up.key)
    return written, None
