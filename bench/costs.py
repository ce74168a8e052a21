"""What a month costs at 1k, 100k and 10M subscribers: the arithmetic behind docs/scaling.md.

    .venv/bin/python bench/costs.py [bench/results.json]

Reads the measured sizes and S3 calls from bench/results.json (written by `make bench`) and
prices them with the published on-demand rates below (us-east-1 / North America edges; where
and when they were read: docs/scaling.md). Prints the Markdown table the doc quotes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"

# --- published prices (USD), read 2026-11-23; sources in docs/scaling.md -----------------
LAMBDA_ARM_GB_S = 0.0000133334
LAMBDA_PER_REQUEST = 0.20 / 1e6
LAMBDA_FREE_GB_S, LAMBDA_FREE_REQUESTS = 400_000, 1_000_000
S3_STANDARD_GB_MONTH = 0.023
S3_PUT_LIST = 0.005 / 1000
S3_GET = 0.0004 / 1000
CF_HTTPS_REQUEST = 0.0100 / 10_000
CF_FREE_REQUESTS, CF_FREE_GB = 10_000_000, 1024  # always-free tier: 10M requests, 1 TB
# North America / Europe, data transfer out to the internet: first 10 TB, next 40 TB, next
# 100 TB, next 350 TB, next 524 TB, next 4 PB, over 5 PB (as cumulative ceilings in GB).
CF_TIERS_GB = [
    (10 * 1024, 0.085), (50 * 1024, 0.080), (150 * 1024, 0.060), (500 * 1024, 0.040),
    (1024 * 1024, 0.030), (5120 * 1024, 0.025), (float("inf"), 0.020),
]
CF_FREE_INVALIDATION_PATHS, CF_INVALIDATION_PATH = 1000, 0.005

# --- assumptions -----------------------------------------------------------------------
POLLS_PER_MONTH = 4 * 24 * 30  # every 15 minutes, a 30-day month
RUNS_PER_MONTH = 24 * 30  # hourly schedule
CHANGED_RUNS = RUNS_PER_MONTH  # worst case: counts move every hour
LAMBDA_GB = 0.5  # MemorySize 512
LAMBDA_SECONDS = 12.0  # per run on Lambda (see docs/scaling.md for how this is estimated)
NOT_MODIFIED_BYTES = 600  # a 304: status line and headers only
REGIONAL_CACHES = 13  # CloudFront regional edge caches that each fetch from the origin
GB = 1024**3


def cf_transfer(gb: float) -> float:
    """Tiered data-transfer cost after the always-free terabyte."""
    billable, cost, floor = max(0.0, gb - CF_FREE_GB), 0.0, 0.0
    for ceiling, price in CF_TIERS_GB:
        span = min(billable + CF_FREE_GB, ceiling) - max(floor, CF_FREE_GB)
        if span > 0:
            cost += span * price
        floor = ceiling
        if billable + CF_FREE_GB <= ceiling:
            break
    return cost


def month(subscribers: int, r: dict) -> dict[str, float]:
    feed = r["sizes"]["feeds/daily.atom"]["gzip"]  # the featured feed, compressed at the edge
    polls = subscribers * POLLS_PER_MONTH
    bodies = subscribers * min(POLLS_PER_MONTH, CHANGED_RUNS)  # conditional GETs: 1 per change
    gb_conditional = (bodies * feed + (polls - bodies) * NOT_MODIFIED_BYTES) / GB
    gb_naive = polls * feed / GB  # readers that never send If-None-Match
    changed = r["s3_calls_changed_run"]
    unchanged_run = r["s3_calls_unchanged_run"]
    puts = CHANGED_RUNS * changed.get("PutObject", 0)
    lists = RUNS_PER_MONTH * changed.get("ListObjectsV2", 0)
    gets = RUNS_PER_MONTH * unchanged_run.get("GetObject", 0)
    # CloudFront fetches an object from S3 at most once per regional cache per invalidation or
    # max-age expiry (900 s): bounded by the caches, not by the subscribers.
    polled_objects = len([k for k in r["sizes"] if k.startswith("feeds/")]) + 1
    origin_gets = min(polls, polled_objects * REGIONAL_CACHES * POLLS_PER_MONTH)
    paths = CHANGED_RUNS * (changed.get("PutObject", 0) + 1)  # + "/" for index.html
    gb_s = RUNS_PER_MONTH * LAMBDA_SECONDS * LAMBDA_GB
    noncurrent_gb = CHANGED_RUNS * changed.get("bytes_put", 0) / GB  # versions kept 30 days
    stored_gb = (r["site_bytes"] + r["archive_mb"] * 1e6 * 12) / GB + noncurrent_gb
    return {
        "subscribers": subscribers,
        "polls": polls,
        "cf_requests": max(0, polls - CF_FREE_REQUESTS) * CF_HTTPS_REQUEST,
        "gb_conditional": gb_conditional,
        "cf_bytes_conditional": cf_transfer(gb_conditional),
        "gb_naive": gb_naive,
        "cf_bytes_naive": cf_transfer(gb_naive),
        "invalidation_paths": paths,
        "cf_invalidations": max(0, paths - CF_FREE_INVALIDATION_PATHS) * CF_INVALIDATION_PATH,
        "cf_invalidations_wildcard": max(0, CHANGED_RUNS - CF_FREE_INVALIDATION_PATHS)
        * CF_INVALIDATION_PATH,
        "s3_requests": (puts + lists) * S3_PUT_LIST + (gets + origin_gets) * S3_GET,
        "s3_origin_gets": origin_gets,
        "s3_storage_gb": stored_gb,
        "s3_storage": stored_gb * S3_STANDARD_GB_MONTH,
        "lambda_gb_s": gb_s,
        "lambda": max(0, gb_s - LAMBDA_FREE_GB_S) * LAMBDA_ARM_GB_S
        + max(0, RUNS_PER_MONTH - LAMBDA_FREE_REQUESTS) * LAMBDA_PER_REQUEST,
        "lambda_no_free_tier": gb_s * LAMBDA_ARM_GB_S + RUNS_PER_MONTH * LAMBDA_PER_REQUEST,
    }


def money(x: float) -> str:
    return f"${x:,.2f}" if x < 100 else f"${x:,.0f}"


def table(r: dict) -> str:
    cols = [month(n, r) for n in (1_000, 100_000, 10_000_000)]
    rows = [
        ("subscribers", lambda c: f"{c['subscribers']:,}"),
        ("polls (CloudFront requests) / month", lambda c: f"{c['polls']:,.0f}"),
        ("CloudFront requests", lambda c: money(c["cf_requests"])),
        ("CloudFront bytes, conditional GETs",
         lambda c: f"{c['gb_conditional']:,.0f} GB: {money(c['cf_bytes_conditional'])}"),
        ("CloudFront bytes, readers without ETags",
         lambda c: f"{c['gb_naive']:,.0f} GB: {money(c['cf_bytes_naive'])}"),
        ("CloudFront invalidations, a path per object",
         lambda c: f"{c['invalidation_paths']:,} paths: {money(c['cf_invalidations'])}"),
        ("CloudFront invalidations, one `/*` per run",
         lambda c: f"{CHANGED_RUNS:,} paths: {money(c['cf_invalidations_wildcard'])}"),
        ("S3 requests (the runs, and at most this many origin GETs)",
         lambda c: f"{money(c['s3_requests'])} ({c['s3_origin_gets']:,.0f})"),
        ("S3 storage (a year of archive, 30 days of versions)",
         lambda c: f"{c['s3_storage_gb']:.1f} GB: {money(c['s3_storage'])}"),
        ("Lambda (arm64, 512 MB)",
         lambda c: f"{c['lambda_gb_s']:,.0f} GB-s: {money(c['lambda'])} "
                   f"({money(c['lambda_no_free_tier'])} without free tier)"),
        ("**total, conditional GETs, `/*` invalidation**",
         lambda c: "**" + money(c["cf_requests"] + c["cf_bytes_conditional"]
                                + c["cf_invalidations_wildcard"] + c["s3_requests"]
                                + c["s3_storage"] + c["lambda"]) + "**"),
    ]
    out = ["| per month | 1k | 100k | 10M |", "|---|---|---|---|"]
    for label, cell in rows[1:]:
        out.append(f"| {label} | " + " | ".join(cell(c) for c in cols) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    print(table(json.loads(path.read_text(encoding="utf-8"))))
