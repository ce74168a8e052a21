"""`paperfeed restore --to TIME` against moto's S3 (and CloudFront) over HTTP: the real
pipeline publishes twice, something bad gets out, and the site goes back as it was at TIME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import boto3
import feedparser
import pytest
from factories import client_for, site_config
from fake_hf import FakeHF

from paperfeed.entrypoints.cli import main
from paperfeed.entrypoints.restore import restore_bucket
from paperfeed.publish.cdn import invalidation_paths
from paperfeed.publish.plan import FEED_CACHE, content_type
from paperfeed.publish.stores.s3 import S3Store
from paperfeed.run import run

NOW = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)  # the pipeline's clock; S3's is the real one
BIN = Path(sys.executable).parent / "paperfeed"


def served(bucket: str) -> dict[str, tuple[bytes, str, str]]:
    """key -> (bytes, Content-Type, Cache-Control) of what the bucket serves now."""
    s3 = boto3.client("s3")
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            got = s3.get_object(Bucket=bucket, Key=obj["Key"])
            out[obj["Key"]] = (got["Body"].read(), got["ContentType"], got.get("CacheControl", ""))
    return out


def versions(bucket: str) -> list[tuple[str, str, bool]]:
    s3 = boto3.client("s3")
    out = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        out += [(v["Key"], v["VersionId"], v["IsLatest"]) for v in page.get("Versions", [])]
        out += [(m["Key"], m["VersionId"], m["IsLatest"]) for m in page.get("DeleteMarkers", [])]
    return sorted(out)


def publish(fake: FakeHF, bucket: str, on: str) -> None:
    config = site_config(fake.url, on=date.fromisoformat(on), days=3, bucket=bucket)
    summary = run(config, store=S3Store(bucket), client=client_for(fake), now=NOW)
    assert summary.status == "ok", summary


def between_seconds() -> datetime:
    """Now, then a wait into the next whole second: S3's LastModified is whole seconds, so
    what was written before is at or before the time returned and what is written after is
    after it."""
    to = datetime.now(UTC)
    time.sleep(1.05 - to.microsecond / 1e6)
    return to


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class BadDay:
    bucket: str
    to: str  # TIME, between the good publish and the bad one
    good: dict[str, tuple[bytes, str, str]]  # what was served at TIME
    bad: dict[str, tuple[bytes, str, str]]  # what is served after the bad publish


@pytest.fixture
def bad_day(bucket: str, fake_hf: FakeHF) -> BadDay:
    boto3.client("s3").put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    publish(fake_hf, bucket, "2026-08-02")  # the good site: 07-31's papers
    good = served(bucket)
    to = between_seconds()
    publish(fake_hf, bucket, "2026-08-03")  # a later run: a new archive day, new posts
    # ... and then a bad deploy empties the main feed (same headers as any publish).
    empty = b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>'
    S3Store(bucket).put("feeds/daily.atom", empty, content_type("x.atom"), FEED_CACHE)
    return BadDay(bucket, iso(to), good, served(bucket))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict | None, str]:
    code = main(["restore", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def invalidated(distribution: str, invalidation: str) -> list[str]:
    answer = boto3.client("cloudfront").get_invalidation(DistributionId=distribution,
                                                         Id=invalidation)
    return sorted(answer["Invalidation"]["InvalidationBatch"]["Paths"].get("Items", []))


def test_a_dry_run_changes_nothing_and_prefix_restores_only_under_it(
    bad_day: BadDay, capsys: pytest.CaptureFixture[str]
) -> None:
    b = bad_day
    before = versions(b.bucket)
    code, plan, _ = cli(capsys, "--bucket", b.bucket, "--to", b.to, "--dry-run")
    assert code == 0 and plan and plan["dry_run"] and plan["written"] == []
    step = next(r for r in plan["restored"] if r["key"] == "feeds/daily.atom")
    assert step["from"] and step["to"] and step["from"] != step["to"]
    assert versions(b.bucket) == before and served(b.bucket) == b.bad

    code, summary, _ = cli(capsys, "--bucket", b.bucket, "--to", b.to, "--prefix", "feeds/")
    assert code == 0 and summary and summary["written"]
    assert all(k.startswith("feeds/") for k in summary["written"])
    now = served(b.bucket)
    assert now["feeds/daily.atom"] == b.good["feeds/daily.atom"]
    assert now["index.html"] == b.bad["index.html"] != b.good["index.html"]


def test_restore_serves_each_key_as_at_time_and_keeps_the_archive(
    bad_day: BadDay, distribution: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    b = bad_day
    assert b.bad["feeds/daily.atom"] != b.good["feeds/daily.atom"]
    monkeypatch.setenv("DISTRIBUTION_ID", distribution)
    code, summary, err = cli(capsys, "--bucket", b.bucket, "--to", b.to)
    assert code == 0, err
    assert summary and summary["status"] == "ok" and not summary["dry_run"]
    restored = [r["key"] for r in summary["restored"]]
    assert {"feeds/daily.atom", "index.html"} <= set(restored) and restored == summary["written"]
    assert not any(k.startswith("archive/") for k in restored)
    assert invalidated(distribution, str(summary["invalidation"])) == invalidation_paths(restored)

    now = served(b.bucket)
    for key, (body, ctype, cache) in b.good.items():
        if not key.startswith("archive/"):
            assert now[key] == (body, ctype, cache), key  # bytes, Content-Type, Cache-Control
    parsed = feedparser.parse(now["feeds/daily.atom"][0])
    assert not parsed.bozo and len(parsed.entries) > 0

    # The archive is the store of record: as the bad day left it, the new day included.
    archive = {k: v for k, v in b.bad.items() if k.startswith("archive/")}
    assert {k: v for k, v in now.items() if k.startswith("archive/")} == archive
    assert "archive/2026-08-03.json" in summary["skipped"]
    assert "archive documents changed or created since" in err and "next run re-renders" in err

    # Published objects created after TIME are reported and left served without --delete-new.
    new = sorted(set(b.bad) - set(b.good) - set(archive))
    assert new and summary["created_after"] == new and summary["deleted"] == []
    assert all(now[k] == b.bad[k] for k in new)

    # Restoring again finds everything as it was: nothing to write, nothing to invalidate.
    code, again, _ = cli(capsys, "--bucket", b.bucket, "--to", b.to)
    assert code == 0 and again and again["restored"] == [] and again["written"] == []
    assert again["invalidation"] == ""

    # --delete-new then hides the new objects behind delete markers; never the archive's.
    code, hidden, _ = cli(capsys, "--bucket", b.bucket, "--to", b.to, "--delete-new")
    assert code == 0 and hidden and hidden["deleted"] == new == hidden["written"]
    now = served(b.bucket)
    assert {k for k in now if not k.startswith("archive/")} == {
        k for k in b.good if not k.startswith("archive/")}
    assert "archive/2026-08-03.json" in now
    kept = {key for key, _, latest in versions(b.bucket) if not latest}
    assert set(new) <= kept  # a marker, not a delete: their versions are all still there


class FailingCopies:
    """boto3's client, whose second copy fails as a missing permission would."""

    def __init__(self) -> None:
        self._s3 = boto3.client("s3")
        self.copies = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._s3, name)

    def copy_object(self, **kw: object) -> object:
        self.copies += 1
        if self.copies == 2:
            from botocore.exceptions import ClientError

            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "CopyObject")
        return self._s3.copy_object(**kw)


def test_a_store_error_stops_the_restore_and_says_what_was_written(bucket: str) -> None:
    from paperfeed.publish.restore import parse_time

    boto3.client("s3").put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    keys = ("feeds/a.atom", "feeds/b.atom", "index.html")
    for key in keys:
        S3Store(bucket).put(key, b"good", content_type(key), FEED_CACHE)
    to = between_seconds()
    for key in keys:
        S3Store(bucket).put(key, b"bad", content_type(key), FEED_CACHE)
    store = S3Store(bucket, client=FailingCopies())
    summary = restore_bucket(store, parse_time(iso(to), datetime.now(UTC)))
    assert summary["status"] == "failed" and summary["written"] == ["feeds/a.atom"]
    assert f"s3://{bucket}/feeds/b.atom" in str(summary["error"])
    assert "AccessDenied" in str(summary["error"])


def test_unusable_restores_are_usage_errors(
    bucket: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BUCKET_NAME", raising=False)
    code, _, err = cli(capsys, "--to", datetime.now(UTC).isoformat())
    assert code == 2 and "a site folder keeps no versions" in err
    # The bucket fixture's bucket has versioning off.
    code, _, err = cli(capsys, "--bucket", bucket, "--to", datetime.now(UTC).isoformat())
    assert code == 2 and "does not have versioning enabled" in err
    boto3.client("s3").put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    code, _, err = cli(capsys, "--bucket", bucket, "--to", datetime.now(UTC).isoformat())
    assert code == 2 and "existed at" in err.splitlines()[-1]


def test_a_future_time_exits_2_with_one_line_naming_the_option(aws_env: str) -> None:
    env = {**os.environ, "BUCKET_NAME": "pf-anything"}
    done = subprocess.run([str(BIN), "restore", "--to", "2999-01-01T00:00:00Z", "--dry-run"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    last = done.stderr.strip().splitlines()[-1]
    assert "argument --to" in last and "in the future" in last
