"""Where the site lives: a local folder or an S3 bucket, behind one small protocol.

Contract of every `Store`:
- keys are '/'-separated paths relative to the site root (`feeds/daily.atom`);
- `get` returns the stored bytes, or None when the key does not exist; any other failure
  raises `StoreError` (never a vendor exception);
- `put` writes bytes with their Content-Type and Cache-Control, replacing the object whole;
  with `expect` it is conditional: "" means "only if the key does not exist", an MD5 hex
  means "only if the stored bytes still have that MD5"; otherwise `ConflictError`, so a
  stale writer fails instead of overwriting newer data;
- `digests` maps every stored key to the MD5 hex of its bytes, in one listing, so that
  "unchanged" means "same bytes" and needs no per-object request.
One file per adapter: `folder` (a local folder) and `s3` (boto3, imported only there, so
folder mode never loads it).
"""

from __future__ import annotations

import hashlib
from typing import Protocol


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(
        self, key: str, body: bytes, content_type: str, cache_control: str,
        expect: str | None = None,
    ) -> None: ...

    def digests(self) -> dict[str, str]: ...


def md5_hex(body: bytes) -> str:
    # MD5 because it is what S3 reports as the ETag of a single-part upload; it detects
    # change, it guards nothing.
    return hashlib.md5(body, usedforsecurity=False).hexdigest()
