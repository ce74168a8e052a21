"""The folder store: a local directory, written atomically and locked for concurrent runs."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from ...errors import ConflictError, StoreError
from .base import md5_hex


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
                # mkstemp creates the temp file exclusively (O_EXCL, never through a symlink
                # planted at a guessable name), then one rename puts it in place.
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                           dir=path.parent)
                try:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(body)
                    os.chmod(tmp, 0o644)
                    os.replace(tmp, path)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
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
