"""Delivery against moto's S3 and CloudFront servers (versioned bucket) and a loopback hub."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

import boto3
import feedparser
import pytest
from factories import client_for, site_config
from fake_hf import FakeHF
from loopback import LoopbackServer

from paperfeed.publish.cdn import invalidation_paths
from paperfeed.publish.plan import plan_publish
from paperfeed.publish.stores.base import md5_hex
from paperfeed.publish.stores.s3 import S3Store
from paperfeed.render.feed_index import is_feed_key
from paperfeed.run import run

T1 = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
T2 = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)
T3 = datetime(2026, 8, 3, 16, 0, tzinfo=UTC)


class FakeHub(LoopbackServer):
    """A WebSub hub on loopback that records publish pings and can be told to fail."""

    def __init__(self) -> None:
        self.pings: list[dict[str, list[str]]] = []
        self.status = 204
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                hub.pings.append(parse_qs(self.rfile.read(length).decode()))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)
        self.start()

    @property
    def url(self) -> str:
        return super().url + "/hub"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    fake = FakeHub()
    yield fake
    fake.stop()


def invalidations(distribution: str) -> list[list[str]]:
    cloudfront = boto3.client("cloudfront")
    listing = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
    return [cloudfront.get_invalidation(DistributionId=distribution, Id=i["Id"])
            ["Invalidation"]["InvalidationBatch"]["Paths"].get("Items", [])
            for i in listing.get("Items", [])]


def versions(bucket: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    pages = boto3.client("s3").get_paginator("list_object_versions").paginate(Bucket=bucket)
    for page in pages:
        for v in page.get("Versions", []):
            counts[v["Key"]] = counts.get(v["Key"], 0) + 1
    return counts


def deploy_run(fake: FakeHF, bucket: str, distribution: str, hub: str, now: datetime,
               days: int = 30):  # type: ignore[no-untyped-def]
    config = site_config(fake.url, days=days, bucket=bucket, site_url="https://d111.cloudfront.net/",
                         distribution_id=distribution, hub_url=hub)
    return run(config, store=S3Store(bucket), client=client_for(fake), now=now)


def test_unchanged_run_makes_no_version_no_invalidation_no_ping(
    fake_hf: FakeHF, bucket: str, distribution: str, hub: FakeHub
) -> None:
    boto3.client("s3").put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = deploy_run(fake_hf, bucket, distribution, hub.url, T1)
    assert first.status == "ok" and first.invalidation
    before = versions(bucket)
    assert set(before.values()) == {1}
    (paths,) = invalidations(distribution)
    assert paths == ["/*"]  # many changed objects: one wildcard path (see cdn.MAX_PATHS)
    feed_keys = [k for k in first.written if is_feed_key(k)]
    assert len(feed_keys) > 24 and len(hub.pings) == len(feed_keys)  # every feed, once

    second = deploy_run(fake_hf, bucket, distribution, hub.url, T2)
    assert second.written == [] and second.invalidation == "" and second.hub_pings == 0
    assert versions(bucket) == before
    assert len(invalidations(distribution)) == 1 and len(hub.pings) == len(feed_keys)

    # One day changes: only the objects that show it get new versions.
    fake_hf.days["2026-07-13"][0]["paper"]["upvotes"] += 50
    third = deploy_run(fake_hf, bucket, distribution, hub.url, T3)
    after = versions(bucket)
    grown = {k for k in after if after[k] == 2}
    # The run's record of what each object is made from moves with them (not served).
    # The archive site's ledger and the changed day's month document too.
    assert grown == set(third.written) | {"state/manifest.json", "state/days.json",
                                          "state/months/2026-07.json"}
    assert "archive/2026-07-13.json" in grown and "archive/2026-07-31.json" not in grown
    # Its day page and month page; not another day's page. Upvotes are not searched: the
    # search index is as it was, not one of its files uploaded again.
    assert {"days/2026-07-13.html", "months/2026-07.html"} <= grown
    assert "days/2026-07-31.html" not in grown and "months/2026-08.html" not in grown
    assert not [k for k in grown if k.startswith("search/")]
    assert "feeds/monthly.atom" in grown and "feeds/daily.atom" in grown
    assert {"feed-view.js", "feed-view.css", "assets/icon.png"}.isdisjoint(grown)
    assert len(invalidations(distribution)) == 2
    assert invalidation_paths(third.written) in [sorted(p) for p in invalidations(distribution)]
    pinged = {p["hub.url"][0] for p in hub.pings[len(feed_keys):]}
    assert pinged == {"https://d111.cloudfront.net/" + k for k in grown if is_feed_key(k)}
    assert all(p["hub.mode"] == ["publish"] for p in hub.pings)


def test_feeds_advertise_the_hub_in_every_format(
    fake_hf: FakeHF, bucket: str, distribution: str, hub: FakeHub
) -> None:
    deploy_run(fake_hf, bucket, distribution, hub.url, T1, days=1)
    s3 = boto3.client("s3")
    atom = feedparser.parse(s3.get_object(Bucket=bucket, Key="feeds/daily.atom")["Body"].read())
    rss = feedparser.parse(s3.get_object(Bucket=bucket, Key="feeds/daily.rss")["Body"].read())
    for parsed in (atom, rss):
        assert not parsed.bozo
        rels = {link.rel: link.href for link in parsed.feed.links}
        assert rels["hub"] == hub.url
        assert rels["self"].startswith("https://d111.cloudfront.net/feeds/daily.")
    assert rss.feed.link == "https://d111.cloudfront.net/"  # the site, not the feed itself
    import json
    jf = json.loads(s3.get_object(Bucket=bucket, Key="feeds/daily.json")["Body"].read())
    assert jf["hubs"] == [{"type": "WebSub", "url": hub.url}]


def test_failed_ping_and_failed_invalidation_do_not_fail_the_run(
    fake_hf: FakeHF, bucket: str, hub: FakeHub, aws_env: str
) -> None:
    hub.status = 500
    summary = deploy_run(fake_hf, bucket, "NOSUCHDISTRIBUTION", hub.url, T1, days=1)
    assert summary.written and summary.hub_failures == summary.hub_pings > 0
    assert summary.status == "partial" and "NOSUCHDISTRIBUTION" in summary.error
    assert boto3.client("s3").get_object(Bucket=bucket, Key="feeds/daily.atom")


def test_plan_publish_uploads_only_changed_bytes_archive_first() -> None:
    rendered = {"index.html": b"i", "feeds/a.atom": b"new", "archive/2026-08-03.json": b"d",
                "feeds/b.atom": b"same"}
    stored = {"feeds/b.atom": md5_hex(b"same"), "feeds/a.atom": md5_hex(b"old")}
    plan = plan_publish(rendered, stored)
    assert [u.key for u in plan] == ["archive/2026-08-03.json", "feeds/a.atom", "index.html"]
    assert plan_publish({"feeds/b.atom": b"same"}, stored) == []
    cache = {u.key: u.cache_control for u in plan_publish(
        {"archive/2026-07-01.json": b"x", "archive/2026-08-01.json": b"y"}, {},
        window_start=date(2026, 8, 1))}
    assert cache["archive/2026-07-01.json"].startswith("public, max-age=604800")
    assert cache["archive/2026-08-01.json"].startswith("public, max-age=3600")
    assert invalidation_paths(["index.html", "feeds/a.atom"]) == ["/", "/feeds/a.atom",
                                                                  "/index.html"]
    assert invalidation_paths([f"feeds/{n}.atom" for n in range(6)]) == ["/*"]
