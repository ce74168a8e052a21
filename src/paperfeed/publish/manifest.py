"""The store's record of what each published object was made from. Pure.

`state/manifest.json` maps every published object to the digest of its inputs
(`render/inputs.py`) and the ETag it was stored with, and holds the digest of the whole last
clean run's inputs. A run whose inputs are that digest stops after fetching; otherwise an
object is rendered only when its inputs' digest changed or the stored object is no longer
the one recorded (someone replaced or removed it). The manifest is read as untrusted input:
anything that is not one is an empty manifest, and the run renders everything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

KEY = "state/manifest.json"
SCHEMA = 1
_HEX32 = frozenset("0123456789abcdef")


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and len(value) == 32 and set(value) <= _HEX32


@dataclass(frozen=True)
class Manifest:
    run: str = ""  # the inputs of the last clean run; "" when it was not clean
    # key -> (inputs digest, ETag of the object as it was stored)
    objects: Mapping[str, tuple[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))

    def still_published(self, stored: Mapping[str, str]) -> dict[str, str]:
        """Key -> inputs digest of the recorded objects the store still holds unchanged."""
        return {k: inputs for k, (inputs, etag) in self.objects.items() if stored.get(k) == etag}

    def whole(self, stored: Mapping[str, str]) -> bool:
        """Every recorded object is in the store as it was recorded."""
        return bool(self.objects) and len(self.still_published(stored)) == len(self.objects)


def decode_manifest(body: bytes | None) -> tuple[Manifest, str]:
    """The stored manifest and "" — or an empty one and why the stored bytes are not one."""
    if body is None:
        return Manifest(), ""
    try:
        doc = json.loads(body)
    except ValueError as exc:
        return Manifest(), f"not JSON: {exc}"
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        return Manifest(), "not a manifest of this schema"
    run, objects = doc.get("run", ""), doc.get("objects")
    if not isinstance(objects, dict) or not (run == "" or _is_digest(run)):
        return Manifest(), "malformed"
    kept = {k: (v[0], v[1]) for k, v in objects.items()
            if isinstance(v, list) and len(v) == 2 and _is_digest(v[0]) and _is_digest(v[1])}
    if len(kept) != len(objects):
        return Manifest(), "malformed records"
    return Manifest(run, MappingProxyType(kept)), ""


def encode_manifest(manifest: Manifest) -> bytes:
    """Same manifest, same bytes (sorted keys), so an unchanged run writes nothing."""
    doc = {"schema": SCHEMA, "run": manifest.run,
           "objects": {k: list(v) for k, v in sorted(manifest.objects.items())}}
    return json.dumps(doc, indent=0, sort_keys=True).encode("utf-8")


def next_manifest(previous: Manifest, inputs: Mapping[str, str], kept: Mapping[str, str],
                  published: Mapping[str, str], run: str) -> Manifest:
    """After a publish: every object of this run's site that the store now holds as
    rendered (`published`: key -> ETag of the bytes rendered and written or already there)
    or kept from before (`kept`: not rendered, its recorded version still stored). An object
    rendered but withheld is left out, so the next run renders it again."""
    objects: dict[str, tuple[str, str]] = {}
    for key, digest in inputs.items():
        if key in published:
            objects[key] = (digest, published[key])
        elif key in kept and kept[key] == digest:
            objects[key] = previous.objects[key]
    return Manifest(run, MappingProxyType(objects))
