"""One HF day's list: the JSON API (paged), else the day's HTML page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from ..errors import ParseError
from ..models import ParseResult
from ..parse.api import api_items
from ..parse.page import page_items
from ..parse.papers import papers_from_items
from .hf import API_PAGE_SIZE, FetchError, HFClient

log = logging.getLogger(__name__)

MAX_API_PAGES = 10  # 1,000 papers; HF's busiest days hold ~100


@dataclass(frozen=True)
class DayScrape:
    """What scraping one day gave: papers (possibly none) from a source, or an error."""

    day: date
    result: ParseResult | None
    source: str  # "api", "page" or "" when both failed
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None


def scrape_day(client: HFClient, day: date) -> DayScrape:
    """The day's list. One request on the happy path; the page only when the API fails."""
    try:
        items: list = []
        for page in range(MAX_API_PAGES):
            batch = api_items(client.api_page(day, page))
            items.extend(batch)
            # A full page means there may be more: a busy day is never cut short.
            if len(batch) < API_PAGE_SIZE:
                break
        return DayScrape(day, papers_from_items(items, day), "api")
    except (FetchError, ParseError) as api_error:
        log.warning("API failed for %s, trying the page: %s", day, api_error)
        try:
            result = papers_from_items(page_items(client.day_page(day), day), day)
        except (FetchError, ParseError) as page_error:
            return DayScrape(day, None, "", f"api: {api_error}; page: {page_error}")
        return DayScrape(day, result, "page")
