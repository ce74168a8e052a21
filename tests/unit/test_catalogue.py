"""The catalogue's selection rules over plain ranked days."""

from __future__ import annotations

from datetime import date, timedelta

from factories import paper

from paperfeed.models import Paper, RankedPaper
from paperfeed.select.catalogue import CATALOGUE, FeedSpec, dedupe
from paperfeed.select.rank import rank_papers

AS_OF = date(2026, 7, 31)


def spec(name: str) -> FeedSpec:
    return next(s for s in CATALOGUE if s.name == name)


def ranked_days(*days: tuple[date, list[Paper]]) -> dict[date, tuple[RankedPaper, ...]]:
    return {d: rank_papers(ps) for d, ps in days}


def month() -> dict[date, tuple[RankedPaper, ...]]:
    """40 days ending at AS_OF; day k holds papers with upvotes k and 100 + k."""
    days = []
    for k in range(40):
        d = AS_OF - timedelta(days=k)
        low, high = paper(f"26{k:02d}.00001", k, day=d), paper(f"26{k:02d}.00002", 100 + k, day=d)
        days.append((d, [low, high]))
    return ranked_days(*days)


def test_catalogue_has_the_advertised_feeds_once_each() -> None:
    names = [s.name for s in CATALOGUE]
    assert names == ["daily", "digest", "weekly", "monthly",
                     "upvotes-10", "upvotes-25", "upvotes-50", "upvotes-100"]
    assert all(s.title and s.description.endswith(".") for s in CATALOGUE)


def test_daily_takes_latest_three_hf_days_newest_first_then_by_rank() -> None:
    days = ranked_days(
        *[(date(2026, 7, d), [paper(f"2607.000{d:02d}", day=date(2026, 7, d)),
                              paper(f"2607.001{d:02d}", 9, day=date(2026, 7, d))])
          for d in (1, 2, 3, 6)],
    )
    picked = [(r.paper.day.day, r.rank) for r in spec("daily").select(days, AS_OF)]
    assert picked == [(6, 1), (6, 2), (3, 1), (3, 2), (2, 1), (2, 2)]


def test_digest_takes_top_ten_of_each_of_fourteen_days() -> None:
    days = ranked_days(*[(date(2026, 7, d), [paper(f"2607.{d:02d}{i:03d}", i, day=date(2026, 7, d))
                                            for i in range(15)]) for d in range(1, 20)])
    picked = spec("digest").select(days, AS_OF)
    assert [d.day for d, _ in picked] == list(range(19, 5, -1))
    assert all([r.rank for r in items] == list(range(1, 11)) for _, items in picked)


def test_weekly_is_top_twenty_of_the_last_seven_calendar_days() -> None:
    picked = spec("weekly").select(month(), AS_OF)
    # 14 papers in 7 days (upvotes 0..6 and 100..106): all fit, best first.
    assert [r.paper.upvotes for r in picked] == [*range(106, 99, -1), *range(6, -1, -1)]
    # Rank shown stays the paper's place on its own day.
    assert {r.rank for r in picked if r.paper.upvotes >= 100} == {1}


def test_monthly_is_top_thirty_of_the_last_thirty_calendar_days() -> None:
    picked = spec("monthly").select(month(), AS_OF)
    assert len(picked) == 30
    assert [r.paper.upvotes for r in picked] == list(range(129, 99, -1))
    assert min(r.paper.day for r in picked) == AS_OF - timedelta(days=29)


def test_thresholds_take_every_paper_of_thirty_days_at_or_over_n_newest_first() -> None:
    days = month()
    for n, expected in ((10, 30 + 20), (25, 30 + 5), (50, 30), (100, 30)):
        picked = spec(f"upvotes-{n}").select(days, AS_OF)
        assert len(picked) == expected, n
        assert all(r.paper.upvotes >= n for r in picked)
        listed = [r.paper.day for r in picked]
        assert listed == sorted(listed, reverse=True)
    assert spec("upvotes-100").select(days, AS_OF)[0].paper.upvotes == 100


def test_a_paper_listed_twice_appears_once_at_its_first_listing() -> None:
    a = RankedPaper(paper("2607.00001", day=date(2026, 7, 2)), 1)
    b = RankedPaper(paper("2607.00001", day=date(2026, 7, 1)), 3)
    other = RankedPaper(paper("2607.00002", day=date(2026, 7, 2)), 2)
    assert dedupe([a, other, b]) == [other, b]
