"""The XSS corpus in headless Chromium: the landing page, the feeds through feed-view.js,
embed.js on another origin, and the archive's pages (the day, its month, an organisation's
and a topic's page, search results) show the payloads as text, with no element injected,
document.title untouched and no dialog opened."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import pytest
from browser import dump_dom, free_port, serve_site
from bs4 import BeautifulSoup
from live_browser import PHONE, LivePage, open_page
from tools import require_tool
from xss_corpus import (
    DAY,
    PAYLOADS,
    PWN,
    build_site,
    check_inert_html,
    check_page_dom,
    entry_url,
    is_http,
    page_titles,
    paper_id,
    shown,
    visible_text,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


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


# --- the archive's pages, live ------------------------------------------------------------
# They link absolutely, from SITE_URL (their stylesheet, search.js, the search index): this
# site is built for the address it is served at, so search runs as deployed.

@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    out = build_site(tmp_path_factory.mktemp("xss-archive"), f"http://127.0.0.1:{port}/")
    with serve_site(out, port) as url:
        yield url


HOSTILE = {paper_id(i): shown(p) for i, p in enumerate(PAYLOADS)}
# What a page of ours may hold: no script but search.js (the search page's own), nothing
# that runs or loads code, no handler; links and images http(s) only.
INERT_DOM = """(site) => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (tag === "script" && el.src !== site + "assets/search.js") bad.push(el.outerHTML);
    if (["iframe", "frame", "object", "embed", "svg", "math", "base", "template",
         "textarea", "xmp"].includes(tag)) bad.push(el.outerHTML);
    if (tag === "style" || (tag === "link" && el.rel === "import")) bad.push(el.outerHTML);
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith("on") || a.name === "style") bad.push(el.outerHTML);
    }
    for (const name of ["href", "src", "action", "formaction"]) {
      const v = el.getAttribute(name);
      const http = v !== null && ["http://", "https://"].some((s) => v.toLowerCase().startsWith(s));
      if (v !== null && !http) bad.push(`${tag} ${name}=${v}`);
    }
  }
  return bad.map((b) => b.slice(0, 200));
}"""


def check_inert(page: Page, site: str, dialogs: list[str]) -> None:
    """Nothing ran (the payloads' only effects: document.title and a dialog) and nothing
    was injected (INERT_DOM)."""
    assert "pwned" not in page.title() and page.title().endswith("paperfeed"), page.title()
    assert dialogs == []
    assert page.evaluate(INERT_DOM, site) == []


def hostile_titles(page: Page, selector: str) -> dict[str, str]:
    """arXiv id -> the title a row shows, for the corpus's papers among the rows."""
    rows = page.locator(selector).evaluate_all("""links => links.map(a => [
        a.href.split("#p-").pop(), a.textContent])""")
    return {i: " ".join(t.split()) for i, t in rows if i in HOSTILE}


@pytest.mark.parametrize("path", [f"days/{DAY}.html", f"months/{DAY[:7]}.html",
                                  "orgs/org.html", "topics/reasoning.html"])
def test_archive_pages_show_the_payloads_as_text(
    archive_site: str, path: str, live_browser: Browser
) -> None:
    # The CSP bypassed: it is what stops a payload that got into the markup; here the
    # markup itself must be inert (a payload that ran would set the title or open a dialog:
    # an unescaped title in the day page fails at check_inert, the title being "pwned").
    with open_page(live_browser, bypass_csp=True) as live:
        page, dialogs = live.page, []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        response = page.goto(archive_site + path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("load")
        check_inert(page, archive_site, dialogs)
        if path.startswith("days/"):
            ids = page.locator("ol.day > li").evaluate_all("lis => lis.map(li => li.id)")
            titles = {i[2:]: t for i, t in zip(ids, [" ".join(t.split()) for t in page.locator(
                "ol.day > li h3").all_text_contents()], strict=True) if i[2:] in HOSTILE}
        else:  # rows link to the paper's place on its day: days/<day>.html#p-<id>
            titles = hostile_titles(page, "ol.top h3 a")
        expected = {"days/": len(HOSTILE), "months": 20, "orgs/": len(HOSTILE), "topics": 1}
        assert len(titles) == next(n for k, n in expected.items() if path.startswith(k))
        assert titles == {i: HOSTILE[i] for i in titles}  # each payload as its own text
        if path.startswith("days/"):
            text = " ".join(page.locator("ol.day").inner_text().split())
            assert all(shown(f"Abstract {i}: {p}") in text for i, p in enumerate(PAYLOADS))
        assert live.errors == []


def test_search_results_show_the_payloads_as_text(
    archive_site: str, live_browser: Browser, live_page: LivePage
) -> None:
    """Results are built from the index (title, day, organisation, an excerpt with <mark>s):
    a query every PWN payload holds brings them all, as text, and nothing runs. (search.js
    setting a title by innerHTML fails: the payloads' markup is parsed, not shown.)"""
    with_pwn = {paper_id(i): shown(p) for i, p in enumerate(PAYLOADS) if PWN in p}
    url = f"{archive_site}search.html?q=pwned"
    with open_page(live_browser, bypass_csp=True) as live:
        page, dialogs = live.page, []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.locator("#search-results li").first.wait_for()
        assert hostile_titles(page, "#search-results h3 a") == with_pwn
        assert page.locator("#search-status").inner_text() == f"{len(with_pwn)} papers found."
        tags = page.locator("#search-results *").evaluate_all("els => els.map(e => e.localName)")
        assert set(tags) <= {"li", "span", "div", "h3", "a", "p", "mark"}, set(tags)
        excerpts = " ".join(page.locator("#search-results .excerpt").all_text_contents())
        assert "<script>" in excerpts  # the payload's markup, shown as characters
        check_inert(page, archive_site, dialogs)
        assert live.errors == []
    # And as deployed: under the CSP, with nothing blocked (no payload even tried to run).
    live_page.page.goto(url)
    live_page.page.locator("#search-results li").first.wait_for()
    assert hostile_titles(live_page.page, "#search-results h3 a") == with_pwn
    assert live_page.csp_violations == [], live_page.console
    assert live_page.errors == []


def test_long_payloads_do_not_widen_the_archive_pages_at_phone_width(
    archive_site: str, live_browser: Browser
) -> None:
    """Payloads are long runs with no space (markup, URLs): titles, names and excerpts must
    break rather than push a phone's page sideways (a mobile browser then zooms the page
    out, which widens innerWidth: so it must stay the device's)."""
    paths = [f"days/{DAY}.html", f"months/{DAY[:7]}.html", "orgs/org.html", "search.html?q=pwned"]
    with open_page(live_browser, viewport=PHONE, is_mobile=True, has_touch=True) as live:
        for path in paths:
            live.page.goto(archive_site + path)
            if "?q=" in path:
                live.page.locator("#search-results li").first.wait_for()
            scroll, inner = live.page.evaluate(
                "[document.documentElement.scrollWidth, innerWidth]")
            assert scroll <= inner == PHONE["width"], (path, scroll, inner)
