"""What the archive site knows of every archived day without reading the day: two derived
documents, rebuilt from the archive whenever they disagree with it. Pure.

- `state/days.json`, the ledger: each day's stored version (the ETag of its archive
  document), its number of papers and the digest of its searchable text. Day pages, the
  archive index and the search bundles decide from it alone whether they changed.
- `state/months/YYYY-MM.json`: each day of one month as `PaperCard`s (the text a search
  finds, the counts a month page ranks by), with the version it was made from.

Both are read as untrusted input: a document that is not one is none at all, and the run
rebuilds it from the archive documents (which stay the only truth; nothing here is lost
when one of these is).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

from ..models import DayEntry, PaperCard, RankedPaper
from ..parse.papers import arxiv_identity
from ..render.inputs import digest

LEDGER = "state/days.json"
SCHEMA = 1

Month = dict[date, tuple[str, tuple[PaperCard, ...]]]  # day -> (version, its cards)


def month_key(year: int, month: int) -> str:
    return f"state/months/{year:04d}-{month:02d}.json"


def card_of(item: RankedPaper) -> PaperCard:
    p = item.paper
    return PaperCard(p.arxiv_id, p.title, p.day, item.rank, p.upvotes, p.comments,
                     p.organization, p.authors, p.ai_keywords, p.abstract)


def search_digest(cards: Iterable[PaperCard]) -> str:
    """The digest of what a search finds a day's papers by (not their counts, which move
    every hour and are not searched, nor the order they rank the papers in)."""
    return digest(sorted((c.arxiv_id, c.title, c.day.isoformat(), c.authors, c.organization,
                          c.keywords, c.abstract) for c in cards))


def entry_of(version: str, cards: tuple[PaperCard, ...]) -> DayEntry:
    return DayEntry(version, len(cards), search_digest(cards))


def encode_ledger(days: Mapping[date, DayEntry]) -> bytes:
    records = {d.isoformat(): [e.version, e.papers, e.search] for d, e in sorted(days.items())}
    doc = {"schema": SCHEMA, "days": records}
    return json.dumps(doc, indent=0, sort_keys=True).encode("utf-8")


def decode_ledger(body: bytes | None) -> tuple[dict[date, DayEntry], str]:
    """The ledger and "", or an empty one and why the bytes are not one."""
    doc, why = _document(body)
    if doc is None:
        return {}, why
    out: dict[date, DayEntry] = {}
    for key, value in doc.items():
        day = _day(key)
        if (day is None or not isinstance(value, list) or len(value) != 3
                or not all(isinstance(v, t) for v, t in zip(value, (str, int, str), strict=True))
                or isinstance(value[1], bool) or value[1] < 0):
            return {}, f"malformed record {key!r}"
        out[day] = DayEntry(*value)
    return out, ""


_CARD_FIELDS = ("id", "title", "rank", "upvotes", "comments", "org", "authors", "keywords",
                "abstract")


def encode_month(month: Month) -> bytes:
    days = {}
    for day, (version, cards) in sorted(month.items()):
        days[day.isoformat()] = {"version": version, "papers": [
            [c.arxiv_id, c.title, c.rank, c.upvotes, c.comments, c.organization,
             list(c.authors), list(c.keywords), c.abstract] for c in cards]}
    return json.dumps({"schema": SCHEMA, "days": days}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True).encode("utf-8")


def decode_month(body: bytes | None) -> tuple[Month, str]:
    """A month's cards and "", or none and why the bytes are not a month document."""
    doc, why = _document(body)
    if doc is None:
        return {}, why
    out: Month = {}
    for key, value in doc.items():
        day = _day(key)
        if day is None or not isinstance(value, dict) or not isinstance(value.get("version"), str) \
                or not isinstance(value.get("papers"), list):
            return {}, f"malformed day {key!r}"
        cards = []
        for record in value["papers"]:
            card = _card(record, day)
            if card is None:
                return {}, f"malformed paper on {key}"
            cards.append(card)
        out[day] = (value["version"], tuple(cards))
    return out, ""


def _card(record: object, day: date) -> PaperCard | None:
    if not isinstance(record, list) or len(record) != len(_CARD_FIELDS):
        return None
    arxiv_id, title, rank, upvotes, comments, org, authors, keywords, abstract = record
    strings = (arxiv_id, title, org, abstract)
    numbers = (rank, upvotes, comments)
    if not all(isinstance(s, str) for s in strings) or not title:
        return None
    if arxiv_identity(arxiv_id) != "=" + arxiv_id:  # a paper id as parse makes them, only
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        return None
    if not all(isinstance(v, list) and all(isinstance(s, str) for s in v)
               for v in (authors, keywords)):
        return None
    return PaperCard(arxiv_id, title, day, rank, upvotes, comments, org, tuple(authors),
                     tuple(keywords), abstract)


def _document(body: bytes | None) -> tuple[dict | None, str]:
    if body is None:
        return None, ""
    try:
        doc = json.loads(body)
    except ValueError as exc:
        return None, f"not JSON: {exc}"
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(
            doc.get("days"), dict):
        return None, "not a document of this schema"
    return doc["days"], ""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
