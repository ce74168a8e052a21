"""Day documents as bytes: encode and decode, papers and translations included. Pure.

Same content in, same bytes out (rank order, fixed key order, UTF-8 as is), so a re-fetch
that finds nothing new leaves the document byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from typing import Any

from ..errors import ArchiveError
from ..models import Day, Paper, Translation
from ..parse.papers import paper_from_record
from ..select.rank import rank_papers
from ..text import iso_utc, parse_iso
from ..translate.answer import translation_fields
from ..translate.settings import LANG_CODE

SCHEMA = 1
_TUPLE_FIELDS = {"authors", "ai_keywords", "media_urls"}
_TIME_FIELDS = {"listed_at", "published_at", "updated_at"}


def _time(value: datetime | None) -> str | None:
    return None if value is None else iso_utc(value)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_iso(value).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


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
        if f.name == "organization_id" and not value:
            continue  # absent when unknown, as in documents written before it existed
        if f.name in _TIME_FIELDS:
            value = _time(value)
        elif f.name == "day":
            value = value.isoformat()
        elif f.name in _TUPLE_FIELDS:
            value = list(value)
        out[f.name] = value
    return out


def paper_from_dict(data: dict[str, Any], day: date | None = None) -> Paper:
    """A stored record -> Paper through parse's typed reader (ArchiveError if unusable)."""
    on = day or _date(data.get("day") if isinstance(data, Mapping) else None)
    paper = paper_from_record(data, on)
    if isinstance(paper, str):
        raise ArchiveError(f"unusable paper record: {paper}")
    return replace(paper, translations=tuple(
        translations_from_json(data.get("translations")).values()))


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise ArchiveError(f"day {value!r} is not YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArchiveError(f"day {value!r} is not YYYY-MM-DD") from None


def encode_day(day: Day) -> bytes:
    """Deterministic bytes: papers in rank order, fixed key order, UTF-8 as is."""
    doc = {
        "schema": SCHEMA,
        "day": day.date.isoformat(),
        "changed_at": _time(day.changed_at),
        "papers": [paper_to_dict(r.paper) for r in rank_papers(day.papers)],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def decode_day(body: bytes) -> Day:
    """A day document -> Day, read as strictly as an HF answer. Records that cannot be a
    paper are left out (`skipped_records` says why); a document that is not a day at all
    raises ArchiveError."""
    try:
        doc = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ArchiveError(f"unreadable day document: {exc.__class__.__name__}: {exc}") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("papers"), list):
        raise ArchiveError("unreadable day document: not an object with a papers list")
    on = _date(doc.get("day"))
    papers, seen = [], set()
    for record in doc["papers"]:
        try:
            paper = paper_from_dict(record, on)
        except ArchiveError:
            continue
        if paper.arxiv_id not in seen:  # one paper once, whatever its version suffixes
            seen.add(paper.arxiv_id)
            papers.append(paper)
    return Day(on, tuple(papers), _parse_time(doc.get("changed_at")))


def skipped_records(body: bytes) -> list[str]:
    """Why each unusable record of a readable day document was left out (for the log)."""
    try:
        doc = json.loads(body.decode("utf-8"))
        on = _date(doc.get("day"))
        records = doc["papers"]
    except (ValueError, RecursionError, TypeError, KeyError, AttributeError, ArchiveError):
        return []
    out = []
    for i, record in enumerate(records):
        paper = paper_from_record(record, on)
        if isinstance(paper, str):
            out.append(f"record {i}: {paper}")
    return out
