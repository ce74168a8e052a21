"""The archive site's pages: one per archived day, one per month, the archive index, the
search page, and a page per topic and organisation feed. Pure; every page works without
JavaScript (the search page says so and offers the archive instead).

Every value from HF goes through html.escape; URLs were restricted to http(s) by parse.
Pages share one stylesheet (`assets/archive.css`) and the same chrome: a header with the
site's sections, feed autodiscovery, a description and Open Graph tags, so a shared link
previews as what it is.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from ..i18n import Lang
from ..models import PaperCard, RankedPaper
from ..select.rank import rank_key
from ..text import shorten
from .entries import authors_text, links_html, shown_translation, translation_html
from .page import FORMATS

MONTH_TOP = 20  # the papers a month page ranks
CSS_KEY = "assets/archive.css"


def day_key(day: date) -> str:
    return f"days/{day.isoformat()}.html"


def month_key(year: int, month: int) -> str:
    return f"months/{year:04d}-{month:02d}.html"


ARCHIVE_KEY = "archive.html"
SEARCH_KEY = "search.html"


def feed_page_key(name: str) -> str:
    """topics/agents.html for the feed feeds/topics/agents.*"""
    return f"{name}.html"


def paper_anchor(arxiv_id: str) -> str:
    return "p-" + arxiv_id.replace("/", "-")


@dataclass(frozen=True)
class PageContext:
    """What every page needs from the site: where it is, its language, the main feeds."""

    site_url: str
    lang: Lang
    feeds: tuple[tuple[str, str], ...] = ()  # (name, title) advertised for autodiscovery
    translate_to: str = ""


@dataclass(frozen=True)
class TopicLink:
    """A topic or organisation page a paper of a day page belongs to."""

    name: str  # the feed's name: topics/agents
    label: str


def _page(ctx: PageContext, key: str, title: str, description: str, body: str,
          extra_head: str = "", image: str = "") -> bytes:
    """The chrome around a page's body."""
    _ = ctx.lang._
    url = ctx.site_url + key
    discovery = "\n".join(
        f'<link rel="alternate" type="{mime}" title="{escape(feed_title)} ({label})" '
        f'href="{escape(ctx.site_url)}feeds/{escape(name)}.{ext}">'
        for name, feed_title in ctx.feeds for ext, label, mime in FORMATS)
    og_image = (f'<meta property="og:image" content="{escape(image)}">\n'
                f'<meta name="twitter:card" content="summary_large_image">') if image else \
        '<meta name="twitter:card" content="summary">'
    nav = " ".join(
        f'<a href="{escape(ctx.site_url)}{href}"{current}>{escape(text)}</a>'
        for href, text in (("", _("Feeds")), (ARCHIVE_KEY, _("Archive")),
                           (SEARCH_KEY, _("Search")))
        for current in [' aria-current="page"' if href == key else ""])
    site = escape(ctx.site_url)
    html = f"""<!doctype html>
<html lang="{escape(ctx.lang.code)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta name="description" content="{escape(description)}">
<link rel="canonical" href="{escape(url)}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="paperfeed">
<meta property="og:title" content="{escape(title)}">
<meta property="og:description" content="{escape(description)}">
<meta property="og:url" content="{escape(url)}">
{og_image}
<link rel="icon" type="image/png" href="{site}assets/favicon.png">
<link rel="stylesheet" href="{site}{CSS_KEY}">
{discovery}
{extra_head}
</head>
<body>
<header class="top"><a class="brand" href="{site}"><img src="{site}assets/icon.png" alt=""
 width="28" height="28">paperfeed</a>
<nav aria-label="{escape(_("Sections"))}">{nav}</nav></header>
<main>
{body}
</main>
</body>
</html>
"""
    return html.encode("utf-8")


def _pager(ctx: PageContext, label: str, prev: tuple[str, str] | None,
           nxt: tuple[str, str] | None) -> str:
    """Previous / next links (key, text), with rel so browsers and readers know them."""
    _ = ctx.lang._
    parts = []
    if prev:
        parts.append(f'<a rel="prev" href="{escape(ctx.site_url + prev[0])}">← '
                     f'{escape(prev[1])}</a>')
    if nxt:
        parts.append(f'<a rel="next" href="{escape(ctx.site_url + nxt[0])}">'
                     f'{escape(nxt[1])} →</a>')
    return f'<nav class="pager" aria-label="{escape(label)}">{"".join(parts)}</nav>' \
        if parts else ""


def _paper_item(item: RankedPaper, ctx: PageContext, topics: Sequence[TopicLink]) -> str:
    p, lang, _ = item.paper, ctx.lang, ctx.lang._
    meta = ["▲ " + lang.n_("{n} upvote", "{n} upvotes", p.upvotes),
            lang.n_("{n} comment", "{n} comments", p.comments)]
    if p.organization:
        meta.append(p.organization)
    parts = [
        f'<li class="paper" id="{escape(paper_anchor(p.arxiv_id))}">'
        f'<span class="rank">#{item.rank}</span><div class="body">',
        f'<h3><a href="{escape(p.url)}">{escape(p.title)}</a></h3>',
        f'<p class="meta"><data value="{p.upvotes}" class="upvotes">{escape(meta[0])}</data>'
        f" · {escape(' · '.join(meta[1:]))}</p>",
    ]
    if p.authors:
        parts.append(f'<p class="authors">{escape(authors_text(p.authors, lang))}</p>')
    if p.thumbnail:
        parts.append(f'<img class="thumb" src="{escape(p.thumbnail)}" alt="" loading="lazy"'
                     ' width="320" height="180">')
    if p.ai_summary:
        parts.append(f'<p class="tldr"><strong>{escape(_("Summary"))}:</strong> '
                     f"{escape(p.ai_summary)}</p>")
    if p.ai_keywords:
        words = "".join(f"<li>{escape(k)}</li>" for k in p.ai_keywords)
        parts.append(f'<ul class="keywords" aria-label="{escape(_("Keywords"))}">{words}</ul>')
    if p.abstract:
        parts.append(f'<p class="abstract">{escape(p.abstract)}</p>')
    t = shown_translation(p, ctx.translate_to)
    if t is not None:
        parts.append(f'<div class="translation">{translation_html(t, lang)}</div>')
    parts.append(f'<p class="links">{links_html(p, lang)}</p>')
    if topics:
        # Separated as the links line is: labels have spaces and commas of their own
        # ("Science, medicine and health"), so a space alone runs them together.
        chips = " · ".join(f'<a href="{escape(ctx.site_url + feed_page_key(t.name))}">'
                           f"{escape(t.label)}</a>" for t in topics)
        parts.append(f'<p class="topics">{escape(_("Topics"))}: {chips}</p>')
    parts.append("</div></li>")
    return "\n".join(parts)


def render_day_page(
    day: date, items: Sequence[RankedPaper], prev_day: date | None, next_day: date | None,
    ctx: PageContext, topics: Mapping[str, Sequence[TopicLink]], post_url: str = "",
) -> bytes:
    """A day's papers in rank order, each whole (counts, people, links, thumbnail, HF's
    summary, keywords, abstract, translation), with the neighbouring days and the feeds
    of the topics its papers are in. `topics` maps an arXiv id to its topic pages."""
    lang, _ = ctx.lang, ctx.lang._
    heading = _("Papers of {day}", day=lang.long_date(day))
    top = [r.paper.title for r in items[:3]]
    description = lang.n_("{n} paper Hugging Face listed on {day}, ranked by upvotes.",
                          "{n} papers Hugging Face listed on {day}, ranked by upvotes.",
                          len(items), day=lang.long_date(day))
    if top:
        description += " " + shorten(" · ".join(top), 220)
    pager = _pager(ctx, _("Days"),
                   (day_key(prev_day), lang.long_date(prev_day)) if prev_day else None,
                   (day_key(next_day), lang.long_date(next_day)) if next_day else None)
    month = f'<a href="{escape(ctx.site_url + month_key(day.year, day.month))}">' \
        f"{escape(lang.month_year(day))}</a>"
    held: dict[str, TopicLink] = {}
    for r in items:
        for t in topics.get(r.paper.arxiv_id, ()):
            held.setdefault(t.name, t)
    feeds = ""
    if held:
        # To the topic's page, which offers its feed once there is one: a topic feed holds
        # recent days only, and one that has never had a paper is not published at all.
        links = " · ".join(f'<a href="{escape(ctx.site_url + feed_page_key(t.name))}">'
                           f"{escape(t.label)}</a>"
                           for t in sorted(held.values(), key=lambda t: t.label))
        held_text = _("Topic feeds with these papers:")
        feeds = f'<p class="lead">{escape(held_text)} {links}</p>'
    post_text = _("Daily post")
    post = f' · <a href="{escape(post_url)}">{escape(post_text)}</a>' if post_url else ""
    hf = f'<a href="https://huggingface.co/papers/date/{day.isoformat()}">Hugging Face</a>'
    rows = "\n".join(_paper_item(r, ctx, topics.get(r.paper.arxiv_id, ())) for r in items)
    count = lang.n_("{n} paper", "{n} papers", len(items))
    body = f"""<h1>{escape(heading)}</h1>
<p class="lead">{escape(count)} · {month} · {hf}{post}</p>
{feeds}
{pager}
<ol class="day">
{rows}
</ol>
{pager}"""
    image = next((r.paper.thumbnail for r in items if r.paper.thumbnail), "")
    return _page(ctx, day_key(day), f"{heading} · paperfeed", description, body, image=image)


def _top_cards(cards: Iterable[PaperCard], n: int) -> list[PaperCard]:
    return sorted(cards, key=lambda c: (-c.upvotes, -c.comments, c.arxiv_id))[:n]


def _card_row(card: PaperCard, ctx: PageContext, place: int) -> str:
    lang = ctx.lang
    href = f"{ctx.site_url}{day_key(card.day)}#{paper_anchor(card.arxiv_id)}"
    meta = [lang.n_("{n} upvote", "{n} upvotes", card.upvotes),
            lang._("#{rank} on {day}", rank=card.rank, day=lang.long_date(card.day))]
    if card.organization:
        meta.append(card.organization)
    return (f'<li><span class="rank">{place}</span><div class="body"><h3>'
            f'<a href="{escape(href)}">{escape(card.title)}</a></h3>'
            f'<p class="meta">▲ {escape(" · ".join(meta))}</p></div></li>')


def render_month_page(
    year: int, month: int, days: Mapping[date, tuple[PaperCard, ...]],
    prev_month: tuple[int, int] | None, next_month: tuple[int, int] | None,
    ctx: PageContext, roundup_url: str = "",
) -> bytes:
    """A month: its most upvoted papers across its days, and a calendar of its days, each
    archived one linked with its count of papers."""
    lang, _ = ctx.lang, ctx.lang._
    first = date(year, month, 1)
    name = lang.month_year(first)
    all_cards = [c for cards in days.values() for c in cards]
    top = _top_cards(all_cards, MONTH_TOP)
    heading = _("Papers of {month}", month=name)
    description = lang.n_("{n} paper Hugging Face listed in {month}, over {days} days.",
                          "{n} papers Hugging Face listed in {month}, over {days} days.",
                          len(all_cards), month=name, days=lang.number(len(days)))
    weekdays = [lang.weekday_short(i) for i in range(7)]
    head = "".join(f'<th scope="col">{escape(w)}</th>' for w in weekdays)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for d in week:
            if d.month != month:
                cells.append('<td class="out"></td>')
            elif d in days:
                count = lang.n_("{n} paper", "{n} papers", len(days[d]))
                # The whole date for those who hear the link (out of the table it reads as
                # "July 10, 2026: 11 papers"), and no aria-label: a link's name must hold its
                # visible text (WCAG 2.5.3, axe's label-content-name-mismatch).
                cells.append(f'<td class="has"><a href="{escape(ctx.site_url + day_key(d))}">'
                             f'<span class="sr">{escape(lang.long_date(d))}: </span>'
                             f'<span class="d" aria-hidden="true">{d.day}</span>'
                             f'<span class="n">{escape(count)}</span></a></td>')
            else:
                cells.append(f'<td><span class="d">{d.day}</span></td>')
        weeks.append("<tr>" + "".join(cells) + "</tr>")
    pager = _pager(
        ctx, _("Months"),
        (month_key(*prev_month), lang.month_year(date(*prev_month, 1))) if prev_month else None,
        (month_key(*next_month), lang.month_year(date(*next_month, 1))) if next_month else None)
    rows = "\n".join(_card_row(c, ctx, i) for i, c in enumerate(top, start=1))
    roundup_text, all_months = _("Monthly post"), _("All months")
    roundup = f' · <a href="{escape(roundup_url)}">{escape(roundup_text)}</a>' \
        if roundup_url else ""
    top_heading = lang.n_("The {n} most upvoted", "The {n} most upvoted", len(top))
    body = f"""<h1>{escape(heading)}</h1>
<p class="lead">{escape(description)} <a href="{escape(ctx.site_url)}{ARCHIVE_KEY}">{
        escape(all_months)}</a>{roundup}</p>
{pager}
<table class="calendar"><caption>{escape(name)}</caption>
<thead><tr>{head}</tr></thead>
<tbody>{"".join(weeks)}</tbody></table>
<h2>{escape(top_heading)}</h2>
<ol class="top">
{rows}
</ol>
{pager}"""
    return _page(ctx, month_key(year, month), f"{heading} · paperfeed", description, body)


def render_archive_index(counts: Mapping[date, int], ctx: PageContext) -> bytes:
    """Every archived day, by year and month, newest first, each with its count."""
    lang, _ = ctx.lang, ctx.lang._
    heading = _("Archive")
    total = sum(counts.values())
    description = lang.n_("{n} paper over {days} days of Hugging Face Daily Papers.",
                          "{n} papers over {days} days of Hugging Face Daily Papers.",
                          total, days=lang.number(len(counts)))
    years: dict[int, dict[int, list[date]]] = {}
    for d in sorted(counts, reverse=True):
        years.setdefault(d.year, {}).setdefault(d.month, []).append(d)
    sections = []
    for year, months in years.items():
        blocks = []
        for month, days in months.items():
            n = sum(counts[d] for d in days)
            links = " ".join(
                f'<a href="{escape(ctx.site_url + day_key(d))}" title="'
                f'{escape(lang.n_("{n} paper", "{n} papers", counts[d]))}">{d.day}</a>'
                for d in sorted(days))
            blocks.append(
                f'<li><a class="month" href="{escape(ctx.site_url + month_key(year, month))}">'
                f"{escape(lang.month_year(date(year, month, 1)))}</a> "
                f'<span class="n">{escape(lang.n_("{n} paper", "{n} papers", n))}</span>'
                f'<p class="days">{links}</p></li>')
        sections.append(f'<h2 id="y{year}">{year}</h2>\n<ul class="months">\n'
                        + "\n".join(blocks) + "\n</ul>")
    body = (f'<h1>{escape(heading)}</h1>\n<p class="lead">{escape(description)} '
            f'<a href="{escape(ctx.site_url)}{SEARCH_KEY}">{escape(_("Search the archive"))}'
            f"</a></p>\n" + "\n".join(sections))
    return _page(ctx, ARCHIVE_KEY, f"{heading} · paperfeed", description, body)


def render_search_page(bundles: Sequence[str], ctx: PageContext) -> bytes:
    """The search box. Without JavaScript the form still submits (to itself) and the page
    says that searching needs it and points to the archive. `bundles` are the search
    index's parts, newest first (`search/2026-08/`), which the script merges."""
    _ = ctx.lang._
    heading = _("Search the archive")
    description = _("Find a paper of any archived day by a word of its title, authors, "
                    "organisation, keywords or abstract.")
    statuses = {"none": _("No paper found."), "some": _("{n} papers found."),
                "one": _("1 paper found."), "failed": _("The search index could not be loaded.")}
    needs_js = _("Searching needs JavaScript. Every day is in the archive:")
    site = escape(ctx.site_url)
    body = f"""<h1>{escape(heading)}</h1>
<p class="lead">{escape(description)}</p>
<form role="search" action="{site}{SEARCH_KEY}" method="get" id="search-form"
 data-bundles="{escape(" ".join(ctx.site_url + b for b in bundles))}"
 data-site="{site}" data-lang="{escape(ctx.lang.code)}">
<label for="q">{escape(_("Search"))}</label>
<input type="search" id="q" name="q" autocomplete="off" spellcheck="false">
<button type="submit">{escape(_("Search"))}</button>
</form>
<p id="search-status" role="status" aria-live="polite"
 data-none="{escape(statuses["none"])}" data-some="{escape(statuses["some"])}"
 data-one="{escape(statuses["one"])}" data-failed="{escape(statuses["failed"])}"></p>
<ol id="search-results" class="results"></ol>
<noscript><p>{escape(needs_js)}
<a href="{site}{ARCHIVE_KEY}">{escape(_("Archive"))}</a></p></noscript>"""
    head = f'<script type="module" src="{site}assets/search.js"></script>'
    return _page(ctx, SEARCH_KEY, f"{heading} · paperfeed", description, body, head)


def render_feed_page(name: str, title: str, description: str, items: Sequence[RankedPaper],
                     ctx: PageContext, live: bool = True) -> bytes:
    """A topic's or an organisation's page: what its feed holds now, linked to its day
    pages, and the feed's addresses in every format. A feed never published (`live`
    False: it has had no paper yet) is not offered; the page advertises `ctx.feeds`."""
    lang, _ = ctx.lang, ctx.lang._
    urls = "".join(
        f'<li><a href="{escape(ctx.site_url)}feeds/{escape(name)}.{ext}">{label}</a> '
        f"<code>{escape(ctx.site_url)}feeds/{escape(name)}.{ext}</code></li>"
        for ext, label, _mime in FORMATS)
    ordered = sorted(items, key=lambda r: (-r.paper.day.toordinal(), rank_key(r.paper)))
    rows = "\n".join(
        _card_row(PaperCard(r.paper.arxiv_id, r.paper.title, r.paper.day, r.rank,
                            r.paper.upvotes, r.paper.comments, r.paper.organization), ctx, i)
        for i, r in enumerate(ordered, start=1))
    empty, subscribe_text = _("No papers in this feed right now."), _("Subscribe")
    listing = f'<ol class="top">\n{rows}\n</ol>' if rows else f"<p>{escape(empty)}</p>"
    subscribe = f"""<h2>{escape(subscribe_text)}</h2>
<ul class="urls">{urls}</ul>
""" if live else ""
    body = f"""<h1>{escape(title)}</h1>
<p class="lead">{escape(description)}</p>
{subscribe}<h2>{escape(lang.n_("{n} paper", "{n} papers", len(items)))}</h2>
{listing}"""
    if live:
        ctx = PageContext(ctx.site_url, ctx.lang, ((name, title),), ctx.translate_to)
    return _page(ctx, feed_page_key(name), f"{title} · paperfeed", description, body)
