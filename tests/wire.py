"""A whole HF answer through parse, as scrape.scrape_day takes it: its items, then papers."""

from __future__ import annotations

from datetime import date

from paperfeed.models import ParseResult
from paperfeed.parse.api import api_items
from paperfeed.parse.page import page_items
from paperfeed.parse.papers import papers_from_items


def parse_api(body: bytes, requested_day: date) -> ParseResult:
    return papers_from_items(api_items(body), requested_day)


def parse_page(body: bytes, requested_day: date) -> ParseResult:
    return papers_from_items(page_items(body, requested_day), requested_day)
