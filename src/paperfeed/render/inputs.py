"""What a published object is made from, as one digest: the code that renders it, the options
it is rendered with and the archive data it shows. Equal digests mean equal bytes, so a run
renders an object only when its digest is not the one it was last published with. Pure
(the code's digest reads the package's own files, once per process).

A digest is exact, not a guess on times: it covers every field of every paper an object shows
(their `repr`, translations included), the terms that put a paper in a topic feed, the feed's
own texts, the site's options, and every file of the package (a release changes them all).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import resources

from ..models import Paper, RankedPaper

# What the package renders with: its code, catalogues, shipped topics and site files.
_CODE_SUFFIXES = (".py", ".toml", ".mo", ".js", ".png", ".css", ".html")


def digest(*parts: object) -> str:
    """One digest of the `repr` of `parts` (frozen dataclasses, tuples, strings, dates)."""
    return hashlib.md5(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


@cache
def code_version() -> str:
    """The digest of every file the package renders with."""
    h = hashlib.md5(usedforsecurity=False)
    stack = [resources.files("paperfeed")]
    files = []
    while stack:
        for entry in stack.pop().iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(entry)
            elif entry.name.endswith(_CODE_SUFFIXES):
                files.append(entry)
    for entry in sorted(files, key=lambda e: str(e)):
        h.update(entry.name.encode())
        h.update(entry.read_bytes())
    return h.hexdigest()


class PaperDigests:
    """Each paper's digest, made once per run however many objects show it."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Paper, str]] = {}

    def of(self, paper: Paper) -> str:
        known = self._seen.get(id(paper))
        if known is None or known[0] is not paper:
            known = self._seen[id(paper)] = (paper, digest(paper))
        return known[1]

    def of_ranked(self, items: Iterable[RankedPaper]) -> tuple[tuple[int, str], ...]:
        return tuple((r.rank, self.of(r.paper)) for r in items)
