"""The archive's search on a year of archive: what a query loads, what a run uploads.

    .venv/bin/python bench/search.py [--days 365] [--per-day 30]   (also run by `make bench`)

Writes a generated archive (bench/archive_gen.py: realistic field sizes) of `--days` days,
runs `paperfeed run` over it (the archive site and its monthly Pagefind bundles), serves
the site with `paperfeed serve`'s handler and, in headless Chromium (Playwright), types
queries into search.html, counting the bytes of every search/ file each query makes the
browser fetch (the bundle's files are fetched as they are, compressed by Pagefind). Then it
runs again unchanged, and again with one paper's abstract changed, and counts the files each
run wrote under search/ and in all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import archive_gen  # noqa: E402
from browser import serve_site  # noqa: E402

from paperfeed.config import Config  # noqa: E402
from paperfeed.publish.stores.folder import DirStore  # noqa: E402
from paperfeed.run import run  # noqa: E402

QUERIES = ("reinforcement", "diffusion model", "zoë", "benchmark agents")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(site: Path, site_url: str, hf_url: str, end: date, now: datetime):  # noqa: ANN202
    """A scheduled run: the latest day fetched again, the whole archive site brought up
    to date."""
    from paperfeed.fetch.hf import HFClient, make_session

    config = Config(date=end, days=1, out=str(site), hf_url=hf_url, site_url=site_url,
                    site_url_is_default=False)
    return run(config, store=DirStore(site), client=HFClient(hf_url, make_session(backoff=0)),
               now=now)


KINDS = ((".pf_fragment", "result fragments"), (".pf_index", "word chunks"),
         (".pf_meta", "metadata"), (".pagefind", "wasm"), (".js", "scripts"),
         (".json", "entry"))


def _by_kind(files: dict[str, int]) -> dict[str, list[int]]:
    """Bytes fetched per kind of bundle file: kind -> [files, bytes]."""
    out: dict[str, list[int]] = {}
    for url, n in files.items():
        kind = next((k for suffix, k in KINDS if url.split("?")[0].endswith(suffix)), "other")
        out.setdefault(kind, [0, 0])
        out[kind][0] += 1
        out[kind][1] += n
    return out


def _query_bytes(url: str, queries: tuple[str, ...]) -> list[dict]:
    from live_browser import launch, open_page, type_and_wait

    out = []
    with launch(shutil.which("chromium") or "chromium") as browser:
        for query in queries:
            with open_page(browser) as live:
                fetched: dict[str, int] = {}

                def on_response(response, fetched=fetched) -> None:  # noqa: ANN001
                    if "/search/" in response.url:
                        try:
                            fetched[response.url] = len(response.body())
                        except Exception:  # noqa: BLE001 (a redirect has no body)
                            fetched[response.url] = 0

                live.page.on("response", on_response)
                live.page.goto(url + "search.html")
                live.page.wait_for_load_state("networkidle")
                start = dict(fetched)
                hits = type_and_wait(live.page, "#q", query, "#search-results li", timeout=20000)
                live.page.wait_for_load_state("networkidle")
                found = hits.count()
                query_files = {u: n for u, n in fetched.items() if u not in start}
                out.append({"query": query, "results_shown": found,
                            "page_load_files": len(start),
                            "page_load_bytes": sum(start.values()),
                            "query_files": len(query_files),
                            "query_bytes": sum(query_files.values()),
                            "total_bytes": sum(fetched.values()),
                            "query_bytes_by_kind": _by_kind(query_files)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=30)
    args = parser.parse_args()
    end = archive_gen.END
    port = _free_port()
    site_url = f"http://127.0.0.1:{port}/"
    items = archive_gen.generate_items(end, args.days, args.per_day)
    days = archive_gen.papers_of(items)
    now = datetime.combine(end, datetime.min.time(), UTC) + timedelta(hours=14)
    from fake_hf import FakeHF

    fake = FakeHF(days=items).start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-search-") as work:
            site = Path(work, "site")
            archive_gen.write_archive(site, days)
            first = _run(site, site_url, fake.url, end, now)
            by_bundle: dict[str, list[int]] = {}
            for p in (site / "search").rglob("*"):
                if p.is_file():
                    bundle = by_bundle.setdefault(p.relative_to(site / "search").parts[0], [0, 0])
                    bundle[0] += 1
                    bundle[1] += p.stat().st_size
            with serve_site(site, port) as url:
                queries = _query_bytes(url, QUERIES)
            second = _run(site, site_url, fake.url, end, now + timedelta(hours=1))
            # HF corrects one abstract of the latest day: the run fetches it again.
            item = fake.days[end.isoformat()][0]
            for where in (item, item["paper"]):
                where["summary"] += " Revised: a sentence about quokkas."
            third = _run(site, site_url, fake.url, end, now + timedelta(hours=2))
    finally:
        fake.stop()
    result = {
        "archive": {"days": args.days, "papers": sum(len(d.papers) for d in days.values())},
        "bundles": {k: {"files": n, "bytes": b} for k, (n, b) in sorted(by_bundle.items())},
        "queries": queries,
        "runs": {
            "first": {"status": str(first.status), "written": len(first.written),
                      "search_written": sum(k.startswith("search/") for k in first.written)},
            "unchanged": {"status": str(second.status), "written": len(second.written),
                          "search_written": sum(k.startswith("search/")
                                                for k in second.written)},
            "one_abstract_changed": {
                "status": str(third.status), "written": len(third.written),
                "search_written": sorted(k for k in third.written if k.startswith("search/"))},
        },
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
