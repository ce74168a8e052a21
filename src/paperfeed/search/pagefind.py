"""A Pagefind bundle from search records: a shell around Pagefind's own binary (the
`pagefind_bin` wheel: the Lambda package carries its arm64 build), run once over a
temporary folder of one small HTML file per record.

Why Pagefind: it splits the index by word into small content-named chunks, so a query
loads the entry file, the language's metadata and the chunks of its words (not the whole
index), and a rebuild over unchanged records writes byte-identical files (unchanged
papers cost no upload). Only the files a search page needs are kept: not its UI kits.

Why the command and not Pagefind's Python API: the API's service reads one answer per
tenth of a second, so a year of papers added record by record takes minutes; the command
indexes a folder in one go.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from functools import cache
from html import escape
from pathlib import Path

from ..errors import SearchError
from ..render.inputs import digest
from .records import SearchRecord

# The bundle's files the search page loads (pagefind.js, its worker, the WebAssembly, the
# entry, the metadata, the chunks and fragments); Pagefind's UI kits are left out.
_KEEP_PREFIXES = ("pagefind.", "pagefind-worker.js", "pagefind-entry.json", "wasm.",
                  "index/", "fragment/", "filter/")
TIMEOUT_S = 120


def record_page(record: SearchRecord, language: str) -> str:
    """A record as the page Pagefind indexes: its text in the body, its link and the facts
    shown with a result as metadata (kept, though not searched: data-pagefind-ignore)."""
    meta = "".join(f'<span data-pagefind-meta="{escape(k)}">{escape(v)}</span>'
                   for k, v in (("url", record.url), *record.meta))
    body = "".join(f"<p>{escape(line)}</p>" for line in record.content.splitlines())
    return (f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{escape(record.title)}</title></head><body>"
            f'<div data-pagefind-ignore>{meta}</div>'
            f'<main data-pagefind-body><h1 data-pagefind-meta="title">{escape(record.title)}'
            f"</h1>{body}</main></body></html>")


def _path_of(record: SearchRecord) -> str:
    # Named after the record's own link, so a paper's fragment keeps its name (and bytes)
    # however many papers come before it: days/2026-06-01/p-2606.01234.html.
    return record.url.replace(".html#", "/") + ".html"


@cache
def bundle_version(language: str) -> str:
    """What a bundle's bytes depend on besides its papers: this file and records.py, the
    Pagefind binary's version and the language. Not the rest of the package: a change to
    the pages or the feeds must not rebuild every month's bundle (a deploy would then
    rebuild the whole index, in one run)."""
    from importlib import metadata, resources

    here = resources.files("paperfeed").joinpath("search")
    sources = [here.joinpath(name).read_bytes() for name in ("pagefind.py", "records.py")]
    return digest(sources, metadata.version("pagefind-bin"), language)


def build_bundle(records: Iterable[SearchRecord], language: str) -> dict[str, bytes]:
    """Path inside the bundle -> bytes. Raises SearchError when Pagefind cannot run or
    refuses the records (the run then keeps the published index)."""
    with tempfile.TemporaryDirectory(prefix="paperfeed-search-") as work:
        site, out = Path(work, "site"), Path(work, "bundle")
        try:
            for record in records:
                path = site / _path_of(record)
                if site not in path.resolve().parents:
                    raise ValueError(f"record {record.url[:80]!r} is outside the bundle")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(record_page(record, language), encoding="utf-8")
            site.mkdir(exist_ok=True)
            from pagefind_bin import get_executable

            done = subprocess.run(
                [str(get_executable()), "--site", str(site), "--output-path", str(out),
                 "--force-language", language, "--silent"],
                capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except (ImportError, OSError, ValueError, subprocess.SubprocessError) as exc:
            raise SearchError(f"search index not built: {type(exc).__name__}: {exc}") from exc
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip()[-500:]
            raise SearchError(f"search index not built: pagefind exited {done.returncode}: "
                              f"{reason}")
        files = {p.relative_to(out).as_posix(): p.read_bytes()
                 for p in out.rglob("*") if p.is_file()} if out.is_dir() else {}
    kept = {k: v for k, v in files.items() if k.startswith(_KEEP_PREFIXES)}
    if "pagefind-entry.json" not in kept:
        raise SearchError("search index not built: Pagefind wrote no pagefind-entry.json")
    return kept
