"""index.html: the landing page people subscribe from. Pure; works without JavaScript.

Every value from HF goes through html.escape; URLs were restricted to http(s) by parse.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from .. import PROJECT_URL
from ..i18n import N_, Lang
from ..models import Feed, FeedListing, RankedPaper
from ..text import clock_utc, iso_utc

FORMATS = (("atom", "Atom", "application/atom+xml"), ("rss", "RSS", "application/rss+xml"),
           ("json", "JSON Feed", "application/feed+json"))
LINK_MARK = "@@LINK@@"  # where a link goes inside a translated sentence

CSS = """
:root { --fg:#1d1d1f; --muted:#666; --bg:#fff; --line:#e5e5e5; --accent:#ff9d00;
        --link:#0b57d0; --code:#f5f5f5; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e6e6e6; --muted:#a0a0a0; --bg:#141414; --line:#2c2c2c; --link:#8ab4f8;
          --code:#222; } }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       background: var(--bg); margin: 0 auto; max-width: 60rem; padding: 1rem; }
a { color: var(--link); }
header h1 { margin: .2rem 0; font-size: 1.8rem; }
header img { vertical-align: middle; margin-right: .4rem; }
.lead { color: var(--muted); margin-top: 0; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2rem; }
.feeds { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
.feed { border: 1px solid var(--line); border-radius: 8px; padding: .7rem .9rem; }
.feed h3 { margin: 0; font-size: 1.05rem; }
.feed p { margin: .3rem 0 .5rem; color: var(--muted); font-size: .92rem; }
.url { display: flex; gap: .4rem; align-items: baseline; font-size: .85rem; margin: .15rem 0; }
.url b { min-width: 4.6rem; font-weight: 600; }
.url code { user-select: all; -webkit-user-select: all; background: var(--code);
            padding: .05rem .35rem; border-radius: 4px; overflow-wrap: anywhere; }
ol.papers { list-style: none; padding: 0; margin: 0; }
ol.papers li { display: grid; grid-template-columns: 2.6rem 1fr; gap: .2rem .6rem;
               padding: .55rem 0; border-bottom: 1px solid var(--line); }
.rank { font-weight: 700; color: var(--muted); text-align: right; }
.title { font-weight: 600; }
.meta { grid-column: 2; color: var(--muted); font-size: .88rem; }
.bar { grid-column: 2; height: .45rem; background: var(--line); border-radius: 4px; }
.bar span { display: block; height: 100%; background: var(--accent); border-radius: 4px; }
footer { color: var(--muted); font-size: .85rem; margin: 2rem 0 1rem; }
ul.follow { list-style: none; padding: 0; margin: .4rem 0 1rem; columns: 18rem; gap: 1.5rem; }
ul.follow li { break-inside: avoid; padding: .2rem 0; }
ul.follow .n, ul.follow .alt, .inactive { color: var(--muted); font-size: .85rem; }
ul.follow .alt a { color: inherit; }
.inactive a.name { color: var(--muted); }
"""

# The Follow section's groups: families, heading, one line on what they hold.
FOLLOW = (
    (("topics",), N_("Topics"), N_("Papers of the last 7 days about one subject, matched on "
                                   "their title, abstract and keywords, newest first.")),
    (("orgs",), N_("Organisations"), N_("Every paper of the last 90 days from one "
                                        "organisation on Hugging Face, newest first.")),
    (("code",), N_("Papers with code"), ""),
    (("custom",), N_("More feeds"), ""),
)


def _time(value: datetime) -> str:
    return iso_utc(value)


def _feed_card(feed: Feed) -> str:
    urls = "\n".join(
        f'<div class="url"><b><a href="{escape(feed.url(ext))}">{label}</a></b>'
        f"<code>{escape(feed.url(ext))}</code></div>"
        for ext, label, _ in FORMATS
    )
    return (
        f'<section class="feed" id="feed-{escape(feed.name)}"><h3>{escape(feed.title)}</h3>'
        f"<p>{escape(feed.description)}</p>\n{urls}</section>"
    )


def _follow_item(feed: FeedListing, lang: Lang) -> str:
    alt = " · ".join(f'<a href="{escape(feed.url(ext))}">{label}</a>'
                     for ext, label, _ in FORMATS[1:])
    name = f'<a class="name" href="{escape(feed.url("atom"))}" title="{escape(feed.description)}"' \
        f">{escape(feed.label or feed.title)}</a>"
    if not feed.active:
        state = escape(lang._("inactive: no new papers"))
        return f'<li class="inactive">{name} <span class="n">({state})</span></li>'
    n = escape(lang.n_("{n} paper", "{n} papers", feed.entries))
    return f'<li>{name} <span class="n">{n}</span> <span class="alt">{alt}</span></li>'


def _follow_section(listings: list[FeedListing], site_url: str, lang: Lang) -> str:
    """Feeds narrowed to what a reader follows, grouped by family, each with its size."""
    if not listings:
        return ""
    _ = lang._
    groups = []
    for families, heading, intro in FOLLOW:
        members = [f for f in listings if f.family in families]
        if not members:
            continue
        slug = families[0]
        opml, label = "", _("all as OPML")
        if slug in ("topics", "orgs"):
            opml = f' <a class="n" href="{escape(site_url)}{slug}.opml">{escape(label)}</a>'
        text = f"<p class=\"lead\">{escape(_(intro))}</p>" if intro else ""
        items = "\n".join(_follow_item(f, lang) for f in members)
        groups.append(f'<h3 id="follow-{slug}">{escape(_(heading))}{opml}</h3>{text}\n'
                      f'<ul class="follow">\n{items}\n</ul>')
    intro = _("Feeds narrowed to what you follow. Each link is an Atom feed; RSS and JSON "
              "Feed are beside it. A paper can be in several.")
    heading = _("Follow")
    return (f'<h2 id="follow">{escape(heading)}</h2>\n<p class="lead">{escape(intro)}</p>\n'
            + "\n".join(groups))


def _paper_row(item: RankedPaper, top_upvotes: int, lang: Lang) -> str:
    p = item.paper
    width = round(100 * p.upvotes / top_upvotes) if top_upvotes else 0
    org = f" · {escape(p.organization)}" if p.organization else ""
    code_label = lang._("code")
    code = f' · <a href="{escape(p.github_repo)}">{escape(code_label)}</a>' \
        if p.github_repo else ""
    comments = lang.n_("{n} comment", "{n} comments", p.comments)
    return (
        f'<li><span class="rank">#{item.rank}</span>'
        f'<a class="title" href="{escape(p.url)}">{escape(p.title)}</a>'
        f'<span class="meta">▲ {lang.number(p.upvotes)} · {escape(comments)}{org} · '
        f'<a href="{escape(p.arxiv_abs)}">arXiv</a>{code}</span>'
        f'<span class="bar" aria-hidden="true"><span style="width:{width}%"></span></span></li>'
    )


def _with_link(sentence: str, href: str, text: str) -> str:
    """A translated sentence, escaped, with one link put where the translator placed it."""
    link = f'<a href="{escape(href)}">{escape(text)}</a>'
    return escape(sentence).replace(LINK_MARK, link)


def render_page(
    feeds: list[Feed],
    featured: set[str],
    latest: tuple[date, tuple[RankedPaper, ...]] | None,
    updated: datetime,
    site_url: str,
    lang: Lang,
    latest_post: tuple[str, str] | None = None,
    follow: list[FeedListing] | None = None,
) -> bytes:
    """The landing page: what this is, the main feeds' URLs, the feeds to follow (topics,
    organisations, code, the deployer's) and the latest day's ranked list."""
    _ = lang._
    discovery = "\n".join(
        f'<link rel="alternate" type="{mime}" title="{escape(f.title)} ({label})" '
        f'href="{escape(f.url(ext))}">'
        for f in feeds if f.name in featured for ext, label, mime in FORMATS
    )
    if latest:
        day, papers = latest
        top = max((r.paper.upvotes for r in papers), default=0)
        rows = "\n".join(_paper_row(r, top, lang) for r in papers)
        heading = _("Papers of {day}, ranked by upvotes", day=lang.long_date(day))
        today = f'<h2 id="latest">{escape(heading)}</h2>\n<ol class="papers">\n{rows}\n</ol>'
    else:
        heading, empty = _("Papers"), _("No papers archived yet.")
        today = f"<h2>{escape(heading)}</h2><p>{escape(empty)}</p>"
    post = ""
    if latest_post:
        href, title = latest_post
        sentence = _("Latest daily post: @@LINK@@")
        post = f"<p>{_with_link(sentence, href, title)}</p>"
    cards = "\n".join(_feed_card(f) for f in feeds)
    jump = ""
    if follow:
        follow_text = _("Follow a topic or an organisation")
        jump = f'<p><a href="{escape(site_url)}#follow">{escape(follow_text)}</a></p>'
    stamp = clock_utc(updated)
    last_updated = escape(_("Last updated {time}.", time=LINK_MARK)).replace(
        LINK_MARK, f'<time datetime="{_time(updated)}">{stamp}</time>')
    lead = _with_link(
        _("Hugging Face Daily Papers as feeds you can subscribe to: every paper with its "
          "abstract, authors, organisation, arXiv, PDF and code links, ranked by upvotes. "
          "Paste one of the addresses below into your feed reader (or this page's address: "
          "readers find the main feeds themselves), or import @@LINK@@."),
        f"{site_url}feeds.opml", _("all feeds as OPML"))
    description = _("Hugging Face Daily Papers as Atom, RSS and JSON feeds, ranked by upvotes, "
                    "with abstracts.")
    note = _("Counts come from Hugging Face and keep changing for a few days after a paper "
             "is listed; feeds update them in place and never show a paper twice.")
    title = _("paperfeed: Hugging Face Daily Papers as ranked feeds")
    feeds_heading, opml_title, source = _("Feeds"), _("All feeds (OPML)"), _("Source code")
    sections, archive_text, search_text = _("Sections"), _("Archive"), _("Search the archive")
    html = f"""<!doctype html>
<html lang="{escape(lang.code)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta name="description" content="{escape(description)}">
<link rel="icon" type="image/png" href="{escape(site_url)}assets/favicon.png">
{discovery}
<link rel="alternate" type="text/x-opml" title="{escape(opml_title)}"
 href="{escape(site_url)}feeds.opml">
<style>{CSS}</style>
</head>
<body>
<header>
<h1><img src="{escape(site_url)}assets/icon.png" alt="" width="36" height="36">paperfeed</h1>
<p class="lead">{lead}</p>
{post}
{jump}
<nav aria-label="{escape(sections)}"><p><a href="{escape(site_url)}archive.html">{
escape(archive_text)}</a> · <a href="{escape(site_url)}search.html">{
escape(search_text)}</a></p></nav>
</header>
<main>
<h2 id="feeds">{escape(feeds_heading)}</h2>
<div class="feeds">
{cards}
</div>
{_follow_section(follow or [], site_url, lang)}
{today}
</main>
<footer>
<p>{last_updated} {escape(note)}
<a href="{escape(PROJECT_URL)}">{escape(source)}</a>.</p>
</footer>
</body>
</html>
"""
    return html.encode("utf-8")
