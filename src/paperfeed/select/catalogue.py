"""The feed catalogue: each feed is one declarative line; selection is pure.

A selection sees the archive as ranked days (non-empty HF days, each in rank order) and the
catalogue's date, and returns either papers (one entry each) or days (one digest entry each).
Everything else (files, OPML, landing page, README table) is generated from `CATALOGUE`.

Beside the catalogue's own feeds, `build_catalogue` adds the families a reader follows: the
shipped topics (`topics.toml`), one feed per HF organisation with enough recent papers,
papers with code, and the feeds a deployer declares (FEEDS_FILE), all in the feed language
of `feeds_file.py` and selected by `matching(criteria)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Literal

from ..i18n import N_, Lang
from ..models import Criteria, FeedDefinition, Paper, RankedPaper
from .feeds_file import MAX_WINDOW, parse_feeds_file
from .matching import Matcher
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


def matching(criteria: Criteria) -> Callable[[RankedDays, date], list[RankedPaper]]:
    """The papers of the criteria's window that match them: the `top` most upvoted, or
    (top 0) every match, newest day first and by rank within a day."""
    matcher = Matcher(criteria)

    def select(days: RankedDays, as_of: date) -> list[RankedPaper]:
        papers = [r for r in _newest_first(days, calendar_days(days, as_of, criteria.window))
                  if matcher.matches(r.paper)]
        if criteria.top:
            return sorted(papers, key=lambda r: rank_key(r.paper))[:criteria.top]
        return papers

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
    family: str = "main"  # main, code, topics, orgs, custom: how the lists group it
    literal: bool = False  # title and description are the text itself, not message ids
    # The terms that put a paper in this feed, said in its entry (topic and declared feeds).
    why: Callable[[Paper], tuple[str, ...]] | None = None
    label: str = ""  # its short name in the lists ("NVIDIA", "Agents"); "" for the title
    literal_description: bool = False  # the description is the text itself (a topic's)

    def texts(self, lang: Lang) -> tuple[str, str, str]:
        """(title, description, label) in `lang`."""
        title = self.title if self.literal else lang._(self.title, **self.params)
        literal = self.literal or self.literal_description
        description = self.description if literal else lang._(self.description, **self.params)
        return title, description, self.label or title


def _threshold(n: int) -> FeedSpec:
    return FeedSpec(
        f"upvotes-{n}",
        N_("Hugging Face Daily Papers: {n}+ upvotes"),
        N_("Every paper of the last 30 days that reached {n} upvotes, newest first."),
        "papers",
        matching(Criteria(min_upvotes=n, window=30)),
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
             "papers", matching(Criteria(window=7, top=20)), featured=True),
    FeedSpec("monthly", N_("Hugging Face Daily Papers: top 30 of the month"),
             N_("The 30 most upvoted papers listed in the last 30 days."),
             "papers", matching(Criteria(window=30, top=30))),
    *(_threshold(n) for n in (10, 25, 50, 100)),
)

HAS_CODE = FeedSpec(
    "has-code", N_("Hugging Face Daily Papers: papers with code"),
    N_("Every paper of the last 7 days with a code repository, newest first."),
    "papers", matching(Criteria(has_code=True, window=7)), family="code")

# Organisation feeds: one per HF organisation with at least ORG_MIN_PAPERS papers listed in
# the last ORG_WINDOW days, each holding those papers, newest first.
ORG_WINDOW = 90
DEFAULT_ORG_MIN_PAPERS = 3
TOPICS_FILE = "select/topics.toml"
# Names a deployer's feed may not take: the catalogue's own (and the feed list's).
RESERVED = frozenset({*(s.name for s in CATALOGUE), HAS_CODE.name, "index"})

# How far back the catalogue looks, so a run loads only the archive days it needs.
LOOKBACK_HF_DAYS = 14
LOOKBACK_CALENDAR_DAYS = max(30, ORG_WINDOW, MAX_WINDOW)


def shipped_topics(lang: str = "en") -> tuple[FeedDefinition, ...]:
    """The topics in the package's `topics.toml`, titled in `lang` (English otherwise)."""
    text = resources.files("paperfeed").joinpath(TOPICS_FILE).read_text(encoding="utf-8")
    return parse_feeds_file(text, TOPICS_FILE, lang=lang, family="topics", prefix="topics/")


def definition_spec(d: FeedDefinition) -> FeedSpec:
    """A declared feed (topic or deployer's) as the catalogue renders it."""
    why = Matcher(d.criteria).matched if d.criteria.include else None
    if d.family == "topics":  # titled like every feed of ours, the topic after the colon
        return FeedSpec(d.slug, N_("Hugging Face Daily Papers: {topic}"), d.description,
                        "papers", matching(d.criteria), params={"topic": d.title},
                        family=d.family, why=why, label=d.title, literal_description=True)
    return FeedSpec(d.slug, d.title, d.description, "papers", matching(d.criteria),
                    family=d.family, literal=True, why=why)


def organization_counts(days: RankedDays, as_of: date) -> dict[str, tuple[str, int]]:
    """HF handle (lower case) -> (its name as HF shows it, papers in the last ORG_WINDOW
    days), each paper counted once however many days listed it."""
    seen: dict[str, tuple[str, set[str]]] = {}
    for item in _newest_first(days, calendar_days(days, as_of, ORG_WINDOW)):
        p = item.paper
        if p.organization_id:
            name, ids = seen.setdefault(p.organization_id.lower(), (p.organization, set()))
            ids.add(p.arxiv_id)
    return {handle: (name, len(ids)) for handle, (name, ids) in seen.items()}


def organization_spec(handle: str, name: str) -> FeedSpec:
    return FeedSpec(
        f"orgs/{handle}", N_("Hugging Face Daily Papers: {org}"),
        N_("Every paper from {org} listed in the last 90 days, newest first."), "papers",
        matching(Criteria(organizations=(handle,), window=ORG_WINDOW)),
        params={"org": name or handle}, family="orgs", label=name or handle)


@dataclass(frozen=True)
class Catalogue:
    """A run's feeds: those to render, and those kept as last published but listed
    inactive (an organisation below its threshold keeps its address and its entries)."""

    feeds: tuple[FeedSpec, ...]
    inactive: tuple[FeedSpec, ...] = ()
    published: frozenset[str] = frozenset()  # feeds already in the store, by name


def build_catalogue(
    days: RankedDays,
    as_of: date,
    *,
    topics: tuple[FeedDefinition, ...] = (),
    declared: tuple[FeedDefinition, ...] = (),
    org_min_papers: int = DEFAULT_ORG_MIN_PAPERS,
    published: frozenset[str] = frozenset(),
) -> Catalogue:
    """Every feed of this run: the catalogue's, has-code, the topics, the organisations
    with at least `org_min_papers` recent papers (0: none), the deployer's. `published`
    names the feeds already in the store: an organisation that fell below the threshold
    stays listed, inactive, and its published feed is left as it is."""
    orgs = organization_counts(days, as_of) if org_min_papers else {}
    by_name = sorted(orgs.items(), key=lambda kv: (kv[1][0].casefold(), kv[0]))
    active = [organization_spec(h, name) for h, (name, n) in by_name if n >= org_min_papers]
    names = {s.name for s in active}
    inactive = [organization_spec(h, orgs.get(h, ("", 0))[0])
                for h in sorted(n.removeprefix("orgs/") for n in published
                                if n.startswith("orgs/")) if f"orgs/{h}" not in names]
    feeds = (*CATALOGUE, HAS_CODE, *map(definition_spec, topics), *active,
             *map(definition_spec, declared))
    return Catalogue(feeds, tuple(inactive), published)


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
