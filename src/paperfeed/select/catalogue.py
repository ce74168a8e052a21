"""The feed catalogue: each feed is one declarative line; selection is pure.

A selection sees the archive as ranked days (non-empty HF days, each in rank order) and the
catalogue's date, and returns either papers (one entry each) or days (one digest entry each).
Everything else (files, OPML, landing page, README table) is generated from `CATALOGUE`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ..i18n import N_
from ..models import RankedPaper
from .rank import rank_key

RankedDays = Mapping[date, tuple[RankedPaper, ...]]
DigestDays = list[tuple[date, tuple[RankedPaper, ...]]]
Selection = list[RankedPaper] | DigestDays


def latest_days(days: RankedDays, count: int) -> list[date]:
    """The `count` most recent HF days with a non-empty list, newest first."""
    return sorted((d for d, papers in days.items() if papers), reverse=True)[:count]


def calendar_days(days: RankedDays, as_of: date, count: int) -> list[date]:
    """HF days among the `count` calendar days ending at `as_of`, newest first."""
    first = as_of - timedelta(days=count - 1)
    return sorted((d for d in days if first <= d <= as_of and days[d]), reverse=True)


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


def _newest_first(days: RankedDays, picked: list[date]) -> list[RankedPaper]:
    out: list[RankedPaper] = []
    for day in picked:
        out.extend(days[day])  # each day already in rank order
    return dedupe(out)


def latest_hf_days(count: int) -> Callable[[RankedDays, date], list[RankedPaper]]:
    """Every paper of the latest `count` HF days: newest day first, then by rank."""
    return lambda days, as_of: _newest_first(days, latest_days(days, count))


def top_of_calendar_days(count: int, top: int) -> Callable[[RankedDays, date], list[RankedPaper]]:
    """The `top` papers by upvotes listed in the last `count` calendar days."""

    def select(days: RankedDays, as_of: date) -> list[RankedPaper]:
        papers = _newest_first(days, calendar_days(days, as_of, count))
        return sorted(papers, key=lambda r: rank_key(r.paper))[:top]

    return select


def at_least(upvotes: int, count: int = 30) -> Callable[[RankedDays, date], list[RankedPaper]]:
    """Every paper of the last `count` calendar days with `upvotes` or more, newest first."""

    def select(days: RankedDays, as_of: date) -> list[RankedPaper]:
        papers = _newest_first(days, calendar_days(days, as_of, count))
        return [r for r in papers if r.paper.upvotes >= upvotes]

    return select


def digest_of_latest_days(count: int, top: int) -> Callable[[RankedDays, date], DigestDays]:
    """One entry per HF day (latest `count`): the day's `top` papers in rank order."""
    return lambda days, as_of: [(d, days[d][:top]) for d in latest_days(days, count)]


@dataclass(frozen=True)
class FeedSpec:
    name: str
    title: str  # a message id: translated, then formatted with `params`
    description: str  # one line: what the feed holds (a message id too)
    kind: Literal["papers", "digest"]
    select: Callable[[RankedDays, date], Selection]
    featured: bool = False  # advertised for autodiscovery on the landing page
    params: Mapping[str, object] = field(default_factory=dict)


def _threshold(n: int) -> FeedSpec:
    return FeedSpec(
        f"upvotes-{n}",
        N_("Hugging Face Daily Papers: {n}+ upvotes"),
        N_("Every paper of the last 30 days that reached {n} upvotes, newest first."),
        "papers",
        at_least(n),
        params={"n": n},
    )


CATALOGUE: tuple[FeedSpec, ...] = (
    FeedSpec("daily", N_("Hugging Face Daily Papers"),
             N_("Every paper of the latest 3 Hugging Face Daily Papers days, ranked by upvotes."),
             "papers", latest_hf_days(3), featured=True),
    FeedSpec("digest", N_("Hugging Face Daily Papers: daily digest"),
             N_("One entry a day: the day's top 10 papers by upvotes, latest 14 days."),
             "digest", digest_of_latest_days(14, 10), featured=True),
    FeedSpec("weekly", N_("Hugging Face Daily Papers: top 20 of the week"),
             N_("The 20 most upvoted papers listed in the last 7 days."),
             "papers", top_of_calendar_days(7, 20), featured=True),
    FeedSpec("monthly", N_("Hugging Face Daily Papers: top 30 of the month"),
             N_("The 30 most upvoted papers listed in the last 30 days."),
             "papers", top_of_calendar_days(30, 30)),
    *(_threshold(n) for n in (10, 25, 50, 100)),
)

# How far back the catalogue looks, so a run loads only the archive days it needs.
LOOKBACK_HF_DAYS = 14
LOOKBACK_CALENDAR_DAYS = 30


def previous_month(day: date) -> tuple[int, int]:
    """(year, month) of the month before `day`'s: the one whose roundup post is built."""
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def days_to_load(known: set[date], as_of: date) -> set[date]:
    """The archived days the catalogue reads as of `as_of`: the last 30 calendar days, the
    latest 14 HF days (however old), and every day of the previous month (its roundup)."""
    recent = {d for d in known if (as_of - d).days < LOOKBACK_CALENDAR_DAYS}
    month = previous_month(as_of)
    needed = recent | set(sorted(known, reverse=True)[:LOOKBACK_HF_DAYS])
    return needed | {d for d in known if (d.year, d.month) == month}
