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
boto3 is imported by the S3 adapter only: folder mode never loads it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Protocol

from .aws import error_code
from .errors import ConflictError, StoreError


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


class DirStore:
    """A local folder, written atomically (temp file + rename) so readers never see halves."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise StoreError(f"{key}: outside the site folder")
        return path

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"read {key}: {exc}") from None

    def put(
        self, key: str, body: bytes, content_type: str, cache_control: str,
        expect: str | None = None,
    ) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock() if expect is not None else nullcontext():
                if expect is not None:
                    current = md5_hex(path.read_bytes()) if path.exists() else ""
                    if current != expect:
                        raise ConflictError(f"write {key}: changed since it was read")
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(body)
                os.replace(tmp, path)
        except OSError as exc:
            raise StoreError(f"write {key}: {exc}") from None

    @contextmanager
    def _lock(self) -> Iterator[None]:
        # Check-and-replace under one lock, so two local runs behave like S3's If-Match.
        # The lock is the folder itself, so no lock file lands in the published site.
        self.root.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def digests(self) -> dict[str, str]:
        if not self.root.is_dir():
            return {}
        out: dict[str, str] = {}
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                out[path.relative_to(self.root).as_posix()] = md5_hex(path.read_bytes())
        return out


class S3Store:
    """An S3 bucket (or anything speaking S3: moto's server via AWS_ENDPOINT_URL)."""

    def __init__(self, bucket: str, client: object | None = None) -> None:
        self.bucket = bucket
        if client is None:
            import boto3  # only here: the folder mode must not pay for it
            from botocore.config import Config

            client = boto3.client(
                "s3", config=Config(retries={"mode": "standard", "max_attempts": 5})
            )
        self._s3 = client

    def _error(self, action: str, key: str, exc: Exception) -> StoreError:
        return StoreError(f"{action} s3://{self.bucket}/{key}: {exc}")

    def get(self, key: str) -> bytes | None:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=key)  # type: ignore[attr-defined]
            return response["Body"].read()
        except Exception as exc:  # botocore's errors are mapped here, in one place
            if error_code(exc) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise self._error("get", key, exc) from None

    def put(
        self, key: str, body: bytes, content_type: str, cache_control: str,
        expect: str | None = None,
    ) -> None:
        condition = {}
        if expect == "":
            condition = {"IfNoneMatch": "*"}
        elif expect:
            condition = {"IfMatch": f'"{expect}"'}
        try:
            self._s3.put_object(  # type: ignore[attr-defined]
                Bucket=self.bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                CacheControl=cache_control,
                **condition,
            )
        except Exception as exc:
            if error_code(exc) in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise ConflictError(f"put s3://{self.bucket}/{key}: changed since read") from None
            raise self._error("put", key, exc) from None

    def digests(self) -> dict[str, str]:
        out: dict[str, str] = {}
        try:
            paginator = self._s3.get_paginator("list_objects_v2")  # type: ignore[attr-defined]
            for page in paginator.paginate(Bucket=self.bucket):
                for obj in page.get("Contents", []):
                    out[obj["Key"]] = obj["ETag"].strip('"')
        except Exception as exc:
            raise self._error("list", "", exc) from None
        return out
