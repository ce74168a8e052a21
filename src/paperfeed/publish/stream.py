"""Publishing as objects are rendered: each one is checked, compared and written at once,
then dropped, so a run never holds the whole site (a 30-day backfill rendered ~95 MB of
feeds into memory before a single write). A shell: it writes to the store.

The order stays what a reader needs: the run offers the archive documents first, then
`render_site` renders feeds before the posts and the pages that link them. The first write
that fails stops every later one (the run has then failed); what was written is live.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date

from ..errors import StoreError
from .plan import plan_publish, write_uploads
from .stores.base import Store, md5_hex
from .validate import unpublishable_reason

log = logging.getLogger(__name__)


class Publisher:
    """Takes rendered objects one at a time (`offer`) and keeps only what the run reports:
    keys written, withheld (with why), the MD5 of every object now published as rendered,
    and the posts' bytes (small) for a blog's own folder."""

    def __init__(self, store: Store, stored: Mapping[str, str],
                 window_start: date | None = None) -> None:
        self.store, self.stored, self.window_start = store, stored, window_start
        self.written: list[str] = []
        self.written_digests: list[str] = []
        self.withheld: dict[str, str] = {}
        self.published: dict[str, str] = {}  # key -> MD5 of the bytes the store now holds
        self.posts: dict[str, bytes] = {}
        self.unchanged = 0
        self.failure: StoreError | None = None
        self.withhold_all = ""  # a reason to withhold every output (the archive's own go out)

    def offer(self, key: str, body: bytes, entries: int | None = None) -> None:
        if self.failure is not None:
            return
        reason = unpublishable_reason(key, body, entries)
        if not reason and self.withhold_all and not key.startswith("archive/"):
            reason = self.withhold_all
        if reason:
            if reason != self.withhold_all:
                log.error("%s withheld: %s", key, reason)
            self.withheld[key] = reason
            return
        digest = md5_hex(body)
        if key.startswith("posts/"):
            self.posts[key] = body
        known = {key: self.stored[key]} if key in self.stored else {}
        uploads = plan_publish({key: body}, known, self.window_start)
        if not uploads:
            self.unchanged += 1
            self.published[key] = digest
            return
        written, self.failure = write_uploads(self.store, uploads)
        if written:
            self.written.append(key)
            self.written_digests.append(digest)
            self.published[key] = digest

    def offer_all(self, objects: Mapping[str, bytes]) -> None:
        """Objects already in hand (the archive documents), in the publishing order."""
        for upload in plan_publish(dict(objects), {}, self.window_start):
            self.offer(upload.key, upload.body)
