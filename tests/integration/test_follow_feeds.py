"""Feeds to follow through whole runs: a month of real HF days from the loopback fake, the
deployer's feeds file (a local file and one in the store), the lists that show the families
(landing page, OPML, feeds/index.json), and a bad file that stops the run before any fetch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from factories import client_for, site_config
from fake_hf import FakeHF, june_days
from lxml import etree

from paperfeed.config import load_config
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import RunSummary, run

BIN = Path(sys.executable).parent / "paperfeed"
NOW = datetime(2026, 6, 30, 14, 0, tzinfo=UTC)
FEEDS_FILE = '''
[[feed]]
slug = "diffusion-10"
title = "Diffusion, 10+ upvotes"
description = "Diffusion papers with at least 10 upvotes, no surveys."
include = ["diffusion"]
exclude = ["survey"]
min_upvotes = 10

[[feed]]
slug = "nvidia-code"
title = { en = "NVIDIA, with code", ko = "NVIDIA, 코드 포함" }
organizations = ["nvidia"]
has_code = true
window = 30
top = 3
'''


@pytest.fixture
def june_hf() -> FakeHF:
    fake = FakeHF(june_days()).start()
    yield fake
    fake.stop()


def june_run(fake: FakeHF, out: Path, **options: object) -> RunSummary:
    config = site_config(fake.url, out, on=date(2026, 6, 30), days=30, **options)
    return run(config, store=DirStore(out), client=client_for(fake), now=NOW)


def test_a_month_publishes_every_family_with_its_lists(june_hf: FakeHF, tmp_path: Path) -> None:
    (tmp_path / "feeds.toml").write_text(FEEDS_FILE, encoding="utf-8")
    config = load_config({}, {"feeds_file": str(tmp_path / "feeds.toml")})
    site = tmp_path / "site"
    summary = june_run(june_hf, site, feeds=config.feeds)
    assert summary.status == "ok", summary
    assert summary.requests == 30  # still one HF request per day of the window

    index = json.loads((site / "feeds/index.json").read_bytes())
    listed = {f["name"]: f for f in index["feeds"]}
    families = {f["family"] for f in index["feeds"]}
    assert families == {"main", "code", "topics", "orgs", "custom"}
    for name in ("daily", "has-code", "topics/agents", "orgs/nvidia", "diffusion-10",
                 "nvidia-code"):
        for ext in ("atom", "rss", "json"):
            assert (site / f"feeds/{name}.{ext}").is_file(), (name, ext)
            assert listed[name][ext] == f"https://feeds.example.org/feeds/{name}.{ext}"
        parsed = feedparser.parse((site / f"feeds/{name}.atom").read_bytes())
        assert not parsed.bozo and len(parsed.entries) == listed[name]["entries"] > 0, name
        assert all(e.id.startswith("https://huggingface.co/papers/") for e in parsed.entries)

    # The declared feeds hold what their definitions say.
    diffusion = json.loads((site / "feeds/diffusion-10.json").read_bytes())["items"]
    for item in diffusion:
        text = (item["title"] + item["content_html"]).lower()
        assert item["_paper"]["upvotes"] >= 10 and "diffusion" in text
        assert "survey" not in item["title"].lower()
    nvidia = json.loads((site / "feeds/nvidia-code.json").read_bytes())["items"]
    assert len(nvidia) == 3
    assert [i["_paper"]["upvotes"] for i in nvidia] == sorted(
        (i["_paper"]["upvotes"] for i in nvidia), reverse=True)
    assert all(i["_paper"]["organization"] == "NVIDIA" for i in nvidia)

    # OPML: a folder per family; topics.opml and orgs.opml one family each.
    opml = etree.parse(str(site / "feeds.opml"))
    folders = [o.get("text") for o in opml.getroot().find("body")]
    assert folders == ["Hugging Face Daily Papers", "Topics", "Organisations", "More feeds"]
    topics = etree.parse(str(site / "topics.opml")).findall(".//outline[@xmlUrl]")
    assert len(topics) == len([f for f in index["feeds"] if f["family"] == "topics"])

    # The landing page: a Follow section listing each family, with sizes and three formats.
    page = BeautifulSoup((site / "index.html").read_bytes(), "html.parser")
    follow = {h.get_text(" ", strip=True).removesuffix(" all as OPML")
              for h in page.select("h3[id^=follow-]")}
    assert follow == {"Topics", "Organisations", "Papers with code", "More feeds"}
    agents = page.select_one('ul.follow a[href$="feeds/topics/agents.atom"]').parent
    assert agents.select_one(".n").get_text() == f"{listed['topics/agents']['entries']} papers"
    assert [a.get_text() for a in agents.select(".alt a")] == ["RSS", "JSON Feed"]

    # An unchanged run changes nothing, the new families included.
    again = june_run(june_hf, site, feeds=config.feeds)
    assert again.status == "ok" and again.written == []


def test_feeds_from_the_store_are_read_each_run(june_hf: FakeHF, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "config").mkdir(parents=True)
    (site / "config/feeds.toml").write_text(FEEDS_FILE, encoding="utf-8")
    summary = june_run(june_hf, site, feeds_file="store:config/feeds.toml")
    assert summary.status == "ok" and (site / "feeds/diffusion-10.atom").is_file()

    # A broken file in the store: the run stops before fetching, nothing is published.
    (site / "config/feeds.toml").write_text(FEEDS_FILE.replace("top = 3", "top = -3"))
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    june_hf.requests.clear()
    broken = june_run(june_hf, site, feeds_file="store:config/feeds.toml")
    assert broken.status == "failed" and broken.error_kind == "config"
    assert broken.error.startswith("store:config/feeds.toml: feed 'nvidia-code': top must be")
    assert june_hf.requests == [] and broken.written == []
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_the_cli_refuses_a_bad_feeds_file_with_one_line_and_exit_2(
    june_hf: FakeHF, tmp_path: Path
) -> None:
    (tmp_path / "feeds.toml").write_text(FEEDS_FILE.replace("min_upvotes", "min_upvote"))
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "BUCKET_NAME")}
    env["HF_BASE_URL"] = june_hf.url
    done = subprocess.run(
        [str(BIN), "run", "--date", "2026-06-30", "--days", "2", "--feeds-file", "feeds.toml"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "paperfeed: error: feeds.toml: feed 'diffusion-10': unknown key 'min_upvote' (known: "
        "authors, description, exclude, has_code, include, min_upvotes, organizations, slug, "
        "title, top, window)")
    assert june_hf.requests == [] and not (tmp_path / "public").exists()

    (tmp_path / "feeds.toml").write_text(FEEDS_FILE)
    done = subprocess.run(
        [str(BIN), "run", "--date", "2026-06-30", "--days", "30", "--feeds-file", "feeds.toml",
         "-q"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "public/feeds/nvidia-code.atom").is_file()


def test_a_deployer_can_leave_the_shipped_families_out(june_hf: FakeHF, tmp_path: Path) -> None:
    config = load_config({"TOPICS": "off", "ORG_MIN_PAPERS": "0"})
    site = tmp_path / "site"
    assert june_run(june_hf, site, topics=config.topics, org_min_papers=0).status == "ok"
    assert not (site / "feeds/topics").exists() and not (site / "feeds/orgs").exists()
    assert not (site / "topics.opml").exists()
    names = {f["name"] for f in json.loads((site / "feeds/index.json").read_bytes())["feeds"]}
    assert "daily" in names and "has-code" in names and len(names) == 9
