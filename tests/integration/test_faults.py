"""The fault matrix: each fault leaves published feeds byte-identical or strictly newer, and
the archive complete. A run's status tells partial from total failure."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from factories import client_for, run_local, site_config
from fake_hf import FIXTURES, FULL_0731, FakeHF

from paperfeed.errors import StoreError
from paperfeed.fetch.hf import HFClient, make_session
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import RunSummary, run

T1 = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
T2 = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)
WINDOW = ("2026-08-01", "2026-08-02", "2026-08-03")


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def published(fake_hf: FakeHF, tmp_path: Path) -> dict[str, bytes]:
    """A site after a good 30-day backfill; the fault runs happen after it."""
    assert run_local(fake_hf, tmp_path, days=30, now=T1).status == "ok"
    return snapshot(tmp_path)


def assert_nothing_lost(out: Path, before: dict[str, bytes], *, unchanged: bool) -> None:
    after = snapshot(out)
    archive = {k for k in before if k.startswith("archive/")}
    assert archive <= after.keys(), "an archived day disappeared"
    for key in archive:
        old = {p["arxiv_id"] for p in json.loads(before[key])["papers"]}
        new = {p["arxiv_id"] for p in json.loads(after[key])["papers"]}
        assert old <= new, f"{key} lost papers"
    for key in (k for k in before if k.startswith("feeds/") and not k.endswith(".json")):
        parsed = feedparser.parse(after[key])
        assert not parsed.bozo, key
        if unchanged:
            assert after[key] == before[key], f"{key} changed"
        else:  # strictly newer: never fewer entries, never an older update time
            old = feedparser.parse(before[key])
            assert len(parsed.entries) >= len(old.entries), key
            assert parsed.feed.updated_parsed >= old.feed.updated_parsed, key


def fail_days(fake: FakeHF, days: tuple[str, ...], api: int = 503, page: int = 500) -> None:
    for day in days:
        fake.behaviour.api_status[day] = [api] * 20
        fake.behaviour.page_status[day] = [page] * 20


def test_hf_down_api_and_page_is_a_total_failure_that_changes_nothing(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fail_days(fake_hf, WINDOW)
    summary = run_local(fake_hf, tmp_path, now=T2)
    assert summary.status == "failed" and set(summary.days_failed) == set(WINDOW)
    assert_nothing_lost(tmp_path, published, unchanged=True)


def test_429_with_retry_after_is_waited_out(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fake_hf.behaviour.api_status["2026-08-03"] = [429]
    fake_hf.behaviour.retry_after = "1"
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] += 7
    summary = run_local(fake_hf, tmp_path, now=T2)
    assert summary.status == "ok" and "archive/2026-08-03.json" in summary.written
    assert_nothing_lost(tmp_path, published, unchanged=False)


@pytest.fixture
def blackhole() -> Iterator[str]:
    """An address whose connections never complete: a listener with a full backlog."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    for _ in range(3):  # fill the accept queue; further SYNs are dropped, connect hangs
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(listener.getsockname())
        fillers.append(filler)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    for sock in (*fillers, listener):
        sock.close()


def run_with(client: HFClient, out: Path) -> RunSummary:
    config = site_config(client.base_url, out)
    return run(config, store=DirStore(out), client=client, now=T2)


def test_connect_timeout_fails_the_run_cleanly(
    blackhole: str, tmp_path: Path, published: dict[str, bytes]
) -> None:
    client = HFClient(blackhole, make_session(retries=0, backoff=0), connect_timeout=0.3)
    summary = run_with(client, tmp_path)
    assert summary.status == "failed"
    assert all("timed out" in e for e in summary.days_failed.values()), summary.days_failed
    assert_nothing_lost(tmp_path, published, unchanged=True)


def test_read_timeout_fails_the_run_cleanly(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fake_hf.behaviour.delay = 0.5
    client = HFClient(fake_hf.url, make_session(retries=0, backoff=0), read_timeout=0.1)
    summary = run_with(client, tmp_path)
    assert summary.status == "failed" and "timed out" in summary.days_failed["2026-08-03"]
    assert_nothing_lost(tmp_path, published, unchanged=True)


def test_truncated_json_falls_back_to_the_page(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fake_hf.behaviour.api_body["2026-08-03"] = (FIXTURES / FULL_0731).read_bytes()[:5000]
    summary = run_local(fake_hf, tmp_path, now=T2)
    assert summary.status == "ok"
    assert_nothing_lost(tmp_path, published, unchanged=True)


def test_changed_page_layout_with_api_down_fails_that_day_only(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fake_hf.behaviour.api_status["2026-08-03"] = [500] * 20
    fake_hf.behaviour.page_body["2026-08-03"] = b"<html><main>new layout</main></html>"
    summary = run_local(fake_hf, tmp_path, now=T2)
    assert summary.status == "partial"
    assert "layout changed" in summary.days_failed["2026-08-03"]
    assert_nothing_lost(tmp_path, published, unchanged=True)


def test_an_empty_window_is_a_normal_run(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    summary = run_local(fake_hf, tmp_path, on="2026-08-02", days=2, now=T2)  # a weekend
    assert summary.status == "ok" and summary.written == []
    assert_nothing_lost(tmp_path, published, unchanged=True)


def test_one_failing_day_is_partial_and_the_others_are_published(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fail_days(fake_hf, ("2026-07-31",))
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] += 3
    summary = run_local(fake_hf, tmp_path, days=4, now=T2)
    assert summary.status == "partial" and list(summary.days_failed) == ["2026-07-31"]
    assert "archive/2026-08-03.json" in summary.written
    assert_nothing_lost(tmp_path, published, unchanged=False)


class FailingStore(DirStore):
    """A folder whose writes start failing after `allowed` puts (S3 PutObject errors)."""

    def __init__(self, root: Path, allowed: int) -> None:
        super().__init__(root)
        self.allowed = allowed

    def put(self, key, body, content_type, cache_control, expect=None):  # type: ignore[no-untyped-def]
        if self.allowed <= 0:
            raise StoreError(f"put {key}: InternalError (injected)")
        self.allowed -= 1
        super().put(key, body, content_type, cache_control, expect)


def test_storage_failing_midway_keeps_every_object_whole(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] += 40
    target = fake_hf.days["2026-08-03"][0]["paper"]["upvotes"]
    config = site_config(fake_hf.url, tmp_path)
    summary = run(config, store=FailingStore(tmp_path, allowed=2),
                  client=client_for(fake_hf), now=T2)
    assert summary.status == "failed" and "injected" in summary.error
    # Archive first: the day is saved even though the feeds were not all replaced.
    assert summary.written[0] == "archive/2026-08-03.json" and len(summary.written) == 2
    assert_nothing_lost(tmp_path, published, unchanged=False)
    # The next healthy run completes what this one could not.
    assert run_local(fake_hf, tmp_path, now=T2).status == "ok"
    daily = json.loads((tmp_path / "feeds/daily.json").read_bytes())["items"]
    assert daily[0]["_paper"]["upvotes"] == target


class StaleStore(DirStore):
    """A folder listed before another run wrote to it: what an overlapping run sees."""

    def __init__(self, root: Path, listing: dict[str, str]) -> None:
        super().__init__(root)
        self.listing = listing

    def digests(self) -> dict[str, str]:
        return dict(self.listing)


def test_two_runs_at_once_cannot_overwrite_newer_archive_data(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    stale_listing = DirStore(tmp_path).digests()  # run A starts and lists the bucket...
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] = 500
    assert run_local(fake_hf, tmp_path, now=T2).status == "ok"  # ...run B finishes first
    newer = (tmp_path / "archive/2026-08-03.json").read_bytes()
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] = 5  # A saw an older count
    config = site_config(fake_hf.url, tmp_path)
    summary = run(config, store=StaleStore(tmp_path, stale_listing),
                  client=client_for(fake_hf), now=T2)
    assert summary.status == "failed" and "changed since it was read" in summary.error
    assert (tmp_path / "archive/2026-08-03.json").read_bytes() == newer
    assert summary.written == []  # nothing after the conflicting archive write


def test_unreadable_archive_document_is_replaced_only_by_fresh_data(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes]
) -> None:
    (tmp_path / "archive/2026-07-31.json").write_bytes(b'{"day": "2026-07-31", "pap')
    fail_days(fake_hf, ("2026-07-31",))
    run_local(fake_hf, tmp_path, days=4, now=T2)
    assert (tmp_path / "archive/2026-07-31.json").read_bytes() == b'{"day": "2026-07-31", "pap'
    fake_hf.behaviour.api_status.clear()
    fake_hf.behaviour.page_status.clear()
    assert run_local(fake_hf, tmp_path, days=4, now=T2).status == "ok"
    assert len(json.loads((tmp_path / "archive/2026-07-31.json").read_bytes())["papers"]) == 30


def test_a_feed_that_does_not_read_back_is_withheld(
    fake_hf: FakeHF, tmp_path: Path, published: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperfeed.render import site

    good = site.RENDERERS["rss"]
    monkeypatch.setitem(site.RENDERERS, "rss", lambda feed: good(feed)[:-200])  # truncated
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] += 1
    summary = run_local(fake_hf, tmp_path, now=T2)
    assert summary.status == "partial"
    # Rendered this run (the feeds that show the changed day): Atom out, RSS withheld.
    assert set(summary.withheld) == {k.replace(".atom", ".rss") for k in summary.written
                                     if k.endswith(".atom")}
    assert "feeds/daily.atom" in summary.written
    assert_nothing_lost(tmp_path, published, unchanged=False)
    for key in summary.withheld:
        assert (tmp_path / key).read_bytes() == published[key]
