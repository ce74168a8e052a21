"""The archive's merge rules and ranking, over plain dataclasses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import factories
import pytest

from paperfeed.archive.codec import decode_day, encode_day
from paperfeed.archive.merge import merge_day
from paperfeed.errors import ArchiveError
from paperfeed.models import Paper
from paperfeed.select.rank import rank_papers

D = date(2026, 7, 31)
T1 = datetime(2026, 7, 31, 14, 0, tzinfo=UTC)
T2 = datetime(2026, 8, 1, 14, 0, tzinfo=UTC)
T3 = datetime(2026, 8, 2, 14, 0, tzinfo=UTC)


def paper(arxiv_id: str, upvotes: int = 1, comments: int = 0, **kw: object) -> Paper:
    return factories.paper(arxiv_id, upvotes, comments, **{"day": D, **kw})


def test_first_sight_stores_the_day_with_its_change_time() -> None:
    merge = merge_day(None, (paper("2607.00001", 80),), D, T1)
    assert merge.changed and merge.day.changed_at == T1
    assert merge.day.papers[0].updated_at == T1


def test_a_day_that_grew_gains_papers_and_counts_but_keeps_listing_times() -> None:
    first = merge_day(None, (paper("2607.00001", 80),), D, T1).day
    late_listing = replace(paper("2607.00001", 117), listed_at=datetime(2026, 7, 31, 9, tzinfo=UTC))
    second = merge_day(first, (late_listing, paper("2607.00002", 5)), D, T2)
    assert second.changed and second.day.changed_at == T2
    got = {p.arxiv_id: p for p in second.day.papers}
    assert got["2607.00001"].upvotes == 117
    assert got["2607.00001"].listed_at == datetime(2026, 7, 31, tzinfo=UTC)  # frozen
    assert got["2607.00002"].updated_at == T2


def test_same_papers_and_counts_leave_the_document_byte_identical() -> None:
    first = merge_day(None, (paper("2607.00001", 80), paper("2607.00002", 3)), D, T1).day
    again = merge_day(first, (paper("2607.00002", 3), paper("2607.00001", 80)), D, T2)
    assert not again.changed
    assert encode_day(again.day) == encode_day(first)


def test_only_the_paper_that_changed_gets_a_new_update_time() -> None:
    first = merge_day(None, (paper("2607.00001", 80), paper("2607.00002", 3)), D, T1).day
    second = merge_day(first, (paper("2607.00001", 80), paper("2607.00002", 4)), D, T2).day
    got = {p.arxiv_id: p.updated_at for p in second.papers}
    assert got == {"2607.00001": T1, "2607.00002": T2}


@pytest.mark.parametrize("fresh", [None, ()])
def test_failed_or_empty_fetch_never_overwrites_stored_papers(fresh: tuple | None) -> None:
    stored = merge_day(None, (paper("2607.00001", 80),), D, T1).day
    merge = merge_day(stored, fresh, D, T2)
    assert not merge.changed and merge.day == stored


def test_papers_missing_from_a_fresh_answer_are_kept() -> None:
    stored = merge_day(None, (paper("2607.00001", 80), paper("2607.00002", 9)), D, T1).day
    merge = merge_day(stored, (paper("2607.00001", 81),), D, T2)
    assert {p.arxiv_id for p in merge.day.papers} == {"2607.00001", "2607.00002"}


def test_day_document_round_trips() -> None:
    day = merge_day(None, (paper("2607.00001", 8, authors=("김민수", "Zoë")),
                           paper("2607.00002", 9, ai_keywords=("a", "b"))), D, T1).day
    body = encode_day(day)
    assert "김민수".encode() in body  # UTF-8 as is, not \u escapes
    back = decode_day(body)
    assert set(back.papers) == set(day.papers) and back.changed_at == T1


@pytest.mark.parametrize("body", [b"", b"{}", b'{"day": "x", "papers": []}', b"\xff"])
def test_unreadable_documents_raise_archive_error(body: bytes) -> None:
    with pytest.raises(ArchiveError):
        decode_day(body)


def test_rank_is_by_upvotes_with_deterministic_ties() -> None:
    papers = [paper("2607.00003", 5, 1), paper("2607.00001", 5, 1), paper("2607.00002", 5, 4),
              paper("2607.00009", 50)]
    ranked = rank_papers(reversed(papers))
    assert [(r.rank, r.paper.arxiv_id) for r in ranked] == [
        (1, "2607.00009"), (2, "2607.00002"), (3, "2607.00001"), (4, "2607.00003")]
    assert rank_papers(papers) == ranked


def test_any_time_written_reads_back_even_before_year_1000() -> None:
    old = paper("2607.00001", published_at=datetime(999, 1, 2, tzinfo=UTC))
    day = merge_day(None, (old,), D, T1).day
    assert decode_day(encode_day(day)).papers[0].published_at == datetime(999, 1, 2, tzinfo=UTC)
    assert b'"changed_at": "2026-07-31T14:00:00Z"' in encode_day(day)  # same bytes as before
