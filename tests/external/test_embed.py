"""embed.js on another site: a page on a second loopback origin shows the top papers."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from browser import dump_dom, serve_site
from bs4 import BeautifulSoup
from factories import run_local
from fake_hf import FakeHF
from tools import require_tool

HOST_PAGE = """<!doctype html><html><head><title>host</title></head><body>
<h1>My research blog</h1>
<div id="top" data-paperfeed="daily" data-count="3"></div>
<div id="wk" data-paperfeed="weekly"></div>
<div id="bad" data-paperfeed="../../etc/passwd"></div>
<script src="{site}embed.js" async></script>
</body></html>"""


def test_embed_renders_top_papers_on_another_origin_as_text(
    fake_hf: FakeHF, tmp_path: Path
) -> None:
    chromium = require_tool("chromium", "chromium")
    hostile = copy.deepcopy(fake_hf.days["2026-08-03"][0])
    hostile["paper"].update(id="2608.77777", upvotes=999,
                            title='<img src=x onerror="document.title=\'pwned\'">Top paper',
                            organization={"fullname": "<b>Org</b>"})
    fake_hf.days["2026-08-03"].append(hostile)
    site_dir, host_dir = tmp_path / "site", tmp_path / "host"
    run_local(fake_hf, site_dir, days=30)
    host_dir.mkdir()
    with serve_site(site_dir) as site, serve_site(host_dir, site=False) as host:
        (host_dir / "index.html").write_text(HOST_PAGE.format(site=site))
        soup = BeautifulSoup(dump_dom(chromium, host), "html.parser")

    daily = json.loads((site_dir / "feeds/daily.json").read_bytes())["items"]
    top = soup.select("#top li")
    assert len(top) == 3
    assert [li.select_one("a.pf-title").get_text() for li in top] == [i["title"] for i in daily[:3]]
    first = top[0]
    assert first.select_one("a")["href"] == "https://huggingface.co/papers/2608.77777"
    assert first.select_one(".pf-up").get_text() == "▲ 999"
    assert first.select_one(".pf-org").get_text() == "<b>Org</b>"
    assert not soup.select("img") and not soup.select("#top b")
    assert soup.title.get_text() == "host"
    assert len(soup.select("#wk li")) == 5  # default count
    assert soup.select_one("#bad").get_text() == ""  # a bad feed name fetches nothing
