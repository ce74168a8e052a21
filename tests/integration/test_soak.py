"""The soak's short form: simulated hourly runs against the loopback HF and moto's S3 with
a seeded schedule of faults, the site's promises checked after each (`tests/soak.py`; the
long form is `make soak`). And the soak's own checks, shown to catch what they look for."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from soak import Soak

RUNS = 24  # ~30 s here; `make soak` runs thousands


@pytest.fixture
def soak(moto_endpoint: str, request: pytest.FixtureRequest) -> Iterator[Soak]:
    logging.disable(logging.CRITICAL)  # thousands of expected error lines
    world = Soak(moto_endpoint, "soak-" + request.node.name.lower().replace("_", "-")[:40],
                 seed=20261203)
    yield world
    world.close()
    logging.disable(logging.NOTSET)


def test_hourly_runs_under_every_fault_lose_nothing_and_publish_nothing_worse(
    soak: Soak,
) -> None:
    tally = soak.soak(RUNS)
    report = tally.report()
    assert report["violations"] == 0, report["first_violations"]
    assert report["faults_injected"] >= RUNS // 2 and len(report["faults"]) >= 8, report
    assert tally.statuses["ok"] >= 3 and tally.objects_checked > 100, report


def test_the_soak_sees_a_lost_paper_and_an_emptier_feed(soak: Soak) -> None:
    soak.soak(3)
    assert not soak.tally.violations
    key = max(k for k in soak.ledger if k.startswith("archive/20"))
    doc = json.loads(soak._get(key))
    lost = doc["papers"].pop()["arxiv_id"]
    soak._put(key, json.dumps(doc).encode())
    daily = soak._get("feeds/daily.atom")
    emptier = daily[: daily.index(b"<entry")] + b"</feed>"
    soak.s3.put_object(Bucket=soak.bucket, Key="feeds/daily.atom", Body=emptier)
    soak.check(clean=True, faults=[])
    found = "\n".join(soak.tally.violations)
    assert f"{key} lost ['{lost}']" in found
    assert "feeds/daily.atom: 0 entries after a clean run" in found


def test_the_soak_sees_an_unsafe_url_and_a_broken_feed(soak: Soak) -> None:
    soak.soak(2)
    soak.s3.put_object(Bucket=soak.bucket, Key="feeds/weekly.rss", Body=b"<rss><channel>")
    page = soak._get("index.html").replace(b"</body>", b'<a href="JavaScript:x">x</a></body>')
    soak.s3.put_object(Bucket=soak.bucket, Key="index.html", Body=page)
    soak.check(clean=False, faults=["test"])
    found = "\n".join(soak.tally.violations)
    assert "feeds/weekly.rss: does not parse" in found
    assert "index.html: carries a javascript: URL" in found
