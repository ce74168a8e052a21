"""Day documents (`archive/YYYY-MM-DD.json`): encode, decode and merge. Pure.

The archive is the store of record. The merge is one pure decision over (stored, fresh,
now); each rule carries its reason. Same content in, same bytes out, so a re-fetch that
finds nothing new leaves the document byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from .errors import ArchiveError
from .models import Day, Paper, Translation
from .rank import rank_papers
from .text import iso_utc, parse_iso
from .translate.answer import translation_fields
from .translate.settings import LANG_CODE

SCHEMA = 1
_TUPLE_FIELDS = {"authors", "ai_keywords", "media_urls"}
_TIME_FIELDS = {"listed_at", "published_at", "updated_at"}


def archive_key(day: date) -> str:
    return f"archive/{day.isoformat()}.json"


def day_from_key(key: str) -> date | None:
    name = key.rsplit("/", 1)[-1]
    if not name.endswith(".json"):
        return None
    try:
        return date.fromisoformat(name[: -len(".json")])
    except ValueError:
        return None


def _time(value: datetime | None) -> str | None:
    return None if value is None else iso_utc(value)


def _parse_time(value: Any) -> datetime | None:
    return None if value is None else parse_iso(str(value)).astimezone(UTC)


def translation_to_dict(t: Translation) -> dict[str, Any]:
    """A translation as its archive record stores it."""
    out: dict[str, Any] = {
        "lang": t.lang,
        "model": t.model,
        "prompt_version": t.prompt_version,
        "source_hash": t.source_hash,
        "summary": t.summary,
        "abstract": t.abstract,
        "key_points": list(t.key_points),
    }
    if t.translated_at is not None:
        out["translated_at"] = _time(t.translated_at)
    return out


def translation_from_dict(data: Any) -> Translation | None:
    """A stored translation, or None when it is not one (it is then made again)."""
    if not isinstance(data, Mapping):
        return None
    keys = ("lang", "model", "prompt_version", "source_hash")
    if not all(isinstance(data.get(k), str) and data.get(k) for k in keys):
        return None
    if not LANG_CODE.match(data["lang"]):  # it ends up in lang="..." attributes
        return None
    fields_, _ = translation_fields(data)
    if fields_ is None:
        return None
    when = None
    if isinstance(data.get("translated_at"), str):
        try:
            when = parse_iso(data["translated_at"])
        except ValueError:
            return None
        if when.tzinfo is None:
            return None
        when = when.astimezone(UTC)
    return Translation(
        lang=data["lang"],
        model=data["model"],
        prompt_version=data["prompt_version"],
        source_hash=data["source_hash"],
        translated_at=when,
        **fields_,
    )


def translations_to_json(by_lang: Mapping[str, Translation]) -> dict[str, dict[str, Any]]:
    """A paper's translations for its archive record: {lang: {...}}, keys sorted."""
    return {lang: translation_to_dict(by_lang[lang]) for lang in sorted(by_lang)}


def translations_from_json(data: Any) -> dict[str, Translation]:
    """The inverse, tolerant: unreadable entries are dropped (and will be made again)."""
    if not isinstance(data, Mapping):
        return {}
    out: dict[str, Translation] = {}
    for lang, value in data.items():
        t = translation_from_dict(value)
        if t is not None and t.lang == lang:
            out[lang] = t
    return out


def paper_to_dict(paper: Paper) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(Paper):
        value = getattr(paper, f.name)
        if f.name == "translations":
            if value:  # absent when there are none: older documents stay byte-identical
                out["translations"] = translations_to_json({t.lang: t for t in value})
            continue
        if f.name in _TIME_FIELDS:
            value = _time(value)
        elif f.name == "day":
            value = value.isoformat()
        elif f.name in _TUPLE_FIELDS:
            value = list(value)
        out[f.name] = value
    return out


def paper_from_dict(data: dict[str, Any]) -> Paper:
    known = {f.name for f in fields(Paper)}
    # Unknown keys are ignored so an older reader survives a newer document.
    values = {k: v for k, v in data.items() if k in known}
    for name in _TIME_FIELDS & values.keys():
        values[name] = _parse_time(values[name])
    for name in _TUPLE_FIELDS & values.keys():
        values[name] = tuple(values[name])
    values["day"] = date.fromisoformat(values["day"])
    values["translations"] = tuple(translations_from_json(data.get("translations")).values())
    return Paper(**values)


def encode_day(day: Day) -> bytes:
    """Deterministic bytes: papers in rank order, fixed key order, UTF-8 as is."""
    doc = {
        "schema": SCHEMA,
        "day": day.day.isoformat(),
        "changed_at": _time(day.changed_at),
        "papers": [paper_to_dict(r.paper) for r in rank_papers(day.papers)],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def decode_day(body: bytes) -> Day:
    try:
        doc = json.loads(body.decode("utf-8"))
        papers = tuple(paper_from_dict(p) for p in doc["papers"])
        return Day(date.fromisoformat(doc["day"]), papers, _parse_time(doc.get("changed_at")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ArchiveError(f"unreadable day document: {exc.__class__.__name__}: {exc}") from None


@dataclass(frozen=True)
class Merge:
    day: Day
    changed: bool
    reason: str


def _same_content(a: Paper, b: Paper) -> bool:
    return replace(a, updated_at=None) == replace(b, updated_at=None)


def with_translations(day: Day, new: dict[str, Translation], now: datetime) -> Day | None:
    """The day with `new` translations (arxiv id -> translation) added, replacing the same
    language's; None when none of its papers got one. Such a paper's entry changed."""
    papers = []
    for paper in day.papers:
        t = new.get(paper.arxiv_id)
        if t is not None:
            kept = tuple(x for x in paper.translations if x.lang != t.lang)
            paper = replace(paper, translations=(*kept, t), updated_at=now)
        papers.append(paper)
    if tuple(papers) == day.papers:
        return None
    return Day(day.day, tuple(papers), now)


def merge_day(
    stored: Day | None, fresh: tuple[Paper, ...] | None, on: date, now: datetime
) -> Merge:
    """Decide the day's document from what was stored and what was just fetched."""
    if fresh is None:
        # The fetch failed: the stored document stands as it is.
        return Merge(stored or Day(on, ()), False, "fetch failed; kept what was stored")
    if not fresh:
        # An empty list is a normal day, but never overwrites papers we already saw
        # (HF answering empty for a day it listed before is a glitch, not news).
        if stored and stored.papers:
            return Merge(stored, False, "fetched an empty list; kept the stored papers")
        return Merge(stored or Day(on, ()), False, "empty day")

    old = {p.arxiv_id: p for p in stored.papers} if stored else {}
    merged: list[Paper] = []
    changed = False
    for paper in fresh:
        before = old.pop(paper.arxiv_id, None)
        if before is not None:
            # When HF listed a paper never moves, whatever later answers say; HF knows
            # nothing of our translations, so they carry over (each names the text it was
            # made from, and the renderers show it only while that text is current).
            paper = replace(paper, listed_at=before.listed_at, translations=before.translations)
            if _same_content(paper, before):
                merged.append(before)
                continue
        merged.append(replace(paper, updated_at=now))
        changed = True
    # Papers missing from the fresh list are kept: a partial answer must not erase them,
    # and readers already have them.
    merged.extend(old.values())

    if not changed:
        return Merge(stored, False, "no change")  # type: ignore[arg-type]
    return Merge(Day(on, tuple(merged), now), True, "updated")
