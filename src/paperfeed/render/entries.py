"""What an entry says, decided once for every format. Pure.

Everything from HF is escaped here (html.escape on text, http(s)-only URLs were enforced
by parse); the format renderers only place these values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from html import escape

from ..i18n import Lang
from ..models import (
    HF_DAY_URL,
    DigestMeta,
    Entry,
    Feed,
    Paper,
    PaperMeta,
    RankedPaper,
    Translation,
)
from ..select.catalogue import FeedSpec, Selection
from ..text import clock_utc, shorten
from ..translate.identity import displayable
from .paper_facts import authors_line, counts, paper_links, translation_labels

MAX_AUTHORS_SHOWN = 10
SUMMARY_CHARS = 400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _updated(p: Paper) -> datetime:
    return p.updated_at or p.listed_at


def paper_updated(p: Paper) -> datetime:
    """A paper entry's update time: its own, never before it was listed."""
    return max(_updated(p), p.listed_at)


def digest_updated(items: Iterable[RankedPaper]) -> datetime:
    return max((_updated(i.paper) for i in items), default=EPOCH)


def feed_updated(kind: str, selection: Selection, empty_updated: datetime = EPOCH) -> datetime:
    """A feed's update time, from its selection alone (the lists show it without the feed
    being built): the newest of its entries' times."""
    if kind == "digest":
        times = [digest_updated(items) for _, items in selection]  # type: ignore[misc]
    else:
        times = [paper_updated(r.paper) for r in selection]  # type: ignore[union-attr]
    return max(times, default=empty_updated)


def _a(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def counts_line(item: RankedPaper, lang: Lang) -> str:
    """'▲ 117 upvotes · 4 comments · #1 on 2026-01-09 · as of 2026-01-10 14:00 UTC'.

    "As of" is when the counts last changed, not when the feed was built: readers do not
    re-show updated entries, so the line says how old its numbers are, and a run that
    finds nothing new changes no byte."""
    p = item.paper
    return " · ".join((
        *counts(p, lang),
        lang._("#{rank} on {day}", rank=item.rank, day=p.day.isoformat()),
        lang._("as of {time}", time=clock_utc(_updated(p))),
    ))


def authors_text(authors: tuple[str, ...], lang: Lang) -> str:
    return authors_line(authors, MAX_AUTHORS_SHOWN, lang)


def links_html(p: Paper, lang: Lang) -> str:
    links = paper_links(p, lang, hf=True, discussion=True, stars=lambda s: f" ({s})")
    return " · ".join(_a(link.url, link.text) + escape(link.after) for link in links)


def paper_html(item: RankedPaper, lang: Lang, translate_to: str = "",
               why: tuple[str, ...] = ()) -> str:
    p = item.paper
    parts = [f"<p><strong>{escape(counts_line(item, lang))}</strong></p>"]
    if why:  # in a topic or declared feed: the terms that put the paper there
        matched = lang._("Matched: {terms}", terms=", ".join(why))
        parts.append(f"<p><small>{escape(matched)}</small></p>")
    if p.authors:
        parts.append(f"<p>{escape(authors_text(p.authors, lang))}</p>")
    if p.organization:
        organisation = lang._("Organisation: {name}", name=p.organization)
        parts.append(f"<p>{escape(organisation)}</p>")
    parts.append(f"<p>{links_html(p, lang)}</p>")
    if p.thumbnail:
        parts.append(f'<p><img src="{escape(p.thumbnail)}" alt="" loading="lazy"></p>')
    if p.ai_summary:
        tldr = lang._("TL;DR: {text}", text=p.ai_summary)
        parts.append(f"<p><em>{escape(tldr)}</em></p>")
    if p.ai_keywords:
        keywords = lang._("Keywords: {list}", list=", ".join(p.ai_keywords))
        parts.append(f"<p>{escape(keywords)}</p>")
    if p.abstract:
        parts.append(f"<p>{escape(p.abstract)}</p>")
    t = shown_translation(p, translate_to)
    if t is not None:
        parts.append(translation_html(t, lang))
    return "\n".join(parts)


def shown_translation(p: Paper, translate_to: str) -> Translation | None:
    """The paper's translation into `translate_to`, if it was made from its current text."""
    if not translate_to:
        return None
    t = p.translation(translate_to)
    return t if displayable(t, p, translate_to) else None


def translation_html(t: Translation, lang: Lang) -> str:
    """After the original: model text, escaped like HF's, marked with its language."""
    points = "".join(f"<li>{escape(point)}</li>" for point in t.key_points)
    labels = translation_labels(t, lang)
    return (
        f'<div lang="{escape(t.lang)}"><p><strong>{escape(labels["summary"])}:</strong> '
        f"{escape(t.summary)}</p>"
        f"<p><strong>{escape(labels['points'])}:</strong></p><ul>{points}</ul>"
        f"<p><strong>{escape(labels['abstract'])}:</strong> {escape(t.abstract)}</p>"
        f"<p><small>{escape(labels['note'])}</small></p></div>"
    )


def _categories(why: tuple[str, ...], keywords: tuple[str, ...]) -> tuple[str, ...]:
    """The matched terms first, then HF's keywords, each once (case-insensitively)."""
    seen: set[str] = set()
    out = []
    for term in (*(w.rstrip("*") for w in why), *keywords):
        if term.casefold() not in seen:
            seen.add(term.casefold())
            out.append(term)
    return tuple(out)


def paper_entry(item: RankedPaper, lang: Lang, translate_to: str = "",
                why: tuple[str, ...] = ()) -> Entry:
    p = item.paper
    t = shown_translation(p, translate_to)
    return Entry(
        id=p.url,
        title=p.title,  # never counts: readers re-show an entry whose title changes
        link=p.url,
        published=p.listed_at,
        updated=paper_updated(p),
        content_html=paper_html(item, lang, translate_to, why),
        summary_text=shorten(p.abstract or p.ai_summary, SUMMARY_CHARS),
        authors=p.authors[:MAX_AUTHORS_SHOWN],
        categories=_categories(why, p.ai_keywords),
        image=p.thumbnail,
        meta=PaperMeta(p.upvotes, p.comments, item.rank, p.day.isoformat(), p.arxiv_id,
                       p.organization),
        translation=None if t is None else {
            "lang": t.lang, "summary": t.summary, "abstract": t.abstract,
            "key_points": list(t.key_points),
        },
    )


def digest_html(items: Iterable[RankedPaper], lang: Lang, translate_to: str = "") -> str:
    rows = []
    for item in items:
        p = item.paper
        org = f" · {escape(p.organization)}" if p.organization else ""
        t = shown_translation(p, translate_to)
        rows.append(
            f"<li><p><strong>#{item.rank}</strong> {_a(p.url, p.title)}"
            f" · ▲ {lang.number(p.upvotes)}{org} · {_a(p.arxiv_abs, 'arXiv')}</p>"
            + (f"<p>{escape(shorten(p.abstract, 600))}</p>" if p.abstract else "")
            + (f'<p lang="{escape(t.lang)}">{escape(t.summary)}</p>' if t else "")
            + "</li>"
        )
    return "<ol>\n" + "\n".join(rows) + "\n</ol>"


def digest_entry(
    day: date, items: tuple[RankedPaper, ...], lang: Lang, translate_to: str = ""
) -> Entry:
    url = HF_DAY_URL.format(day=day.isoformat())
    top = items[0].paper.title if items else ""
    return Entry(
        id=url,  # stable per day, whatever our own URL is
        title=lang._("Hugging Face Daily Papers, {day}: top {n}", day=day.isoformat(),
                     n=len(items)),
        link=url,
        published=datetime.combine(day, time(0), tzinfo=UTC),
        updated=digest_updated(items),
        content_html=digest_html(items, lang, translate_to),
        summary_text=f"#1 {top}" if top else "",
        meta=DigestMeta(day.isoformat(), len(items)),
    )


def build_feed(
    spec: FeedSpec,
    selection: Selection,
    site_url: str,
    lang: Lang,
    empty_updated: datetime = EPOCH,
    hub: str = "",
    translate_to: str = "",
    made: dict[tuple[int, tuple[str, ...]], Entry] | None = None,
) -> Feed:
    """A feed of the spec's entries. Its `updated` moves only when an entry changed.
    `made` keeps the paper entries built so far this run: a paper in a dozen feeds is
    made into an entry once per reason it is in them (its `why`)."""
    made = {} if made is None else made
    if spec.kind == "digest":
        entries = tuple(digest_entry(d, items, lang, translate_to)
                        for d, items in selection)  # type: ignore[misc]
    else:
        entries = tuple(_paper_entry(item, lang, translate_to, spec.why, made)
                        for item in selection)  # type: ignore[union-attr]
    title, description, _ = spec.texts(lang)
    return Feed(
        name=spec.name,
        title=title,
        description=description,
        family=spec.family,
        language=lang.code,
        site_url=site_url,
        updated=feed_updated(spec.kind, selection, empty_updated),
        entries=entries,
        hub=hub,
    )


def _paper_entry(item: RankedPaper, lang: Lang, translate_to: str,
                 why: Callable[[Paper], tuple[str, ...]] | None,
                 made: dict[tuple[int, tuple[str, ...]], Entry]) -> Entry:
    reasons = why(item.paper) if why else ()
    key = (id(item), reasons)
    entry = made.get(key)
    if entry is None:
        entry = made[key] = paper_entry(item, lang, translate_to, reasons)
    return entry
