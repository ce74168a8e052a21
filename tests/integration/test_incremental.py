"""A run works in proportion to what changed: what it renders is counted through the code
(the objects `render_site` made), never timed, and whatever the sequence of runs, the
published site is the one a full rebuild from the same archive makes."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from factories import NOW, client_for, site_config
from fake_hf import FakeHF
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from paperfeed import run as run_module
from paperfeed.publish.stores.folder import DirStore
from paperfeed.render.site import Site
from paperfeed.run import RunSummary, run

LISTS = {"index.html", "feeds.opml", "topics.opml", "orgs.opml", "feeds/index.json"}


class Renders:
    """The keys each `render_site` call of a run actually rendered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[set[str]] = []
        real = run_module.render_site

        def spy(*args, **kwargs) -> Site:  # type: ignore[no-untyped-def]
            site = real(*args, **kwargs)
            self.calls.append(set(site.rendered))
            return site

        monkeypatch.setattr(run_module, "render_site", spy)

    def last(self) -> set[str]:
        return self.calls[-1] if self.calls else set()


def again(fake: FakeHF, site: Path, on: str = "2026-08-03", days: int = 3,
          hours: int = 1, **options: object) -> RunSummary:
    config = site_config(fake.url, site, on=date.fromisoformat(on), days=days, **options)
    return run(config, store=DirStore(site), client=client_for(fake),
               now=NOW + timedelta(hours=hours))


def published(site: Path) -> dict[str, bytes]:
    """What readers see: every object but the archive and the run's own record."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not p.name.startswith(".")
            and not p.relative_to(site).as_posix().startswith(("archive/", "state/"))}


def feeds_showing(site: Path, day: str) -> set[str]:
    """Feed keys (every format) whose JSON lists a paper or digest of `day`."""
    out = set()
    for path in (site / "feeds").rglob("*.json"):
        if path.name == "index.json":
            continue
        items = json.loads(path.read_bytes())["items"]
        if any(day in json.dumps(item.get("_paper", {})) or day in item["id"]
               for item in items):
            stem = path.relative_to(site).as_posix()[: -len(".json")]
            out |= {f"{stem}.atom", f"{stem}.rss", f"{stem}.json"}
    return out


def test_an_unchanged_run_renders_nothing_and_stops_after_the_fetch(
    fake_hf: FakeHF, site_30_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders = Renders(monkeypatch)
    before = published(site_30_copy)
    summary = again(fake_hf, site_30_copy)
    assert summary.status == "ok" and summary.rendered == 0 and summary.written == []
    assert renders.calls == []  # stopped before loading the archive, let alone rendering
    assert summary.unchanged > 90 and published(site_30_copy) == before


def test_one_old_day_changed_renders_exactly_what_shows_it(
    fake_hf: FakeHF, site_30_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders = Renders(monkeypatch)
    showing = feeds_showing(site_30_copy, "2026-07-10")
    assert showing and "feeds/monthly.atom" in showing and "feeds/daily.atom" not in showing
    fake_hf.days["2026-07-10"][0]["paper"]["upvotes"] += 50
    summary = again(fake_hf, site_30_copy, on="2026-07-10", days=1)  # a backfill of that day
    assert summary.status == "ok"
    rendered = renders.last()
    feeds = {k for k in rendered if k.startswith("feeds/") and k != "feeds/index.json"}
    # What showed the day before, and what shows it now (+50 upvotes: upvotes-50 joins).
    assert feeds == showing | feeds_showing(site_30_copy, "2026-07-10")
    assert "feeds/upvotes-50.atom" in feeds - showing
    posts = {k for k in rendered if k.startswith("posts/")}
    assert posts == {"posts/2026-07-10-hf-daily-papers.md",
                     "posts/2026-07-31-hf-daily-papers-monthly.md"}  # the day, July's roundup
    # Its archive pages: the day's page and its month's; not its neighbours (their links
    # did not move), not the index (no count changed), no search file (upvotes are not
    # searched).
    archive = {k for k in rendered if k.startswith(("days/", "months/"))}
    assert archive == {"days/2026-07-10.html", "months/2026-07.html"}
    # A topic or organisation page with the feed it presents.
    pages = {k for k in rendered if k.startswith(("topics/", "orgs/"))}
    assert pages == {k[len("feeds/"):-len(".atom")] + ".html" for k in feeds
                               if k.endswith(".atom") and k.startswith(("feeds/topics/",
                                                                         "feeds/orgs/"))}
    assert rendered - feeds - posts - archive - pages <= LISTS
    assert summary.rendered == len(rendered)


FEEDS = '''
[[feed]]
slug = "grpo"
title = "GRPO"
include = ["grpo"]

[[feed]]
slug = "video"
title = "Video"
include = ["video"]
'''


def test_a_changed_feed_definition_renders_that_feed_only(
    fake_hf: FakeHF, site_30_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    definitions = tmp_path / "feeds.toml"
    definitions.write_text(FEEDS)
    first = again(fake_hf, site_30_copy, feeds_file=str(definitions), hours=1,
                  feeds=_parsed(definitions))
    assert first.status == "ok" and "feeds/grpo.atom" in first.written
    renders = Renders(monkeypatch)
    definitions.write_text(FEEDS.replace('include = ["grpo"]', 'include = ["grpo", "reward*"]'))
    summary = again(fake_hf, site_30_copy, feeds_file=str(definitions), hours=2,
                    feeds=_parsed(definitions))
    assert summary.status == "ok"
    rendered = renders.last()
    assert {k for k in rendered if k.startswith("feeds/") and k != "feeds/index.json"} == {
        "feeds/grpo.atom", "feeds/grpo.rss", "feeds/grpo.json"}
    assert rendered - {"feeds/grpo.atom", "feeds/grpo.rss", "feeds/grpo.json"} <= LISTS


def _parsed(path: Path) -> tuple:
    from paperfeed.select.catalogue import RESERVED
    from paperfeed.select.feeds_file import parse_feeds_file

    return parse_feeds_file(path.read_text(), str(path), reserved=RESERVED)


def test_a_replaced_or_removed_output_is_rendered_again(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    """The manifest trusts an object only while the store holds it as recorded."""
    good = (site_30_copy / "feeds/weekly.atom").read_bytes()
    (site_30_copy / "feeds/weekly.atom").write_bytes(b"<feed/>")
    (site_30_copy / "feeds/daily.rss").unlink()
    summary = again(fake_hf, site_30_copy)
    assert set(summary.written) == {"feeds/weekly.atom", "feeds/daily.rss"}
    assert (site_30_copy / "feeds/weekly.atom").read_bytes() == good


@pytest.mark.parametrize("body", [b"not json", b'{"schema": 1, "run": "x", "objects": {}}',
                                  b'{"schema": 1, "run": "", "objects": {"a": [1, 2]}}'])
def test_a_tampered_manifest_costs_a_full_render_not_a_stale_site(
    fake_hf: FakeHF, site_30_copy: Path, body: bytes
) -> None:
    before = published(site_30_copy)
    (site_30_copy / "state/manifest.json").write_bytes(body)
    summary = again(fake_hf, site_30_copy)
    assert summary.status == "ok" and summary.rendered > 90 and summary.written == []
    assert published(site_30_copy) == before


# --- any sequence of runs: the site is what a full rebuild from the same archive makes ----

DAYS = ["2026-06-12", "2026-07-10", "2026-07-13", "2026-07-31", "2026-08-03"]
change = st.tuples(
    st.sampled_from(DAYS),
    st.sampled_from(["upvotes", "title", "late paper", "nothing"]),
    st.sampled_from([1, 3]),  # the run's window: that day alone, or it and two before
)


# No shrinking: each example is several whole runs, and a failure names its steps anyway.
@settings(max_examples=4, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(change, min_size=2, max_size=3))
def test_any_sequence_of_runs_publishes_what_a_full_rebuild_publishes(
    site_30: Path, tmp_path_factory: pytest.TempPathFactory, steps: list
) -> None:
    work = tmp_path_factory.mktemp("incremental")
    site = work / "site"
    shutil.copytree(site_30, site)
    fake = FakeHF().start()
    try:
        for hour, (day, what, days) in enumerate(steps, start=1):
            items = fake.days[day]
            if what == "upvotes":
                items[hour % len(items)]["paper"]["upvotes"] += 7 * hour
            elif what == "title":
                items[0]["paper"]["title"] += f" (v{hour})"
            elif what == "late paper":
                late = json.loads(json.dumps(items[0]))
                late["paper"]["id"] = f"{day[2:4]}{day[5:7]}.9{hour:04d}"
                items.append(late)
            summary = again(fake, site, on=day, days=days, hours=hour)
            assert summary.status == "ok", summary
        last_day, _, last_days = steps[-1]
        rebuilt = work / "rebuilt"
        shutil.copytree(site / "archive", rebuilt / "archive")
        full = again(fake, rebuilt, on=last_day, days=last_days, hours=len(steps))
        assert full.status == "ok"
    finally:
        fake.stop()
    incremental, rebuild = published(site), published(rebuilt)
    assert incremental.keys() >= rebuild.keys()
    differing = [k for k in rebuild if incremental[k] != rebuild[k]]
    assert not differing, differing
