"""Whole runs against the loopback HF into a folder; the feeds read back as a reader would."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from factories import run_local
from fake_hf import SUBSET_0731, FakeHF, load_items

FEEDS = [f"feeds/{n}.{e}" for n in ("daily", "digest") for e in ("atom", "rss", "json")]
T1 = datetime(2026, 7, 31, 14, 0, tzinfo=UTC)
T2 = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
T3 = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)


def read(out: Path, key: str) -> feedparser.FeedParserDict:
    if key.endswith(".json"):  # feedparser 6.0 reads no JSON Feed: check its shape instead
        doc = json.loads((out / key).read_bytes())
        assert doc["version"] == "https://jsonfeed.org/version/1.1" and doc["title"]
        assert all(i["id"] and i["url"] and i["content_html"] for i in doc["items"])
        return feedparser.FeedParserDict(entries=doc["items"])
    parsed = feedparser.parse((out / key).read_bytes())
    assert not parsed.bozo, f"{key}: {parsed.get('bozo_exception')}"
    return parsed


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def site(fake_hf: FakeHF, tmp_path: Path) -> Path:
    """A site after a 30-day backfill ending 2026-08-03."""
    summary = run_local(fake_hf, tmp_path, days=30, now=T2)
    assert summary.status == "ok", summary
    return tmp_path


def test_backfill_writes_feeds_and_archive(site: Path) -> None:
    files = snapshot(site)
    assert set(FEEDS) <= files.keys()
    assert {k for k in files if k.startswith("archive/")} == {
        "archive/2026-07-10.json", "archive/2026-07-13.json",
        "archive/2026-07-31.json", "archive/2026-08-03.json"}


def test_every_feed_reads_back_without_errors(site: Path) -> None:
    for key in FEEDS:
        parsed = read(site, key)
        assert parsed.entries, key


def test_daily_feed_has_latest_three_hf_days_ranked(site: Path) -> None:
    entries = read(site, "feeds/daily.atom").entries
    days = [e.pf_day for e in entries]
    assert days == sorted(days, reverse=True)
    assert set(days) == {"2026-08-03", "2026-07-31", "2026-07-13"}
    assert len(entries) == 3 + 30 + 14
    for day in set(days):
        ranks = [int(e.pf_rank) for e in entries if e.pf_day == day]
        upvotes = [int(e.pf_upvotes) for e in entries if e.pf_day == day]
        assert ranks == list(range(1, len(ranks) + 1))
        assert upvotes == sorted(upvotes, reverse=True)


def test_same_ids_titles_and_dates_in_every_format(site: Path) -> None:
    atom = read(site, "feeds/daily.atom").entries
    rss = read(site, "feeds/daily.rss").entries
    jf = json.loads((site / "feeds/daily.json").read_bytes())["items"]
    assert [e.id for e in atom] == [e.id for e in rss] == [i["id"] for i in jf]
    assert all(e.id.startswith("https://huggingface.co/papers/") for e in atom)
    assert [e.title for e in atom] == [e.title for e in rss] == [i["title"] for i in jf]
    assert [e.published_parsed for e in atom] == [e.published_parsed for e in rss]
    assert len({e.id for e in atom}) == len(atom)


def test_paper_entry_content_and_machine_readable_counts(site: Path) -> None:
    jf = json.loads((site / "feeds/daily.json").read_bytes())
    item = next(i for i in jf["items"] if i["id"].endswith("/2607.28229"))
    meta = item["_paper"]
    assert meta["arxiv_id"] == "2607.28229" and meta["day"] == "2026-08-03"
    assert (meta["upvotes"], meta["comments"]) == (4, 1)
    # Counted when the backfill (run at T2) first saw it.
    line = f"▲ 4 upvotes · 1 comment · #{meta['rank']} on 2026-08-03 · as of 2026-08-03 14:00 UTC"
    assert item["content_html"].startswith(f"<p><strong>{line}</strong></p>")
    for link in ("https://huggingface.co/papers/2607.28229", "https://arxiv.org/abs/2607.28229",
                 "https://arxiv.org/pdf/2607.28229"):
        assert f'href="{link}"' in item["content_html"]
    assert item["authors"][0] == {"name": "Luigi Sigillo"}
    assert item["date_published"] == "2026-08-03T00:00:00Z"
    assert str(meta["upvotes"]) not in item["title"]
    atom = next(e for e in read(site, "feeds/daily.atom").entries if e.id == item["id"])
    assert (atom.pf_upvotes, atom.pf_rank) == (str(meta["upvotes"]), str(meta["rank"]))


def test_feed_metadata_uses_the_site_url(site: Path) -> None:
    atom = read(site, "feeds/daily.atom").feed
    assert any(link.rel == "self" and link.href == "https://feeds.example.org/feeds/daily.atom"
               for link in atom.links)
    rss = (site / "feeds/daily.rss").read_text()
    assert '<atom:link href="https://feeds.example.org/feeds/daily.rss" rel="self"' in rss
    jf = json.loads((site / "feeds/daily.json").read_bytes())
    assert jf["version"] == "https://jsonfeed.org/version/1.1"
    assert jf["feed_url"] == "https://feeds.example.org/feeds/daily.json"


def test_digest_has_one_stable_entry_per_day_with_top_ten(site: Path) -> None:
    entries = read(site, "feeds/digest.rss").entries
    assert [e.id for e in entries] == [f"https://huggingface.co/papers/date/{d}" for d in
                                       ("2026-08-03", "2026-07-31", "2026-07-13", "2026-07-10")]
    july31 = entries[1].content[0].value
    assert july31.count("<li>") == 10
    assert july31.index("#1</strong>") < july31.index("#10</strong>")


def test_day_that_grows_later_updates_counts_without_repeating_papers(
    fake_hf: FakeHF, tmp_path: Path
) -> None:
    full = fake_hf.days["2026-07-31"]
    fake_hf.days["2026-07-31"] = load_items(SUBSET_0731)
    run_local(fake_hf, tmp_path, on="2026-07-31", days=1, now=T1)
    before = {i["id"]: i for i in json.loads((tmp_path / "feeds/daily.json").read_bytes())["items"]}
    assert len(before) == 5

    fake_hf.days["2026-07-31"] = full
    run_local(fake_hf, tmp_path, on="2026-08-03", days=4, now=T2)
    after = {i["id"]: i for i in json.loads((tmp_path / "feeds/daily.json").read_bytes())["items"]}
    late = set(after) - set(before)
    assert late and set(before) <= set(after)
    grown = "https://huggingface.co/papers/2607.28582"
    assert (before[grown]["_paper"]["upvotes"], after[grown]["_paper"]["upvotes"]) == (17, 19)
    assert after[grown]["date_published"] == before[grown]["date_published"]
    assert after[grown]["date_modified"] == "2026-08-03T14:00:00Z"
    atom = read(tmp_path, "feeds/daily.atom").entries
    assert len({e.id for e in atom}) == len(atom)


def test_a_run_that_finds_nothing_new_changes_no_byte(site: Path, fake_hf: FakeHF) -> None:
    before = snapshot(site)
    summary = run_local(fake_hf, site, days=30, now=T3)
    assert summary.written == [] and snapshot(site) == before


def test_a_failed_window_keeps_published_feeds(site: Path, fake_hf: FakeHF) -> None:
    before = snapshot(site)
    for day in ("2026-08-01", "2026-08-02", "2026-08-03"):
        fake_hf.behaviour.api_status[day] = [503] * 20
        fake_hf.behaviour.page_status[day] = [503] * 20
    summary = run_local(fake_hf, site, days=3, now=T3)
    assert summary.status == "failed" and set(summary.days_failed) == {
        "2026-08-01", "2026-08-02", "2026-08-03"}
    assert snapshot(site) == before


HOSTILE_TITLE = "<script>alert(1)</script> ]]> <!-- x --> & \x0b\x1b Zoë Müller 김민수 $\\alpha^2$"


def test_hostile_and_unicode_text_is_escaped_and_survives(fake_hf: FakeHF, tmp_path: Path) -> None:
    item = copy.deepcopy(fake_hf.days["2026-08-03"][0])
    item["paper"].update(id="2608.99999", title=HOSTILE_TITLE, upvotes=10_000,
                         summary='<img src=x onerror="alert(1)">',
                         githubRepo="javascript:alert(1)",
                         organization={"fullname": "<b>Evil</b> Org"})
    fake_hf.days["2026-08-03"].append(item)
    run_local(fake_hf, tmp_path, days=1)
    expected = "<script>alert(1)</script> ]]> <!-- x --> & Zoë Müller 김민수 $\\alpha^2$"
    for key in ("feeds/daily.atom", "feeds/daily.rss"):
        entry = read(tmp_path, key).entries[0]
        assert entry.title == expected
        body = (tmp_path / key).read_bytes()
        # Our own first element (the browser view's script), once; no other <script>.
        view = b'<script xmlns="http://www.w3.org/1999/xhtml" src="../feed-view.js" defer=""/>'
        assert body.count(view) == 1
        body = body.replace(view, b"")
        assert b"<script" not in body and b"<img src=x" not in body
        assert b"javascript:" not in body
        assert "Zoë Müller 김민수".encode() in body
    jf = json.loads((tmp_path / "feeds/daily.json").read_bytes())["items"][0]
    assert jf["title"] == expected
    assert "<script" not in jf["content_html"] and "<img src=x" not in jf["content_html"]
    assert "&lt;b&gt;Evil&lt;/b&gt; Org" in jf["content_html"]
