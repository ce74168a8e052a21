"""A real feed reader, newsboat, subscribed to the published feeds over loopback HTTP.

The day 2026-07-31 grows between two runs of the job (5 papers, then all 30 with more upvotes);
newsboat reloads after each, and its SQLite cache is read back: every paper once, under its
https://huggingface.co/papers/ id, titles unchanged, counts updated in the stored content, and
papers the reader had already read are not brought back as unread.

newsboat 2.21 (Debian 12) reads Atom and RSS only: it fetches a JSON Feed and stores nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import feedparser
import pytest
from factories import run_local
from fake_hf import SUBSET_0731, FakeHF, load_items
from loopback import LoopbackServer
from tools import require_tool

FEEDS = ["daily", "upvotes-10", "topics/reinforcement-learning"]
FORMATS = ("atom", "rss")
T1 = datetime(2026, 7, 31, 14, 0, tzinfo=UTC)
T2 = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
GROWN = "https://huggingface.co/papers/2607.28582"  # 17 upvotes in the subset, 19 later
UPVOTE_LINE = re.compile(r"▲ [^<]*")
PAPER_ID = re.compile(r"https://huggingface\.co/papers/\d{4}\.\d{4,5}")
CONTENT_TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml",
                 ".json": "application/feed+json"}
# No user config: nothing interactive, and a dead server is given up on quickly.
NEWSBOAT_CONFIG = "download-timeout 10\ndownload-retries 1\nreload-threads 1\n"


class FeedServer(LoopbackServer):
    """A folder served on loopback with strong ETags, as S3 or a CDN would serve the site.

    Conditional GETs use the ETag only: http.server's Last-Modified has one-second resolution,
    and the two runs of a test fall within the same second, so newsboat's If-Modified-Since
    would be answered 304 for a file that did change.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.log: list[tuple[str, int]] = []
        super().__init__(self._handler())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        served = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url_path = unquote(urlparse(self.path).path)
                file = (served.root / url_path.lstrip("/")).resolve()
                if not file.is_relative_to(served.root) or not file.is_file():
                    return self._answer(url_path, 404, b"not found", {})
                body = file.read_bytes()
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._answer(url_path, 304, b"", {"ETag": etag})
                ctype = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
                self._answer(url_path, 200, body, {"ETag": etag, "Content-Type": ctype})

            def _answer(self, path: str, status: int, body: bytes, headers: dict[str, str]) -> None:
                served.log.append((path, status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


@contextmanager
def serve(root: Path) -> Iterator[FeedServer]:
    server = FeedServer(root).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Item:
    title: str
    content: str
    pub_date: int
    unread: bool


class Newsboat:
    """newsboat run non-interactively (`-x reload`) with its own HOME, urls, config and cache."""

    def __init__(self, binary: str, home: Path, urls: list[str]) -> None:
        self.binary, self.home, self.urls = binary, home, urls
        home.mkdir()
        (home / "urls").write_text("".join(f"{u}\n" for u in urls))
        (home / "config").write_text(NEWSBOAT_CONFIG)
        self.cache = home / "cache.db"
        proxies = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
        self.env = {k: v for k, v in os.environ.items() if k.lower() not in proxies}
        self.env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                        XDG_DATA_HOME=str(home / ".local/share"),
                        XDG_CACHE_HOME=str(home / ".cache"), LANG="C.UTF-8")

    def reload(self) -> None:
        done = subprocess.run(
            [self.binary, "-u", "urls", "-C", "config", "-c", "cache.db", "-x", "reload"],
            cwd=self.home, env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=60, check=False,
        )
        assert done.returncode == 0, f"newsboat failed: {done.stdout}{done.stderr}"

    def items(self, feed_url: str) -> dict[str, Item]:
        """The cache's items of one feed, by guid; a guid stored twice fails the test."""
        with closing(sqlite3.connect(f"file:{self.cache}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT guid, title, content, pubDate, unread FROM rss_item"
                " WHERE feedurl = ? AND deleted = 0", (feed_url,)).fetchall()
        twice = [guid for guid, n in Counter(r[0] for r in rows).items() if n > 1]
        assert not twice, f"{feed_url}: stored more than once: {twice}"
        return {guid: Item(title, content, pub, bool(unread))
                for guid, title, content, pub, unread in rows}

    def mark_all_read(self) -> None:
        """What reading every article in the UI does to the cache."""
        with closing(sqlite3.connect(self.cache)) as db:
            db.execute("UPDATE rss_item SET unread = 0")
            db.commit()


def upvote_line(html: str) -> str | None:
    found = UPVOTE_LINE.search(html)
    return found.group() if found else None


def published(site: Path, key: str) -> dict[str, str]:
    """The feed file as written: entry id -> its upvote line."""
    parsed = feedparser.parse((site / key).read_bytes(), sanitize_html=False)
    assert not parsed.bozo, f"{key}: {parsed.get('bozo_exception')}"
    return {e.id: upvote_line(e.content[0].value) for e in parsed.entries}


def subscribe(binary: str, home: Path, server: FeedServer, keys: list[str]) -> Newsboat:
    return Newsboat(binary, home, [f"{server.url}/{key}" for key in keys])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("feed", FEEDS)
def test_newsboat_keeps_each_paper_once_as_the_day_grows(
    feed: str, fmt: str, fake_hf: FakeHF, tmp_path: Path
) -> None:
    binary = require_tool("newsboat", "newsboat")
    site, key = tmp_path / "site", f"feeds/{feed}.{fmt}"
    full = fake_hf.days["2026-07-31"]
    fake_hf.days["2026-07-31"] = load_items(SUBSET_0731)
    assert run_local(fake_hf, site, on="2026-07-31", days=1, now=T1).status == "ok"
    if not (site / key).exists():
        pytest.skip(f"the job wrote no {key}: this build has no {feed} feed yet")

    with serve(site) as server:
        # One cache per feed: newsboat keys articles by guid across all its feeds (see below).
        reader = subscribe(binary, tmp_path / "newsboat", server, [key])

        # (a) First run and reload: the feed's papers, each once, under their HF paper ids.
        reader.reload()
        assert server.log == [(f"/{key}", 200)]
        first = reader.items(reader.urls[0])  # asserts that no guid is stored twice
        feed_now = published(site, key)
        assert feed_now and set(first) == set(feed_now)
        assert all(PAPER_ID.fullmatch(guid) for guid in first), sorted(first)
        for guid, item in first.items():
            assert "▲" not in item.title and "upvote" not in item.title.lower(), item.title
            assert upvote_line(item.content) == feed_now[guid], guid
        assert upvote_line(first[GROWN].content).startswith("▲ 17 upvotes")
        reader.mark_all_read()

        # (b) The day grew (25 late papers, more upvotes) and the window moved on to 08-03.
        fake_hf.days["2026-07-31"] = full
        assert run_local(fake_hf, site, on="2026-08-03", days=4, now=T2).status == "ok"
        server.log.clear()
        reader.reload()
        assert server.log == [(f"/{key}", 200)]
        second = reader.items(reader.urls[0])
        feed_now = published(site, key)
        late = set(feed_now) - set(first)
        assert late, "no late paper arrived"
        assert set(second) == set(first) | set(feed_now)
        for guid, before in first.items():
            after = second[guid]
            assert (after.title, after.pub_date) == (before.title, before.pub_date), guid
            assert not after.unread, f"{guid}: read before, came back as unread"
        assert all(second[guid].unread for guid in late)
        # newsboat rewrites the stored content of an article it already has.
        for guid, line in feed_now.items():
            assert upvote_line(second[guid].content) == line, guid
        assert upvote_line(second[GROWN].content).startswith("▲ 19 upvotes")


def test_a_paper_in_two_feeds_is_one_article_in_newsboat(fake_hf: FakeHF, tmp_path: Path) -> None:
    """newsboat keys articles by guid across feeds: one id per paper in every feed means a paper
    in both daily and upvotes-10 is one article (read once), filed under the feed reloaded last.
    """
    binary = require_tool("newsboat", "newsboat")
    site = tmp_path / "site"
    assert run_local(fake_hf, site, on="2026-08-03", days=4, now=T2).status == "ok"
    keys = ["feeds/daily.atom", "feeds/upvotes-10.atom"]
    if not (site / keys[1]).exists():
        pytest.skip(f"the job wrote no {keys[1]}: this build has no upvotes-10 feed yet")
    daily, top = (set(published(site, key)) for key in keys)
    assert top and top < daily

    with serve(site) as server:
        reader = subscribe(binary, tmp_path / "newsboat", server, keys)
        reader.reload()
        assert sorted(server.log) == sorted((f"/{key}", 200) for key in keys)
        in_daily, in_top = (reader.items(url) for url in reader.urls)
    assert not set(in_daily) & set(in_top)
    assert set(in_daily) | set(in_top) == daily
    assert set(in_top) == top  # upvotes-10 is reloaded after daily
