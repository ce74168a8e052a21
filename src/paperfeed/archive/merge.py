"""The merge: one pure decision over (stored day, fresh papers, now), each rule with its reason.

The archive is the store of record: a failed or empty fetch never erases what was stored,
papers missing from a fresh list are kept, and translations carry over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from ..models import Day, Paper, Translation


@dataclass(frozen=True)
class Merge:
    day: Day
    changed: bool
    reason: str


# Fields an HF answer may leave out for a paper it knows: what we stored stands then (an
# answer without `summary` or `authors` is not news that they are gone).
KEPT_WHEN_MISSING = ("abstract", "authors", "organization", "organization_id", "published_at",
                     "thumbnail", "github_repo", "github_stars", "project_page", "ai_summary",
                     "ai_keywords", "media_urls")


def _kept_fields(fresh: Paper, stored: Paper) -> dict[str, object]:
    kept: dict[str, object] = {}
    for name in KEPT_WHEN_MISSING:
        if getattr(fresh, name) in ("", (), None) and getattr(stored, name) not in ("", (), None):
            kept[name] = getattr(stored, name)
    if "github_repo" in kept:  # the stars belong with the repository kept
        kept["github_stars"] = stored.github_stars
    return kept


def _same_content(a: Paper, b: Paper) -> bool:
    return replace(a, updated_at=None) == replace(b, updated_at=None)


def with_translations(day: Day, new: dict[str, Translation], now: datetime) -> Day | None:
    """The day with `new` translations (arxiv id -> translation) added, replacing the same
    language's; None when none of its papers got one. Such a paper's entry changed."""
    papers = []
    for paper in day.papers:
        t = new.get(paper.arxiv_id)
        if t is not None:
            kept = tuple(x for x in paper.translations if x.lang != t.lang)
            paper = replace(paper, translations=(*kept, t), updated_at=now)
        papers.append(paper)
    if tuple(papers) == day.papers:
        return None
    return Day(day.date, tuple(papers), now)


def merge_day(
    stored: Day | None, fresh: tuple[Paper, ...] | None, on: date, now: datetime
) -> Merge:
    """Decide the day's document from what was stored and what was just fetched."""
    if fresh is None:
        # The fetch failed: the stored document stands as it is.
        return Merge(stored or Day(on, ()), False, "fetch failed; kept what was stored")
    if not fresh:
        # An empty list is a normal day, but never overwrites papers we already saw
        # (HF answering empty for a day it listed before is a glitch, not news).
        if stored and stored.papers:
            return Merge(stored, False, "fetched an empty list; kept the stored papers")
        return Merge(stored or Day(on, ()), False, "empty day")

    old = {p.arxiv_id: p for p in stored.papers} if stored else {}
    merged: list[Paper] = []
    changed = False
    for paper in fresh:
        before = old.pop(paper.arxiv_id, None)
        if before is not None:
            # When HF listed a paper never moves, whatever later answers say; HF knows
            # nothing of our translations, so they carry over (each names the text it was
            # made from, and the renderers show it only while that text is current).
            paper = replace(paper, listed_at=before.listed_at, translations=before.translations,
                            **_kept_fields(paper, before))
            if _same_content(paper, before):
                merged.append(before)
                continue
            if _same_content(replace(paper, organization_id=before.organization_id), before):
                # Only the organisation's handle is new (documents written before it was
                # kept): store it, but the entry's content did not change for readers.
                merged.append(replace(before, organization_id=paper.organization_id))
                changed = True
                continue
        merged.append(replace(paper, updated_at=now))
        changed = True
    # Papers missing from the fresh list are kept: a partial answer must not erase them,
    # and readers already have them.
    merged.extend(old.values())

    if not changed:
        return Merge(stored, False, "no change")  # type: ignore[arg-type]
    return Merge(Day(on, tuple(merged), now), True, "updated")
