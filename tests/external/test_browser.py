"""The landing page and a feed opened in headless Chromium, read as a person sees them."""

from __future__ import annotations

import copy
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.request import urlopen

import lxml.etree
import pytest
from browser import dump_dom, serve_site
from bs4 import BeautifulSoup
from factories import NOW, client_for, site_config
from fake_hf import FakeHF
from live_browser import PHONE, open_page, xslt_runs
from tools import require_tool

from paperfeed.i18n import lang
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import run
from paperfeed.select.catalogue import CATALOGUE

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


PF = "https://github.com/paperfeed/paperfeed/ns/1.0"
ATOM = "http://www.w3.org/2005/Atom"
HOSTILE = "<script>document.title='pwned'</script> <img src=x onerror=alert(1)> Zoë 김민수"


def feed_entries(body: bytes) -> list[tuple[str, str, str]]:
    """(heading, link, upvotes) of each entry, in document order, as the feed has them."""
    root = lxml.etree.fromstring(body)
    ns = {"a": ATOM, "pf": PF}
    if root.tag == f"{{{ATOM}}}feed":
        items = [(e, e.findtext("a:title", namespaces=ns),
                  e.xpath("string(a:link[not(@rel) or @rel='alternate']/@href)", namespaces=ns))
                 for e in root.iterfind("a:entry", ns)]
    else:
        items = [(i, i.findtext("title"), i.findtext("link"))
                 for i in root.iterfind("channel/item")]
    return [(f"#{e.findtext('pf:rank', namespaces=ns)} {' '.join(title.split())}", link,
             e.findtext("pf:upvotes", namespaces=ns)) for e, title, link in items]


def read_feed_page(browser: Browser, url: str, **context: Any) -> dict[str, Any]:
    """The feed at `url` as `browser` shows it, with what the page logged."""
    with open_page(browser, **context) as live:
        live.page.goto(url, wait_until="load")
        live.page.locator("main article").first.wait_for(timeout=5000)
        shown = live.page.evaluate("""() => ({
            title: document.title,
            lang: document.documentElement.getAttribute("lang"),
            viewport: document.querySelector("meta[name=viewport]")?.getAttribute("content"),
            text: document.body.innerText,
            headings: [...document.querySelectorAll("main article h2")].map(h => ({
                text: h.textContent.replace(/\\s+/g, " ").trim(),
                href: h.querySelector("a").getAttribute("href")})),
            metas: [...document.querySelectorAll("main article .meta")].map(m => m.textContent),
            elements: [...document.querySelectorAll("*")].map(e => e.localName),
            banner: document.querySelectorAll("xslt-warning-banner").length,
            stylesheets: [...document.styleSheets].map(s => s.href),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            fontSize: getComputedStyle(document.body).fontSize,
        })""")
        live.page.wait_for_timeout(200)  # a late console message, a late violation
        return {**shown, "console": live.console, "errors": live.errors,
                "csp": live.csp_violations}


def check_feed_page(shown: dict[str, Any], body: bytes, site: str) -> None:
    entries = feed_entries(body)
    assert [(h["text"], h["href"]) for h in shown["headings"]] == [e[:2] for e in entries]
    assert entries[0][0] == "#1 EMBL AI Librarian: Life-Sciences Knowledge Layer for AI Agents"
    assert all(link.startswith("https://huggingface.co/papers/") for _, link, _ in entries)
    ranks = [int(h["text"].split()[0][1:]) for h in shown["headings"]]
    assert ranks[:3] == [1, 2, 3]
    for meta, (_, _, upvotes) in zip(shown["metas"], entries, strict=True):
        assert meta.startswith(f"▲ {int(upvotes):,} upvote"), meta
    assert "▲ 4 upvotes · 1 comment · 2026-08-03" in shown["metas"]
    assert any(m.startswith("▲ 292 upvotes · ") for m in shown["metas"])
    # Hostile text shows as text; nothing from it ran or became an element.
    assert any(h["text"].endswith(f" {HOSTILE}") for h in shown["headings"])
    assert "img" not in shown["elements"] and "script" not in shown["elements"]
    assert shown["title"] == "Hugging Face Daily Papers (feed)"
    assert shown["stylesheets"] == [f"{site}feed-view.css"]
    assert shown["viewport"] == "width=device-width, initial-scale=1"
    # No XSLT ran: no deprecation banner, no console line about it; nothing blocked.
    assert shown["banner"] == 0
    assert not [line for line in shown["console"] if "xslt" in line.lower()], shown["console"]
    assert shown["csp"] == [] and shown["errors"] == [], (shown["csp"], shown["errors"])
    assert shown["console"] == []


def test_the_switch_turns_native_xslt_off(live_browser: Browser,
                                          live_browser_without_xslt: Browser,
                                          tmp_path: Path) -> None:
    """What `NO_XSLT` is for: the same XSLT document is transformed by the browser as it
    ships (Chromium 156 still has XSLT) and left as XML by the one without it."""
    assert xslt_runs(live_browser, tmp_path)
    assert not xslt_runs(live_browser_without_xslt, tmp_path)


@pytest.mark.parametrize("ext", ["atom", "rss"])
def test_a_feed_opened_in_the_browser_reads_as_a_page(
    site: str, ext: str, live_browser: Browser, live_browser_without_xslt: Browser,
    tmp_path: Path,
) -> None:
    """With native XSLT (today's browsers) and without it (once removed) alike: the feed
    reads as a page, its entries in rank order, linked, with their counts."""
    assert not xslt_runs(live_browser_without_xslt, tmp_path)
    url = f"{site}feeds/daily.{ext}"
    with urlopen(url) as answer:  # noqa: S310 (loopback)
        body = answer.read()
    assert b"<?xml-stylesheet" not in body
    for browser in (live_browser, live_browser_without_xslt):
        shown = read_feed_page(browser, url)
        check_feed_page(shown, body, site)
        assert shown["lang"] == "en"
        assert "This is a web feed. To subscribe, copy its address into your feed reader: " \
               f"{url}" in " ".join(shown["text"].split()), shown["text"][:600]


def test_a_feed_in_a_family_folder_finds_the_view(site: str, live_browser: Browser) -> None:
    url = f"{site}feeds/topics/agents.atom"
    with open_page(live_browser) as live:
        live.page.goto(url, wait_until="load")
        live.page.locator("main").wait_for(timeout=5000)
        assert live.page.title().endswith(" (feed)")
        assert live.page.locator("header .home a").get_attribute("href") == site
        assert live.csp_violations == [] and live.errors == []


def test_a_feed_reads_at_phone_width(site: str, live_browser: Browser) -> None:
    """On a phone (390 CSS px, mobile viewport): the viewport meta is honoured (without it
    the page would be laid out 980px wide), nothing is wider than the screen."""
    url = f"{site}feeds/daily.atom"
    shown = read_feed_page(live_browser, url, viewport=PHONE, is_mobile=True)
    assert shown["innerWidth"] == PHONE["width"]
    assert shown["scrollWidth"] <= PHONE["width"]
    assert shown["fontSize"] == "16px"
    assert shown["csp"] == [] and shown["errors"] == []


def test_a_korean_sites_feed_view_speaks_korean(fake_hf: FakeHF, tmp_path: Path,
                                                live_browser_without_xslt: Browser) -> None:
    port = free_port()
    config = site_config(fake_hf.url, tmp_path, days=30, site_url=f"http://127.0.0.1:{port}/",
                         lang="ko")
    assert run(config, store=DirStore(tmp_path), client=client_for(fake_hf), now=NOW).status == "ok"
    with serve_site(tmp_path, port) as site:
        shown = read_feed_page(live_browser_without_xslt, f"{site}feeds/daily.atom")
    assert shown["lang"] == "ko" and shown["title"] == "Hugging Face 일간 논문 (피드)"
    text = " ".join(shown["text"].split())
    hint = "웹 피드입니다. 구독하려면 이 주소를 피드 리더에 복사하세요:"
    assert f"{hint} {site}feeds/daily.atom" in text
    assert "▲ 추천 4개 · 댓글 1개 · 2026-08-03" in shown["metas"]
    assert not [m for m in shown["metas"] if "upvote" in m or "comment" in m]
    assert shown["csp"] == [] and shown["errors"] == [] and shown["console"] == []
