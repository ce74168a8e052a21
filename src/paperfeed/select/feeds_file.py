"""The feed language: definitions files (TOML) -> `FeedDefinition`s, checked strictly. Pure.

A file holds `[[feed]]` tables; every key but `slug` and `title` is optional:

    [[feed]]
    slug = "diffusion-20"                 # its address: feeds/diffusion-20.atom (.rss, .json)
    title = "Diffusion, 20+ upvotes"       # or a table by language: {en = "...", ko = "..."}
    description = "What the feed holds."   # likewise
    include = ["diffusion", "text-to-image"]   # any of these terms (whole words; "agent*")
    exclude = ["survey"]                       # none of these
    organizations = ["nvidia"]                 # HF handle or name, any of these
    authors = ["Yann LeCun"]                   # any of these
    min_upvotes = 20
    has_code = true                            # only papers with a code repository
    window = 30                                # calendar days, 1 to 90
    top = 0                                    # 0: every match newest first; N: top N by upvotes

Any mistake (a TOML syntax error, an unknown key, a wrong type, a selection that narrows
nothing, a duplicate or unsafe slug) is one `FeedsFileError` naming the file, the feed and
the problem: a deployer's typo stops the run before it fetches or publishes anything.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from ..errors import FeedsFileError
from ..models import Criteria, FeedDefinition
from .matching import MAX_PHRASE, words

MAX_WINDOW = 90  # the archive days a run loads for feeds (organisation feeds look as far)
MAX_FEEDS = 500
MAX_TERMS = 200
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_TEXT_KEYS = ("title", "description")
_TERM_KEYS = ("include", "exclude", "organizations", "authors")
_KEYS = {"slug", *_TEXT_KEYS, *_TERM_KEYS, "min_upvotes", "has_code", "window", "top"}


def _text(value: Any, key: str, lang: str, fail: Any) -> str:
    """A string, or a table of strings by language code: the site's, else English's."""
    if isinstance(value, str):
        chosen = value
    elif isinstance(value, Mapping) and value:
        bad = [k for k, v in value.items() if not _LANG.match(k) or not isinstance(v, str)]
        if bad:
            fail(f"{key}: {bad[0]!r} is not a language code with a text")
        chosen = value.get(lang) or value.get("en") or next(iter(value.values()))
    else:
        fail(f"{key} must be a text or a table of texts by language")
    chosen = " ".join(chosen.split())
    if not chosen or len(chosen) > 300 or any(ord(c) < 32 for c in chosen):
        fail(f"{key} must be 1 to 300 printable characters")
    return chosen


def _terms(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(f"{key} must be a list of texts")
    terms = tuple(" ".join(v.split()) for v in value)
    if len(terms) > MAX_TERMS:
        fail(f"{key} holds more than {MAX_TERMS} terms")
    for term in terms:
        if not term.rstrip("*") or "*" in term.rstrip("*") or len(term) > 100:
            fail(f"{key}: {term!r} is not a term (1 to 100 characters, '*' only at the end)")
        if key in ("include", "exclude") and not 1 <= len(words(term.rstrip("*"))) <= MAX_PHRASE:
            fail(f"{key}: {term!r} must hold 1 to {MAX_PHRASE} words of letters or digits")
    return terms


def _number(value: Any, key: str, low: int, high: int, fail: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        fail(f"{key} must be a whole number from {low} to {high}, got {value!r}")
    return value


def definition(table: Any, lang: str, family: str, fail: Any) -> FeedDefinition:
    """One `[[feed]]` table -> its definition; `fail(problem)` raises for this feed."""
    if not isinstance(table, Mapping):
        fail("is not a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        fail(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    for key in ("slug", "title"):
        if key not in table:
            fail(f"has no {key}")
    if not isinstance(table.get("has_code", False), bool):
        fail(f"has_code must be true or false, got {table['has_code']!r}")
    criteria = Criteria(
        **{k: _terms(table[k], k, fail) for k in _TERM_KEYS if k in table},
        min_upvotes=_number(table.get("min_upvotes", 0), "min_upvotes", 0, 1_000_000, fail),
        has_code=table.get("has_code", False),
        window=_number(table.get("window", 30), "window", 1, MAX_WINDOW, fail),
        top=_number(table.get("top", 0), "top", 0, 1_000, fail),
    )
    if not criteria.narrows:
        fail("selects every paper: give include, organizations, authors, min_upvotes "
             "or has_code")
    return FeedDefinition(
        slug=table["slug"],
        title=_text(table["title"], "title", lang, fail),
        description=_text(table.get("description", table["title"]), "description", lang, fail),
        criteria=criteria,
        family=family,
    )


def parse_feeds_file(text: str, source: str, *, lang: str = "en", family: str = "custom",
                     prefix: str = "", reserved: frozenset[str] = frozenset()
                     ) -> tuple[FeedDefinition, ...]:
    """A definitions file's text -> its feeds, each slug under `prefix` ("topics/"), none
    of them `reserved` (the catalogue's own names). `source` names the file in errors."""
    def fail_at(where: str):  # type: ignore[no-untyped-def]
        def fail(problem: str) -> None:
            raise FeedsFileError(f"{source}: {where}: {problem}")
        return fail

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedsFileError(f"{source}: not TOML: {exc}") from None
    unknown = sorted(set(doc) - {"feed"})
    if unknown:
        fail_at("file")(f"unknown key {unknown[0]!r} (a file holds [[feed]] tables)")
    tables = doc.get("feed", [])
    if not isinstance(tables, list) or not tables:
        fail_at("file")("holds no [[feed]] table")
    if len(tables) > MAX_FEEDS:
        fail_at("file")(f"holds more than {MAX_FEEDS} feeds")
    out: list[FeedDefinition] = []
    seen: set[str] = set()
    for n, table in enumerate(tables, 1):
        slug = table.get("slug") if isinstance(table, Mapping) else None
        fail = fail_at(f"feed {slug!r}" if isinstance(slug, str) else f"feed #{n}")
        if not isinstance(slug, str) or not _SLUG.match(slug):
            fail("slug must be 1 to 64 of a-z, 0-9 and '-' (not at either end), "
                 f"got {slug!r}")
        full = prefix + slug
        if full in seen:
            fail("is defined twice")
        if full in reserved:
            fail(f"slug {slug!r} is one of paperfeed's own feeds")
        seen.add(full)
        d = definition(table, lang, family, fail)
        out.append(FeedDefinition(full, d.title, d.description, d.criteria, d.family))
    return tuple(out)
