"""Recorded HF responses in, the records a reader will see out."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from fake_hf import FIXTURES, PAGE_20240801, TWO_DAYS_07, page_html
from wire import parse_api, parse_page

from paperfeed.errors import ParseError
from paperfeed.parse.page import page_items
from paperfeed.parse.papers import clean_url, paper_from_item

JUNE12 = "api_daily_papers__2026-06-12__sotawhat_limit100.json"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_api_day_gives_every_paper_with_its_fields() -> None:
    result = parse_api(fixture(JUNE12), date(2026, 6, 12))
    assert len(result.papers) == 30 and not result.skipped
    by_id = {p.arxiv_id: p for p in result.papers}
    minimax = next(p for p in result.papers if p.github_repo == "https://github.com/MiniMax-AI/MSA")
    assert minimax.upvotes == 103 and minimax.github_stars == 251
    assert minimax.organization == "MiniMax"
    first = by_id["2606.00467"]
    assert first.authors == ("Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez")
    assert first.organization == "California institute of technology"
    assert first.comments == 2
    assert first.day == date(2026, 6, 12)
    assert first.listed_at == datetime(2026, 6, 12, tzinfo=UTC)
    # The paper's own publication, not the New York-shifted top-level publishedAt.
    assert first.published_at == datetime(2026, 5, 30, tzinfo=UTC)
    assert first.thumbnail.endswith("/papers/2606.00467.png")
    assert first.ai_keywords[0] == "zero-shot annotation"
    assert first.abstract.startswith("Large Language Models (LLMs)")
    assert sum(1 for p in result.papers if p.media_urls) == 2


def test_hidden_authors_are_left_out() -> None:
    items = json.loads(fixture(JUNE12))
    hidden = [(it["paper"]["id"], a["name"]) for it in items for a in it["paper"]["authors"]
              if a.get("hidden")]
    assert hidden, "the fixture holds a hidden author"
    papers = {p.arxiv_id: p for p in parse_api(fixture(JUNE12), date(2026, 6, 12)).papers}
    for arxiv_id, name in hidden:
        assert name not in papers[arxiv_id].authors


def test_items_of_another_day_are_skipped_with_a_reason() -> None:
    result = parse_api(fixture(TWO_DAYS_07), date(2026, 7, 13))
    assert len(result.papers) == 14
    assert len(result.skipped) == 11
    assert all("listed on 2026-07-10" in s.reason for s in result.skipped)


def test_page_fallback_reads_the_hydration_props_not_visible_text() -> None:
    result = parse_page(fixture(PAGE_20240801), date(2024, 8, 1))
    assert len(result.papers) == 13
    llama = result.papers[0]
    assert llama.title == "The Llama 3 Herd of Models"
    assert llama.upvotes == 94 and llama.comments == 5
    # paper.title carries "\n  " line wraps on this page: whitespace is normalised.
    assert all("\n" not in p.title and "  " not in p.title for p in result.papers)
    # 2024 items have no submittedOnDailyAt: the requested day is the HF day.
    assert {p.day for p in result.papers} == {date(2024, 8, 1)}


def test_page_and_api_give_the_same_records() -> None:
    items = json.loads(fixture(JUNE12))
    from_page = parse_page(page_html("2026-06-12", items), date(2026, 6, 12))
    assert from_page == parse_api(fixture(JUNE12), date(2026, 6, 12))


def test_page_without_dailypapers_props_is_a_layout_change() -> None:
    with pytest.raises(ParseError, match="layout"):
        page_items(b"<html><div data-target='MainHeader' data-props='{}'></div></html>",
                   date(2026, 6, 12))


def test_page_of_another_day_is_refused() -> None:
    with pytest.raises(ParseError, match="shows 2026-06-12"):
        page_items(page_html("2026-06-12", []), date(2026, 6, 13))


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b'{"error": "x"}', b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b"null"],
)
def test_api_answers_that_are_not_a_list_are_parse_errors(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_api(body, date(2026, 6, 12))


def _item(**paper: object) -> dict[str, object]:
    return {"paper": {"id": "2606.00001", "title": "T", **paper}, "numComments": 1}


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"paper": {"title": "no id"}}, "no paper id"),
        ({"paper": {"id": "2606.00001"}}, "no title"),
        ({"paper": {"id": "2606.00001", "title": "   "}}, "no title"),
        ({"paper": {"id": "../../etc/passwd", "title": "x"}}, "not an arXiv id"),
        ({"paper": {"id": 2606.00001, "title": "x"}}, "no paper id"),
        ({"paper": None}, "no 'paper' object"),
        ("a string", "not an object"),
    ],
)
def test_records_without_id_or_title_are_skipped(item: object, reason: str) -> None:
    assert reason in str(paper_from_item(item, date(2026, 6, 12)))


def test_wrong_types_count_as_missing() -> None:
    paper = paper_from_item(
        _item(upvotes="lots", authors={"name": "x"}, githubStars=True, ai_keywords="kw",
              submittedOnDailyAt=12, organization=["x"], summary=None),
        date(2026, 6, 12),
    )
    assert not isinstance(paper, str)
    assert (paper.upvotes, paper.authors, paper.github_stars) == (0, (), None)
    assert paper.ai_keywords == ()
    assert paper.day == date(2026, 6, 12) and paper.organization == "" and paper.abstract == ""


def test_text_is_cleaned_but_unicode_and_latex_survive() -> None:
    paper = paper_from_item(
        _item(title="$\\text{Transformer}^2$:\n  Self-adaptive\x00 LLMs\x1b — Zoë",
              authors=[{"name": "김민수"}, {"name": "Zoë Müller\ud800"}]),
        date(2026, 6, 12),
    )
    assert not isinstance(paper, str)
    assert paper.title == "$\\text{Transformer}^2$: Self-adaptive LLMs — Zoë"
    assert paper.authors == ("김민수", "Zoë Müller")


def test_overlong_fields_are_truncated_visibly() -> None:
    paper = paper_from_item(_item(title="x" * 5000, summary="y" * 50_000), date(2026, 6, 12))
    assert not isinstance(paper, str)
    assert len(paper.title) == 500 and paper.title.endswith("…")
    assert len(paper.abstract) == 10_000 and paper.abstract.endswith("…")


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://github.com/a/b", True),
        ("http://example.org/x?y=1", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("https://x.org/\"onmouseover=alert(1)", False),
        ("https://x.org/a b", False),
        (42, False),
    ],
)
def test_only_http_urls_are_kept(url: object, kept: bool) -> None:
    assert bool(clean_url(url)) is kept
