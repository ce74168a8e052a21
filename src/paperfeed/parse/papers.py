"""HF items -> validated `Paper` records, whichever wire shape carried them. Pure.

All cleaning happens here, once: every untrusted value goes through one typed getter (a
wrong type counts as missing, never as a crash), strings lose characters XML forbids, URLs
keep only http(s), over-long fields are truncated visibly. Items without an id or a title
come back as `Skipped` with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from ..models import Paper, ParseResult, Skipped
from ..text import clean_text, parse_iso

# Longest text we keep per field; beyond it the text is cut with a visible ellipsis.
MAX_TITLE = 500
MAX_ABSTRACT = 10_000
MAX_SHORT = 300  # names, organisation, keywords
MAX_URL = 2_000
MAX_AUTHORS = 200
MAX_KEYWORDS = 30
MAX_MEDIA = 20

# New-style (2301.00001, 2301.00001v2) and old-style (hep-th/9901001) arXiv identifiers.
# re.ASCII: \d would otherwise accept Arabic-Indic or full-width digits (and re.I lets the
# Kelvin sign match "k"), which would pass as ids and end up in URLs.
_ARXIV_ID = re.compile(
    r"^(\d{4}\.\d{4,5}|[a-z][a-z.\-]{1,20}/\d{7})(v\d{1,3})?$", re.I | re.ASCII
)
# Times outside this range are junk for papers listed since 2023 and published since 1991;
# they also keep every stored time a four-digit year the archive can read back.
_YEARS = range(1970, 2200)


# --- typed getters -----------------------------------------------------------------------

def lookup(obj: Any, *path: str) -> Any:
    """obj[path[0]][path[1]]..., or None where a step is missing or not a mapping."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def clean_url(value: Any) -> str:
    """An absolute http(s) URL, or "" (javascript:, data:, relative and odd values dropped)."""
    text = clean_text(value, MAX_URL + 1)
    if not text or len(text) > MAX_URL or any(c.isspace() for c in text):
        return ""
    lowered = text.lower()
    if not (lowered.startswith("https://") or lowered.startswith("http://")):
        return ""
    if len(text) <= len("https://") or any(c in text for c in "<>\"'`"):
        return ""
    return text


def _int(value: Any) -> int | None:
    # bool is an int subclass; a JSON `true` is not a count.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return max(0, min(value, 10**9))
    if isinstance(value, float) and value == value and abs(value) < 1e12:
        return max(0, int(value))
    return None


def _datetime(value: Any, years: range = _YEARS) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = parse_iso(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # year 1 / 9999 at the edge of a time zone
        return None
    if parsed.year not in years:
        return None
    # Whole seconds, as the archive stores them: otherwise an answer with milliseconds
    # would differ from its own stored copy and count as a change on every run.
    return parsed.replace(microsecond=0)


def _str_list(value: Any, limit: int, count: int, unique: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for item in value[:count]:
        text = clean_text(item, limit)
        if text and not (unique and text in out):
            out.append(text)
    return tuple(out)


def arxiv_identity(value: Any) -> str:
    """A paper's identity: its arXiv id without version, old-style ids in lower case,
    prefixed with "=" (2608.00001v2 -> "=2608.00001"); otherwise the reason it is none."""
    arxiv_id = clean_text(value, 64)
    if not arxiv_id:
        return "no paper id"
    match = _ARXIV_ID.match(arxiv_id)
    if not match:
        return f"paper id {arxiv_id[:40]!r} is not an arXiv id"
    # Later versions are the same paper (one entry, updated); HF's URLs take the bare id.
    return "=" + match[1].lower()


def _url_list(value: Any, count: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    urls = (clean_url(item) for item in value[:count])
    return tuple(dict.fromkeys(u for u in urls if u))


# --- one item -> Paper ---------------------------------------------------------------------

def _authors(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for author in value[:MAX_AUTHORS]:
        if not isinstance(author, Mapping) or author.get("hidden") is True:
            continue
        name = clean_text(author.get("name"), MAX_SHORT)
        if name:
            names.append(name)
    return tuple(names)


def _organization(item: Mapping[str, Any]) -> str:
    # The authors' organisation may sit inside `paper` or at the top level. The
    # `submitterOrganization` is the submitter's, not the authors': deliberately ignored.
    for org in (lookup(item, "paper", "organization"), item.get("organization")):
        if isinstance(org, Mapping):
            name = clean_text(org.get("fullname"), MAX_SHORT) or clean_text(
                org.get("name"), MAX_SHORT
            )
            if name:
                return name
    return ""


# An HF handle: what huggingface.co/<handle> accepts; anything else is no handle.
_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$", re.ASCII)


def _organization_id(item: Mapping[str, Any]) -> str:
    """The HF handle of the organisation `_organization` names (the same object's `name`)."""
    for org in (lookup(item, "paper", "organization"), item.get("organization")):
        if isinstance(org, Mapping) and (clean_text(org.get("fullname"), MAX_SHORT)
                                         or clean_text(org.get("name"), MAX_SHORT)):
            handle = clean_text(org.get("name"), MAX_SHORT)
            return handle if _HANDLE.match(handle) else ""
    return ""


def paper_from_item(item: Any, requested_day: date) -> Paper | str:
    """One API/page item -> a `Paper`, or the reason it was skipped."""
    if not isinstance(item, Mapping):
        return f"item is {type(item).__name__}, not an object"
    paper = item.get("paper")
    if not isinstance(paper, Mapping):
        return "no 'paper' object"
    arxiv_id = arxiv_identity(paper.get("id"))
    if not arxiv_id.startswith("="):
        return arxiv_id
    arxiv_id = arxiv_id[1:]
    # paper.title is the cleaner one (the top-level title sometimes differs), line wraps
    # collapse to spaces.
    title = clean_text(paper.get("title"), MAX_TITLE) or clean_text(item.get("title"), MAX_TITLE)
    if not title:
        return f"{arxiv_id}: no title"

    # The HF day is paper.submittedOnDailyAt when present; the top-level publishedAt is
    # shifted to New York time and must never be used for it.
    submitted = _datetime(paper.get("submittedOnDailyAt"))
    day = submitted.date() if submitted else requested_day
    listed_at = submitted or datetime.combine(day, time(0), tzinfo=UTC)

    stars = _int(paper.get("githubStars"))
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        day=day,
        listed_at=listed_at,
        abstract=clean_text(paper.get("summary"), MAX_ABSTRACT)
        or clean_text(item.get("summary"), MAX_ABSTRACT),
        upvotes=_int(paper.get("upvotes")) or 0,
        comments=_int(item.get("numComments")) or 0,
        authors=_authors(paper.get("authors")),
        organization=_organization(item),
        organization_id=_organization_id(item),
        published_at=_datetime(paper.get("publishedAt")),
        thumbnail=clean_url(item.get("thumbnail")),
        github_repo=clean_url(paper.get("githubRepo")),
        github_stars=stars if clean_url(paper.get("githubRepo")) else None,
        project_page=clean_url(paper.get("projectPage")),
        ai_summary=clean_text(paper.get("ai_summary"), MAX_ABSTRACT),
        ai_keywords=_str_list(paper.get("ai_keywords"), MAX_SHORT, MAX_KEYWORDS),
        media_urls=_url_list(paper.get("mediaUrls") or item.get("mediaUrls"), MAX_MEDIA),
    )


def papers_from_items(items: list[Any], requested_day: date) -> ParseResult:
    """Items of one day's list -> papers, dropping duplicates and items of other days."""
    papers: list[Paper] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        result = paper_from_item(item, requested_day)
        if isinstance(result, str):
            skipped.append(Skipped(index, result))
        elif result.day != requested_day:
            skipped.append(
                Skipped(index, f"{result.arxiv_id}: listed on {result.day}, not {requested_day}")
            )
        elif result.arxiv_id in seen:
            skipped.append(Skipped(index, f"{result.arxiv_id}: duplicate"))
        else:
            seen.add(result.arxiv_id)
            papers.append(result)
    return ParseResult(tuple(papers), tuple(skipped))


# --- a stored record -> Paper -------------------------------------------------------------
# The archive is read back as untrusted as HF's answer is (a tampered or hand-edited store):
# the same getters, the same limits, http(s)-only URLs; a value of the wrong type is dropped.
# Only times keep any year: what we wrote reads back, even a time parse would not let in.
_ANY_YEAR = range(1, 10_000)


def _stored_time(value: Any) -> datetime | None:
    return _datetime(value, _ANY_YEAR)


def paper_from_record(record: Any, day: date) -> Paper | str:
    """One paper of a stored day document -> a `Paper`, or the reason it is unusable."""
    if not isinstance(record, Mapping):
        return f"record is {type(record).__name__}, not an object"
    arxiv_id = arxiv_identity(record.get("arxiv_id"))
    if not arxiv_id.startswith("="):
        return arxiv_id
    arxiv_id = arxiv_id[1:]
    title = clean_text(record.get("title"), MAX_TITLE)
    if not title:
        return f"{arxiv_id}: no title"
    listed_at = _stored_time(record.get("listed_at")) or datetime.combine(day, time(0), tzinfo=UTC)
    handle = clean_text(record.get("organization_id"), MAX_SHORT)
    repo = clean_url(record.get("github_repo"))
    stars = _int(record.get("github_stars"))
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        day=day,
        listed_at=listed_at,
        abstract=clean_text(record.get("abstract"), MAX_ABSTRACT),
        upvotes=_int(record.get("upvotes")) or 0,
        comments=_int(record.get("comments")) or 0,
        authors=_str_list(record.get("authors"), MAX_SHORT, MAX_AUTHORS, unique=False),
        organization=clean_text(record.get("organization"), MAX_SHORT),
        organization_id=handle if _HANDLE.match(handle) else "",
        published_at=_stored_time(record.get("published_at")),
        thumbnail=clean_url(record.get("thumbnail")),
        github_repo=repo,
        github_stars=stars if repo else None,
        project_page=clean_url(record.get("project_page")),
        ai_summary=clean_text(record.get("ai_summary"), MAX_ABSTRACT),
        ai_keywords=_str_list(record.get("ai_keywords"), MAX_SHORT, MAX_KEYWORDS),
        media_urls=_url_list(record.get("media_urls"), MAX_MEDIA),
        updated_at=_stored_time(record.get("updated_at")),
    )
