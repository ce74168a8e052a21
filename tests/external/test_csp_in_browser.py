"""The deployed Content-Security-Policy (template.yaml's, which `paperfeed serve` sends too)
in headless Chromium: the landing page and the feeds through feed-view.js render with nothing
of ours blocked, and a policy without the page's style hash is seen to block it."""

from __future__ import annotations

import socket
from pathlib import Path

import lxml.html
import pytest
from browser import dump_dom_and_console, serve_site
from factories import NOW, client_for, site_config
from fake_hf import FakeHF
from tools import require_tool

from paperfeed.entrypoints import serve
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import run

CSP_MESSAGE = "Content Security Policy"


@pytest.fixture
def site(fake_hf: FakeHF, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A site whose SITE_URL is the loopback server it is served from: 'self', as deployed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = site_config(fake_hf.url, tmp_path, days=30, site_url=f"http://127.0.0.1:{port}/")
    assert run(config, store=DirStore(tmp_path), client=client_for(fake_hf), now=NOW).status == "ok"
    with serve_site(tmp_path, port) as url:
        yield url


def _violations(lines: list[str]) -> list[str]:
    return [line for line in lines if CSP_MESSAGE in line]


@pytest.mark.parametrize("path", ["", "feeds/daily.atom", "feeds/digest.rss"])
def test_the_policy_blocks_nothing_the_site_uses(site: str, path: str) -> None:
    chromium = require_tool("chromium", "chromium")
    dom, console = dump_dom_and_console(chromium, site + path)
    assert _violations(console) == []
    assert not [line for line in console if "XSLT" in line], console  # no XSLT runs
    doc = lxml.html.document_fromstring(dom)
    assert doc.xpath("//ol[@class='papers']/li" if not path else "//article"), dom[:500]
    # The page's one <style> block (by hash); a feed's view links feed-view.css ('self').
    assert len(doc.xpath("//style")) == (0 if path else 1)
    if path:
        assert doc.xpath("//link[@rel='stylesheet']/@href") == [site + "feed-view.css"]


def test_a_policy_without_the_style_hash_is_seen_blocking_it(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    chromium = require_tool("chromium", "chromium")
    strict = serve.CONTENT_SECURITY_POLICY.replace("style-src 'self' 'sha256-",
                                                   "style-src 'self' 'x-")
    assert strict != serve.CONTENT_SECURITY_POLICY
    monkeypatch.setitem(serve.SECURITY_HEADERS, "Content-Security-Policy", strict)
    dom, console = dump_dom_and_console(chromium, site)
    assert any("style-src" in line for line in _violations(console)), console
