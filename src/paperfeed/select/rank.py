"""Ranking: a paper's place on its own HF day. Pure and deterministic."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Paper, RankedPaper


def rank_key(paper: Paper) -> tuple[int, int, str]:
    # Most upvotes first; ties (common) go to the more discussed paper, then to the
    # arXiv id, so the same data always gives the same order.
    return (-paper.upvotes, -paper.comments, paper.arxiv_id)


def rank_papers(papers: Iterable[Paper]) -> tuple[RankedPaper, ...]:
    """A day's papers in rank order, numbered from 1."""
    ordered = sorted(papers, key=rank_key)
    return tuple(RankedPaper(p, i) for i, p in enumerate(ordered, start=1))
