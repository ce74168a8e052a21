"""The soak: many simulated hourly runs against the loopback HF and moto's S3 server, with a
seeded random schedule of every fault the suite knows, and the site's promises checked after
each run.

Faults: HF 5xx, 429, timeouts, a trickling answer, truncated JSON, hostile answers and pages
(the quadratic `<a ` page, unsafe URLs, wrong types, NUL), S3 failing mid-publish, tampered
archive documents, stray objects, two runs at once, clock jumps.

Checked after every run:
- no paper ever archived is lost: it is in a readable archive document or in the set-aside
  copy of one (what the *fault* destroyed, by truncating a document, is not counted);
- every object the site published reads back (feeds in feedparser without a bozo flag, JSON
  parses, pages and OPML parse as markup) and no output carries a `javascript:` URL;
- no feed is emptier than the archive warrants: after a clean run, daily, weekly and monthly
  hold exactly what an independent count over the archive documents says; after any other
  run, a feed is either that or what it was before.

`python tests/soak.py --runs 3000 --seed 7` runs the long form (it starts its own moto
server); `tests/integration/test_soak.py` runs a short form in `make test`.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree, html

sys.path.insert(0, str(Path(__file__).parent))  # run as a script too

from factories import client_for, site_config  # noqa: E402
from fake_hf import FakeHF, june_days  # noqa: E402

from paperfeed.errors import StoreError  # noqa: E402
from paperfeed.publish.stores.s3 import S3Store  # noqa: E402
from paperfeed.run import RunSummary, run  # noqa: E402

START = datetime(2026, 8, 3, 6, 0, tzinfo=UTC)
CHECKED_FEEDS = {"daily": None, "weekly": (7, 20), "monthly": (30, 30)}  # slug -> (window, top)
QUADRATIC_PAGE = b"<html><body>" + b"<a " * 40_000
STRAYS = {
    "posts/2099-01-01.json": b"{}",
    "archive/2099-01-01.json": b'{"schema": 1, "date": "2099-01-01", "papers": []}',
    "archive/2030-01-01.json": b"not json at all",
    "archive/latest.json": b'{"papers": "x"}',
    "archive/2026-13-45.json": b"{}",
}
UNSAFE = b"javascript:"


def _template_items() -> list[dict[str, Any]]:
    return [item for items in june_days().values() for item in items]


def hf_day(day: date, pool: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """HF's list for a simulated day: real June items with ids and dates of that day."""
    start = (day.toordinal() * 7) % len(pool)
    items = []
    for i in range(count):
        item = copy.deepcopy(pool[(start + i) % len(pool)])
        p = item["paper"]
        p["id"] = f"{day:%y%m}.{day.day * 1000 + i:05d}"
        stamp = f"{day.isoformat()}T00:00:00.000Z"
        p["submittedOnDailyAt"] = stamp
        p["publishedAt"] = item["publishedAt"] = stamp
        p["upvotes"] = 1 + (i * 37) % 50
        items.append(item)
    return items


@dataclass
class Tally:
    runs: int = 0
    faults: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    objects_checked: int = 0
    seconds: float = 0.0

    def report(self) -> dict[str, Any]:
        return {"runs": self.runs, "faults_injected": sum(self.faults.values()),
                "faults": dict(sorted(self.faults.items())), "statuses": dict(self.statuses),
                "objects_checked": self.objects_checked, "violations": len(self.violations),
                "first_violations": self.violations[:10], "seconds": round(self.seconds, 1)}


class FlakyStore(S3Store):
    """S3 that fails every write after `allowed` of them (S3 failing mid-publish)."""

    def __init__(self, bucket: str, client: object, allowed: int) -> None:
        super().__init__(bucket, client)
        self.allowed = allowed

    def put(self, key: str, body: bytes, content_type: str, cache_control: str,
            expect: str | None = None) -> None:
        if self.allowed <= 0:
            raise StoreError(f"put {key}: InternalError (injected)")
        self.allowed -= 1
        super().put(key, body, content_type, cache_control, expect)


class Soak:
    def __init__(self, endpoint: str, bucket: str, seed: int) -> None:
        import boto3

        self.rng = random.Random(seed)
        self.s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        self.bucket = bucket
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_bucket_versioning(Bucket=bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        self.pool = _template_items()
        self.fake = FakeHF(days={})
        self.fake.server.handle_error = lambda *_: None  # a client that gave up: expected
        self.fake.start()
        self.now = START
        self.tally = Tally()
        self.ledger: dict[str, set[str]] = {}  # archive key -> arxiv ids seen archived there
        self.counts: dict[str, int] = {}  # feed key -> entries after the last run
        self.checked: dict[str, str] = {}  # key -> ETag already checked
        self.strays: set[str] = set()
        self.repairs: list[tuple[int, str, bytes]] = []  # (run, key, original bytes)

    def close(self) -> None:
        self.fake.stop()

    # ------------------------------------------------------------------ the world
    def _serve_days(self) -> None:
        """HF lists a day from its morning on; upvotes grow through the day."""
        today = self.now.date()
        for back in range(0, 5):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                self.fake.days.setdefault(day.isoformat(), [])
                continue
            items = self.fake.days.get(day.isoformat())
            if not items:
                items = self.fake.days[day.isoformat()] = hf_day(day, self.pool, 12)
            for item in items:
                if self.rng.random() < 0.3:
                    item["paper"]["upvotes"] += self.rng.randint(1, 5)
            if back == 0 and self.rng.random() < 0.2:  # a late paper
                items.append(hf_day(day, self.pool, len(items) + 1)[-1])

    def _reset_faults(self) -> None:
        b = self.fake.behaviour
        for queue in (b.api_status, b.page_status, b.api_body, b.page_body, b.trickle,
                      b.redirect):
            queue.clear()
        b.delay, b.retry_after = 0.0, None

    def _objects(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for obj in page.get("Contents", []):
                out[obj["Key"]] = obj["ETag"].strip('"')
        return out

    def _get(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def _put(self, key: str, body: bytes) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body,
                           ContentType="application/json")

    # ------------------------------------------------------------------ faults
    def _window(self) -> list[str]:
        return [(self.now.date() - timedelta(days=i)).isoformat() for i in range(3)]

    def _fault_hf(self, kind: str) -> None:
        b, day = self.fake.behaviour, self.rng.choice(self._window())
        items = self.fake.days.get(day) or []
        if kind == "hf_5xx":
            b.api_status[day] = [self.rng.choice([500, 502, 503])] * self.rng.randint(1, 6)
            if self.rng.random() < 0.5:
                b.page_status[day] = [503] * 6
        elif kind == "hf_429":
            b.api_status[day], b.retry_after = [429], "0"
        elif kind == "hf_timeout":
            b.delay = 0.4  # the soak's client reads for 0.25 s
        elif kind == "hf_trickle":
            b.trickle[day] = 0.01
        elif kind == "hf_truncated":
            body = json.dumps(items).encode()
            b.api_body[day] = body[: self.rng.randint(1, max(1, len(body) - 1))]
        elif kind == "hf_quadratic_page":
            b.api_status[day] = [500] * 6
            b.page_body[day] = QUADRATIC_PAGE
        elif kind == "hf_hostile_answer":
            hostile = copy.deepcopy(items[:4])
            mutations: list[Callable[[dict[str, Any]], None]] = [
                lambda p: p.update(githubRepo="javascript:alert(1)"),
                lambda p: p.update(upvotes="5"),
                lambda p: p.update(title="NUL\x00title"),
                lambda p: p.update(projectPage="javascript:alert(document.cookie)"),
                lambda p: p.update(ai_keywords=None),
                lambda p: p.update(id="../../etc/passwd"),
            ]
            for item in hostile:
                self.rng.choice(mutations)(item["paper"])
            b.api_body[day] = json.dumps(hostile + items[4:]).encode()
        elif kind == "hf_redirect":
            b.redirect[day] = "http://attacker.invalid/api/daily_papers"

    def _fault_tamper(self, stored: dict[str, str]) -> None:
        days = sorted(k for k in stored if k.startswith("archive/20") and "/set-aside/" not in k
                      and k not in STRAYS)
        if not days:
            return
        key = self.rng.choice(days[-10:])
        original = self._get(key)
        doc = json.loads(original)
        if not doc.get("papers"):
            return
        record = doc["papers"][0]
        how = self.rng.choice(["wrong_type", "nul", "null_time", "unsafe_url", "null_list",
                               "truncated"])
        self.tally.faults[f"tamper_{how}"] += 1
        if how == "truncated":
            body = original[: len(original) // 2]
            # What the fault destroyed is not the run's loss: forget the ids it cut off.
            self.ledger[key] = {i for i in self.ledger.get(key, set()) if i.encode() in body}
        else:
            {"wrong_type": lambda: record.update(upvotes="5"),
             "nul": lambda: record.update(title="A\x00B"),
             "null_time": lambda: record.update(listed_at=None),
             "unsafe_url": lambda: record.update(github_repo="javascript:alert(1)",
                                                 thumbnail="javascript:alert(2)"),
             "null_list": lambda: record.update(ai_keywords=None)}[how]()
            body = json.dumps(doc).encode()
        self._put(key, body)
        if key[len("archive/"):-len(".json")] not in self._window():
            # An operator notices within a few hours and puts the document back.
            self.repairs.append((self.tally.runs + self.rng.randint(1, 4), key, original))

    def _fault_stray(self) -> None:
        key = self.rng.choice(sorted(STRAYS))
        self._put(key, STRAYS[key])
        self.strays.add(key)

    # ------------------------------------------------------------------ one run
    def _run_once(self, store: S3Store, now: datetime) -> RunSummary:
        # The families (topics, organisations) are left out: they are more feeds of the same
        # kind, and thousands of runs must fit in an afternoon.
        config = site_config(self.fake.url, bucket=self.bucket, on=now.date(), days=3,
                             topics=False, org_min_papers=0)
        client = client_for(self.fake, retries=1, read_timeout=0.25, deadline=2.0)
        return run(config, store=store, client=client, now=now)

    def step(self) -> None:
        self.tally.runs += 1
        jump = self.rng.random()
        if jump < 0.03:
            self.now -= timedelta(hours=self.rng.randint(1, 30))
            self.tally.faults["clock_back"] += 1
        elif jump < 0.06:
            self.now += timedelta(hours=self.rng.randint(12, 72))
            self.tally.faults["clock_forward"] += 1
        else:
            self.now += timedelta(hours=1)
        self._serve_days()
        self._reset_faults()
        for due, key, original in [r for r in self.repairs if r[0] <= self.tally.runs]:
            self._put(key, original)
            self.repairs.remove((due, key, original))
        stored = self._objects()
        kinds = ["hf_5xx", "hf_429", "hf_timeout", "hf_trickle", "hf_truncated",
                 "hf_quadratic_page", "hf_hostile_answer", "hf_redirect", "s3_mid_publish",
                 "tamper", "stray", "concurrent"]
        faults = [] if self.rng.random() < 0.35 else self.rng.sample(
            kinds, self.rng.choice([1, 1, 1, 2, 3]))
        store: S3Store = S3Store(self.bucket, self.s3)
        for kind in faults:
            if kind.startswith("hf_"):
                self._fault_hf(kind)
            elif kind == "s3_mid_publish":
                store = FlakyStore(self.bucket, self.s3, allowed=self.rng.randint(0, 6))
            elif kind == "tamper":
                self._fault_tamper(stored)
                continue
            elif kind == "stray":
                self._fault_stray()
            if kind != "tamper":
                self.tally.faults[kind] += 1
        summaries: list[RunSummary] = []
        if "concurrent" in faults:
            other = threading.Thread(
                target=lambda: summaries.append(self._run_once(S3Store(self.bucket, self.s3),
                                                               self.now)))
            other.start()
            summaries.append(self._run_once(store, self.now))
            other.join()
        else:
            summaries.append(self._run_once(store, self.now))
        for s in summaries:
            self.tally.statuses[str(s.status)] += 1
        clean = len(summaries) == 1 and summaries[0].status == "ok"
        if not faults and not self.repairs and not clean:
            # Nothing went wrong this hour and nothing is left broken: the run must be clean
            # (a stray object must not hold the site back for good).
            s = summaries[0]
            self._violation(f"a run without faults was {s.status}: {s.error or s.withheld or ''}"
                            f"{s.days_unreadable or ''}"[:300])
        self.check(clean, faults)

    # ------------------------------------------------------------------ the promises
    def _violation(self, what: str) -> None:
        self.tally.violations.append(f"run {self.tally.runs} ({self.now:%Y-%m-%dT%H}): {what}")

    def check(self, clean: bool, faults: list[str]) -> None:
        objects = self._objects()
        bodies: dict[str, bytes] = {}
        for key, etag in objects.items():
            if key in self.strays:
                continue
            if self.checked.get(key) != etag or key.startswith("archive/"):
                bodies[key] = self._get(key)
        self._check_archive(objects, bodies)
        self.archive_bodies = {k: b for k, b in bodies.items() if k.startswith("archive/")}
        for key, body in bodies.items():
            if self.checked.get(key) == objects[key]:
                continue
            self.checked[key] = objects[key]
            self.tally.objects_checked += 1
            problem = readback_problem(key, body)
            if problem:
                self._violation(f"{key}: {problem}")
        self._check_counts(objects, clean, faults)

    def _check_archive(self, objects: dict[str, str], bodies: dict[str, bytes]) -> None:
        set_aside = b"".join(b for k, b in bodies.items() if "/set-aside/" in k)
        for key in [k for k in objects if k.startswith("archive/") and "/set-aside/" not in k]:
            if key in self.strays:
                continue
            ids = archived_ids(bodies[key])
            lost = {i for i in self.ledger.get(key, set()) - (ids or set())
                    if i.encode() not in set_aside}
            if lost:
                self._violation(f"{key} lost {sorted(lost)[:3]}")
            if ids is not None:
                self.ledger[key] = self.ledger.get(key, set()) | ids
        for key in set(self.ledger) - objects.keys():
            self._violation(f"{key} disappeared")

    def _check_counts(self, objects: dict[str, str], clean: bool, faults: list[str]) -> None:
        expected = self._oracle(objects)
        for slug, want in expected.items():
            key = f"feeds/{slug}.atom"
            if key not in objects:
                if want and clean:
                    self._violation(f"{key} missing, archive warrants {want}")
                continue
            got = entry_count(self._get(key))
            before = self.counts.get(key)
            if clean and got != want:
                self._violation(f"{key}: {got} entries after a clean run, archive warrants "
                                f"{want}")
            elif not clean and got not in (want, before) and got < want:
                self._violation(f"{key}: {got} entries (was {before}, archive warrants {want}) "
                                f"after {faults}")
            self.counts[key] = got

    def _oracle(self, objects: dict[str, str]) -> dict[str, int]:
        """Entries each checked feed should hold, counted from the archive documents alone."""
        horizon = self.now.date() + timedelta(days=1)
        days: dict[date, set[str]] = {}
        for key in objects:
            if key in self.strays or "/set-aside/" in key or not key.startswith("archive/"):
                continue
            day = date.fromisoformat(key[len("archive/"):-len(".json")])
            ids = archived_ids(self.archive_bodies[key])
            if ids and day <= horizon:
                days[day] = ids
        if not days:
            return {}
        as_of = max([self.now.date(), *days])
        out: dict[str, int] = {}
        for slug, shape in CHECKED_FEEDS.items():
            if shape is None:  # every paper of the latest 3 HF days
                picked = sorted(days, reverse=True)[:3]
                out[slug] = len(set().union(*(days[d] for d in picked)))
            else:
                window, top = shape
                first = as_of - timedelta(days=window - 1)
                ids = set().union(*(v for d, v in days.items() if first <= d <= as_of))
                out[slug] = min(top, len(ids))
        return out

    def soak(self, runs: int, progress: bool = False) -> Tally:
        started = time.monotonic()
        for n in range(1, runs + 1):
            self.step()
            if progress and n % 100 == 0:  # a long soak says how far it is
                print(f"soak: {n}/{runs} runs, {sum(self.tally.faults.values())} faults, "
                      f"{len(self.tally.violations)} violations, "
                      f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        self.tally.seconds = time.monotonic() - started
        return self.tally


def archived_ids(body: bytes) -> set[str] | None:
    """The arXiv ids a stored day document holds, or None when it is not a day document."""
    try:
        doc = json.loads(body)
        return {p["arxiv_id"] for p in doc["papers"] if isinstance(p.get("arxiv_id"), str)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


ATOM = "{http://www.w3.org/2005/Atom}"


def entry_count(feed: bytes) -> int:
    """Entries of an Atom feed (lxml: the soak reads thousands; feedparser reads the rest of
    the suite's feeds)."""
    return len(etree.fromstring(feed).findall(f"{ATOM}entry"))


def readback_problem(key: str, body: bytes) -> str:
    """Why a published object does not read back as what it claims to be; "" when it does."""
    if key.startswith("archive/"):
        return ""  # the archive's own check is the ledger
    if UNSAFE in body.lower() and not key.endswith(".js"):
        return "carries a javascript: URL"
    try:
        if key.endswith((".atom", ".rss")):
            root = etree.fromstring(body)
            if root.tag not in (ATOM + "feed", "rss"):
                return f"root element {root.tag}"
            if entry_count(body) and root.find(f"{ATOM}entry/{ATOM}id") is None \
                    and root.find("channel/item/guid") is None:
                return "entries without ids"
        elif key.endswith(".json"):
            json.loads(body)
        elif key.endswith(".opml"):
            etree.fromstring(body)
        elif key.endswith(".html") and html.fromstring(body).find(".//title") is None:
            return "page without a title"
    except (ValueError, etree.XMLSyntaxError) as exc:
        return f"does not parse: {exc}"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # a soak's runs log thousands of expected errors
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    soak = Soak(f"http://{host}:{port}", f"soak-{args.seed}", args.seed)
    try:
        tally = soak.soak(args.runs, progress=True)
    finally:
        soak.close()
        server.stop()
    print(json.dumps(tally.report(), indent=1))
    return 1 if tally.violations else 0


if __name__ == "__main__":
    sys.exit(main())
