"""The XSS corpus in headless Chromium: the landing page, the feeds through feed-view.js and
embed.js on another origin show the payloads as text, with no element injected and
document.title untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import pytest
from browser import dump_dom, serve_site
from bs4 import BeautifulSoup
from live_browser import open_page
from tools import require_tool
from xss_corpus import (
    PAYLOADS,
    check_inert_html,
    check_page_dom,
    entry_url,
    is_http,
    page_titles,
    shown,
    visible_text,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def site(xss_site: Path) -> Path:
    return xss_site


@pytest.fixture(scope="module")
def served(site: Path):  # type: ignore[no-untyped-def]
    with serve_site(site) as url:
        yield url


def test_landing_page_in_chromium(site: Path, served: str) -> None:
    chromium = require_tool("chromium", "chromium")
    title = BeautifulSoup((site / "index.html").read_bytes(), "html.parser").title.get_text()
    soup = check_page_dom(dump_dom(chromium, served), relative_ok=True)
    assert soup.title.get_text() == title  # no payload ran
    titles = page_titles(soup)
    assert all(shown(p) in titles for p in PAYLOADS)


@pytest.mark.parametrize("ext", ["atom", "rss"])
def test_feed_through_its_view_in_chromium(served: str, ext: str, live_browser: Browser,
                                           live_browser_without_xslt: Browser) -> None:
    """feed-view.js over the corpus, with native XSLT and without: payloads show as text,
    each title links to its paper, nothing runs, nothing is blocked."""
    for browser in (live_browser, live_browser_without_xslt):
        with open_page(browser) as live:
            live.page.goto(f"{served}feeds/daily.{ext}", wait_until="load")
            live.page.locator("main article").first.wait_for(timeout=5000)
            live.page.wait_for_timeout(300)  # a payload that ran would have by now
            html = live.page.evaluate("() => document.documentElement.outerHTML")
            title = live.page.title()
            assert live.errors == [] and live.csp_violations == [], (live.errors,
                                                                     live.csp_violations)
            assert not [c for c in live.console if "xslt" in c.lower()], live.console
        doc = lxml.html.document_fromstring(html)
        assert not doc.xpath("//script | //style | //xslt-warning-banner")
        assert [link.get("href") for link in doc.xpath("//link")] == [
            f"{served}assets/favicon.png", f"{served}feed-view.css"]
        body = doc.find("body")
        assert body is not None and body.xpath("//article"), html[:500]
        check_inert_html(body, relative_ok=True)
        assert title.startswith("Hugging Face Daily Papers (")  # no payload ran
        soup = BeautifulSoup(html, "html.parser")
        headings = {" ".join(h.get_text().split()): h.find("a") for h in soup.select("article h2")}
        text = visible_text(soup)
        for i, payload in enumerate(PAYLOADS):
            # ranked by upvotes: payload i is #i+1, and links to its paper
            assert headings[f"#{i + 1} {shown(payload)}"].get("href") == entry_url(i)
            assert shown(f"Abstract {i}: {payload}") in text


HOST_PAGE = """<!doctype html><html><head><title>host</title></head><body>
<h1>Another site</h1>
<div id="papers" data-paperfeed="daily" data-count="50"></div>
<script src="{site}embed.js"></script>
</body></html>"""


def test_embed_on_another_origin_renders_the_payloads_as_text(
    site: Path, served: str, tmp_path: Path
) -> None:
    if not (site / "embed.js").is_file():
        pytest.skip("embed.js not built yet")
    chromium = require_tool("chromium", "chromium")
    (tmp_path / "index.html").write_text(HOST_PAGE.format(site=served), encoding="utf-8")
    with serve_site(tmp_path, site=False) as host:
        assert host != served  # a second origin: another port on loopback
        html = dump_dom(chromium, host)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text() == "host"
    assert [s.get("src") for s in soup.find_all("script")] == [f"{served}embed.js"]
    box = soup.select_one("#papers")
    items = box.select("li")
    daily = json.loads((site / "feeds/daily.json").read_bytes())["items"]
    assert len(items) == min(50, len(daily))
    assert [li.select_one("a").get_text() for li in items] == [i["title"] for i in daily[:50]]
    for el in box.find_all(True):
        assert el.name in {"ol", "li", "a", "div", "span"}, el
        assert not any(name.lower().startswith("on") for name in el.attrs), el
        if el.name == "a":
            assert is_http(el["href"]), el
    text = box.get_text(" ")
    for i, payload in enumerate(PAYLOADS):
        assert shown(payload) in text
        assert shown(f"Org {i}: {payload}") in text
