"""The feed catalogue: each feed is one declarative line; selection is pure.

A selection sees the archive as ranked days (newest first, non-empty, up to the run's date)
and returns either papers (one entry each) or days (one digest entry each).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .models import RankedPaper

RankedDays = Mapping[date, tuple[RankedPaper, ...]]
Selection = list[RankedPaper] | list[tuple[date, tuple[RankedPaper, ...]]]


def latest_days(days: RankedDays, count: int) -> list[date]:
    """The `count` most recent HF days with a non-empty list, newest first."""
    return sorted((d for d, papers in days.items() if papers), reverse=True)[:count]


def papers_of_latest_days(count: int) -> Callable[[RankedDays], list[RankedPaper]]:
    def select(days: RankedDays) -> list[RankedPaper]:
        out: list[RankedPaper] = []
        for day in latest_days(days, count):
            out.extend(days[day])  # already in rank order
        return dedupe(out)

    return select


def digest_of_latest_days(
    count: int, top: int
) -> Callable[[RankedDays], list[tuple[date, tuple[RankedPaper, ...]]]]:
    def select(days: RankedDays) -> list[tuple[date, tuple[RankedPaper, ...]]]:
        return [(day, days[day][:top]) for day in latest_days(days, count)]

    return select


def dedupe(papers: list[RankedPaper]) -> list[RankedPaper]:
    """One entry per paper: HF can list a paper on two days; its earliest listing wins,
    so a reader never sees the same paper twice and its published time never moves."""
    first: dict[str, RankedPaper] = {}
    for item in papers:
        seen = first.get(item.paper.arxiv_id)
        if seen is None or item.paper.day < seen.paper.day:
            first[item.paper.arxiv_id] = item
    keep = {id(v) for v in first.values()}
    return [p for p in papers if id(p) in keep]


@dataclass(frozen=True)
class FeedSpec:
    name: str
    title: str
    description: str
    kind: Literal["papers", "digest"]
    select: Callable[[RankedDays], Selection]


CATALOGUE: tuple[FeedSpec, ...] = (
    FeedSpec(
        "daily",
        "Hugging Face Daily Papers",
        "Every paper of the latest 3 Hugging Face Daily Papers days, ranked by upvotes.",
        "papers",
        papers_of_latest_days(3),
    ),
    FeedSpec(
        "digest",
        "Hugging Face Daily Papers: daily digest",
        "One entry a day: the day's top 10 papers by upvotes, latest 14 days.",
        "digest",
        digest_of_latest_days(14, 10),
    ),
)

# How far back the catalogue looks, so the run loads only the archive days it needs.
LOOKBACK_HF_DAYS = 14
