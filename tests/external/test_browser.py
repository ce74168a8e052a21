"""The landing page and a feed opened in headless Chromium, read as a person sees them."""

from __future__ import annotations

import copy
import socket
from pathlib import Path

import pytest
from browser import dump_dom, serve_site
from bs4 import BeautifulSoup
from factories import NOW, client_for, site_config
from fake_hf import FakeHF
from tools import require_tool

from paperfeed.i18n import lang
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import run
from paperfeed.select.catalogue import CATALOGUE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site(fake_hf: FakeHF, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A site whose SITE_URL is the loopback server it is served from, as when deployed."""
    hostile = copy.deepcopy(fake_hf.days["2026-08-03"][0])
    hostile["paper"].update(id="2608.66666", title="<script>document.title='pwned'</script>"
                            " <img src=x onerror=alert(1)> Zoë 김민수", upvotes=1)
    fake_hf.days["2026-08-03"].append(hostile)
    port = free_port()
    config = site_config(fake_hf.url, tmp_path, days=30, site_url=f"http://127.0.0.1:{port}/")
    assert run(config, store=DirStore(tmp_path), client=client_for(fake_hf), now=NOW).status == "ok"
    with serve_site(tmp_path, port) as url:
        yield url


def visible(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for node in soup(["style", "script", "head"]):
        node.decompose()
    return " ".join(soup.get_text(" ").split())


def test_landing_page_lists_every_feed_and_the_ranked_day(site: str) -> None:
    chromium = require_tool("chromium", "chromium")
    html = dump_dom(chromium, site)
    text = visible(html)
    for spec in CATALOGUE:
        en = lang("en")
        assert en._(spec.title, **spec.params) in text
        assert en._(spec.description, **spec.params) in text
        for ext in ("atom", "rss", "json"):
            assert f"{site}feeds/{spec.name}.{ext}" in text
    assert "Papers of August 3, 2026, ranked by upvotes" in text
    assert "#1 EMBL AI Librarian: Life-Sciences Knowledge Layer for AI Agents" in text
    assert "Last updated 2026-08-03 14:00 UTC" in text
    soup = BeautifulSoup(html, "html.parser")
    alternates = {link["href"] for link in soup.find_all("link", rel="alternate")}
    assert f"{site}feeds/daily.atom" in alternates and f"{site}feeds.opml" in alternates
    # Hostile text shows as text; nothing from it runs or becomes an element.
    assert "<script>document.title='pwned'</script> <img src=x onerror=alert(1)> Zoë 김민수" in text
    assert soup.title.string != "pwned"
    assert not soup.select("img[src=x]") and len(soup.find_all("script")) == 0


@pytest.mark.parametrize("ext", ["atom", "rss"])
def test_a_feed_opened_in_the_browser_reads_as_a_page(site: str, ext: str) -> None:
    chromium = require_tool("chromium", "chromium")
    html = dump_dom(chromium, f"{site}feeds/daily.{ext}")
    text = visible(html)
    assert "Hugging Face Daily Papers" in text
    assert f"This is a web feed. To subscribe, copy its address into your feed reader: " \
           f"{site}feeds/daily.{ext}" in text
    assert "#1 EMBL AI Librarian: Life-Sciences Knowledge Layer for AI Agents" in text
    assert "▲ 4 upvotes · 1 comment · 2026-08-03" in text
    assert "▲ 292 upvotes" in text
    soup = BeautifulSoup(html, "html.parser")
    assert "<script>document.title='pwned'</script>" in text
    assert not soup.select("img[src=x]") and not soup.find_all("script")
