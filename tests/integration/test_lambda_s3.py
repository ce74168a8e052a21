"""The Lambda handler end to end: loopback HF in, moto's S3 server (over HTTP) out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import boto3
import feedparser
import pytest
from fake_hf import FakeHF

EVENTS = Path(__file__).resolve().parents[2] / "events"


@dataclass
class LambdaContext:
    function_name: str = "paperfeed"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:paperfeed"
    aws_request_id: str = "req-1"


@pytest.fixture
def lambda_env(bucket: str, fake_hf: FakeHF, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUCKET_NAME", bucket)
    monkeypatch.setenv("HF_BASE_URL", fake_hf.url)
    monkeypatch.setenv("SITE_URL", "https://d111111abcdef8.cloudfront.net/")
    monkeypatch.setenv("WINDOW_DAYS", "3")
    return bucket


def objects(bucket: str) -> dict[str, dict]:
    s3 = boto3.client("s3")
    out = {}
    for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        head = s3.head_object(Bucket=bucket, Key=obj["Key"])
        out[obj["Key"]] = {"type": head["ContentType"], "etag": head["ETag"],
                           "modified": head["LastModified"], "cache": head.get("CacheControl")}
    return out


def body(bucket: str, key: str) -> bytes:
    return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


def test_handler_backfill_writes_the_same_set_as_the_cli(
    lambda_env: str, fake_hf: FakeHF, site_30: Path
) -> None:
    from paperfeed.entrypoints.lambda_handler import handler

    event = json.loads((EVENTS / "backfill.json").read_text())
    event.update(date="2026-08-03", days=30)
    result = handler(event, LambdaContext())
    assert result["status"] == "ok" and result["requests"] == 30

    stored = objects(lambda_env)
    local = {p.relative_to(site_30).as_posix() for p in site_30.rglob("*") if p.is_file()}
    assert set(stored) == local

    # Generic types on purpose (CloudFront compresses them; browsers run feed-view.js in
    # a feed served as XML).
    assert stored["feeds/daily.atom"]["type"] == "application/xml; charset=utf-8"
    assert stored["feeds/daily.rss"]["type"] == "application/xml; charset=utf-8"
    assert stored["feeds/daily.json"]["type"] == "application/json; charset=utf-8"
    assert stored["index.html"]["type"] == "text/html; charset=utf-8"
    assert stored["feed-view.js"]["type"] == "text/javascript; charset=utf-8"
    assert stored["feed-view.css"]["type"] == "text/css; charset=utf-8"
    assert "feed.xsl" not in stored
    assert stored["archive/2026-07-31.json"]["type"] == "application/json; charset=utf-8"
    assert "max-age" in stored["feeds/daily.atom"]["cache"]

    parsed = feedparser.parse(body(lambda_env, "feeds/daily.atom"))
    assert not parsed.bozo and len(parsed.entries) == 47
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == "https://d111111abcdef8.cloudfront.net/feeds/daily.atom"
    assert links["alternate"] == "https://d111111abcdef8.cloudfront.net/"


def test_scheduled_event_uses_the_env_window_and_rewrites_nothing_unchanged(
    lambda_env: str,
) -> None:
    from paperfeed.entrypoints.lambda_handler import handler

    scheduled = json.loads((EVENTS / "scheduled.json").read_text())
    first = handler({**scheduled, "date": "2026-08-03"}, LambdaContext())
    assert first["requests"] == 3 and first["written"]
    before = objects(lambda_env)
    second = handler({**scheduled, "date": "2026-08-03"}, LambdaContext())
    assert second["written"] == []
    assert objects(lambda_env) == before


def test_handler_raises_when_nothing_could_be_fetched(lambda_env: str, fake_hf: FakeHF) -> None:
    from paperfeed.entrypoints.lambda_handler import RunFailed, handler

    fake_hf.behaviour.api_status["2026-08-03"] = [404]
    fake_hf.behaviour.page_status["2026-08-03"] = [404]
    with pytest.raises(RunFailed, match="no day of the window"):
        handler({"date": "2026-08-03", "days": 1}, LambdaContext())


def test_s3_store_contract(bucket: str) -> None:
    from paperfeed.errors import StoreError
    from paperfeed.publish.stores.base import md5_hex
    from paperfeed.publish.stores.s3 import S3Store

    store = S3Store(bucket)
    assert store.get("feeds/missing.atom") is None
    store.put("feeds/x.atom", "Zoë 김민수".encode(), "application/atom+xml", "no-cache")
    assert store.get("feeds/x.atom") == "Zoë 김민수".encode()
    assert store.digests() == {"feeds/x.atom": md5_hex("Zoë 김민수".encode())}
    with pytest.raises(StoreError, match="s3://no-such-bucket"):
        S3Store("no-such-bucket").get("x")
