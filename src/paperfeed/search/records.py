"""What the search index holds of each paper. Pure.

One record per paper, linked to its place on its day's page; the text searched is what a
person remembers a paper by (title, authors, organisation, keywords, abstract), never the
counts, so an hour of upvotes leaves every record, and so the index, as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import Lang
from ..models import PaperCard
from ..render.archive_pages import day_key, paper_anchor


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site's root: days/2026-06-01.html#p-2606.01234
    title: str
    content: str  # searched with the title: authors, organisation, keywords, abstract
    meta: tuple[tuple[str, str], ...]  # shown with a result: its day, its organisation


def search_records(cards: Iterable[PaperCard], lang: Lang) -> list[SearchRecord]:
    out = []
    for c in cards:
        # Not the title: the record's page indexes it as its heading (pagefind.record_page),
        # and twice over it showed twice in an excerpt ("Title. Title. Authors...").
        content = "\n".join(part for part in (
            ", ".join(c.authors), c.organization, ", ".join(c.keywords), c.abstract,
        ) if part)
        meta = [("day", lang.long_date(c.day)), ("date", c.day.isoformat())]
        if c.organization:
            meta.append(("org", c.organization))
        out.append(SearchRecord(f"{day_key(c.day)}#{paper_anchor(c.arxiv_id)}", c.title,
                                content, tuple(meta)))
    return out
