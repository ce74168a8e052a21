"""Regenerate the README screenshots from a freshly built demo site.

    .venv/bin/python scripts/screenshots.py   (or: make screenshots)

Builds the site from the recorded HF responses (tests/fake_hf.py), serves it with
`paperfeed serve`'s handler and photographs it in headless Chromium (Debian `chromium`;
the Korean post needs a CJK font, Debian `fonts-noto-cjk`, or Hangul shows as boxes).
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import screenshot, serve_site  # noqa: E402
from fake_hf import FakeHF  # noqa: E402

from paperfeed.config import Config  # noqa: E402
from paperfeed.fetch.hf import HFClient, make_session  # noqa: E402
from paperfeed.publish.stores.folder import DirStore  # noqa: E402
from paperfeed.run import run  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHOTS = (
    ("index.png", "", 1200, 1500),
    ("index-phone.png", "", 390, 1400),
    ("feed.png", "feeds/daily.atom", 1000, 1100),
    ("feed-phone.png", "feeds/daily.atom", 390, 1100),
    ("day.png", "days/2026-07-31.html", 1200, 1500),
    ("day-phone.png", "days/2026-07-31.html", 390, 1400),
    ("month.png", "months/2026-07.html", 1200, 1300),
)
# The search runs Pagefind's WebAssembly in a worker, which Chromium's --screenshot does not
# wait for: these go through Playwright, photographed once the results are there.
SEARCH_SHOTS = (
    ("search.png", "search.html?q=reinforcement", 1200, 1100),
    ("search-phone.png", "search.html?q=reinforcement", 390, 1200),
)
# A page of "another site" embedding the widget, as the README shows it.
EMBED_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>My blog</title>
<style>body{{font:16px/1.5 Georgia,serif;max-width:40rem;margin:2rem auto;color:#222}}</style>
</head><body><h2>Latest Hugging Face papers</h2>
<div data-paperfeed="daily" data-count="5"></div>
<script src="{site}embed.js" async></script></body></html>"""


def main() -> int:
    chromium = shutil.which("chromium")
    if not chromium:
        print("screenshots: chromium not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with socket.socket() as s:
        # Port 8000 when free, so the URLs in the pictures look like a local preview's.
        try:
            s.bind(("127.0.0.1", 8000))
        except OSError:
            s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fake = FakeHF().start()
    try:
        with tempfile.TemporaryDirectory() as site:
            config = Config(date=date(2026, 8, 3), days=30, out=site, hf_url=fake.url,
                            site_url=f"http://127.0.0.1:{port}/", site_url_is_default=False)
            client = HFClient(fake.url, make_session(backoff=0))
            now = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
            run(config, store=DirStore(site), client=client, now=now)
            with serve_site(Path(site), port) as url:
                for name, path, width, height in SHOTS:
                    screenshot(chromium, url + path, OUT / name, width, height)
                    print(f"screenshots: wrote {(OUT / name).relative_to(ROOT)}")
                search_shots(chromium, url)
                with tempfile.TemporaryDirectory() as host_dir:
                    (Path(host_dir) / "index.html").write_text(EMBED_PAGE.format(site=url))
                    with serve_site(Path(host_dir), site=False) as host:
                        screenshot(chromium, host, OUT / "embed.png", 700, 420)
                        print("screenshots: wrote docs/screenshots/embed.png")
        blog_post(chromium)
    finally:
        fake.stop()
    return 0


def search_shots(chromium: str, url: str) -> None:
    from live_browser import launch, open_page

    with launch(chromium) as browser:
        for name, path, width, height in SEARCH_SHOTS:
            with open_page(browser, viewport={"width": width, "height": height}) as live:
                live.page.goto(url + path)
                live.page.locator("#search-results li").first.wait_for(timeout=20000)
                live.page.screenshot(path=OUT / name)
            print(f"screenshots: wrote {(OUT / name).relative_to(ROOT)}")


def blog_post(chromium: str) -> None:
    """A daily post as a Jekyll blog renders it (Korean labels, Seoul dates)."""
    if not shutil.which("jekyll"):
        print("screenshots: jekyll not installed (apt-get install jekyll); skipped the post")
        return
    from blog_sites import build_jekyll_demo

    with tempfile.TemporaryDirectory() as folder:
        build_jekyll_demo(Path(folder), lang="ko")
        with serve_site(Path(folder) / "site", site=False) as url:
            screenshot(chromium, url + "posts/hf-daily-papers-2026-07-31/",
                       OUT / "blog-post.png", 900, 1300)
    print("screenshots: wrote docs/screenshots/blog-post.png")


if __name__ == "__main__":
    sys.exit(main())
