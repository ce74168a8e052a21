"""The whole public site from the ranked archive: every feed in every format, the landing
page, OPML, the feed stylesheet and static assets. Pure: same archive in, same bytes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from xml.sax.saxutils import escape as xml_escape

from .. import i18n
from ..i18n import Lang
from ..models import Feed, FeedListing
from ..select.catalogue import (
    Catalogue,
    FeedSpec,
    RankedDays,
    build_catalogue,
    previous_month,
    shipped_topics,
)
from .atom_rss import render_atom, render_rss
from .entries import EPOCH, build_feed
from .feed_index import KEY as FEED_INDEX
from .feed_index import render_feed_index
from .jsonfeed import render_json
from .opml import render_opml
from .page import render_page
from .paper_facts import daily_post_title
from .post import PostOptions, daily_key, daily_post, monthly_post

RENDERERS: dict[str, Callable[[Feed], bytes]] = {
    "atom": render_atom,
    "rss": render_rss,
    "json": render_json,
}
STATIC = ("embed.js", "assets/icon.png", "assets/favicon.png")


@dataclass(frozen=True)
class SiteOptions:
    """How the site is presented: where it lives, in which language, who to ping."""

    site_url: str
    lang: Lang = field(default_factory=lambda: i18n.lang("en"))
    hub: str = ""
    posts: PostOptions = field(default_factory=PostOptions)
    translate_to: str = ""  # show machine translations into this language where stored


@dataclass(frozen=True)
class Site:
    objects: dict[str, bytes]
    empty_feeds: tuple[str, ...]  # withheld: nothing archived for them
    entries: dict[str, int] = field(default_factory=dict)  # feed key -> entries rendered


def static_file(name: str) -> bytes:
    return resources.files("paperfeed").joinpath("site", name).read_bytes()


def _count_xsl(lang: Lang, element: str, singular: str, plural: str, n: int) -> str:
    # "{n} upvotes" / "추천 {n}개": the number goes where the language puts it.
    before, _, after = lang.plural_form(singular, plural, n).partition("{n}")
    return f'{xml_escape(before)}<xsl:value-of select="pf:{element}"/>{xml_escape(after)}'


def render_stylesheet(lang: Lang) -> bytes:
    """feed.xsl with its few words in the site's language."""
    marks = {
        "@@LANG@@": xml_escape(lang.code),
        "@@FEED@@": xml_escape(lang._("feed")),
        "@@HINT@@": xml_escape(lang._(
            "This is a web feed. To subscribe, copy its address into your feed reader:")),
        "@@UPVOTE_1@@": _count_xsl(lang, "upvotes", "{n} upvote", "{n} upvotes", 1),
        "@@UPVOTE_N@@": _count_xsl(lang, "upvotes", "{n} upvote", "{n} upvotes", 2),
        "@@COMMENT_1@@": _count_xsl(lang, "comments", "{n} comment", "{n} comments", 1),
        "@@COMMENT_N@@": _count_xsl(lang, "comments", "{n} comment", "{n} comments", 2),
    }
    text = static_file("feed.xsl").decode("utf-8")
    for mark, value in marks.items():
        text = text.replace(mark, value)
    return text.encode("utf-8")


def _listing(spec: FeedSpec, lang: Lang, site_url: str, feed: Feed | None) -> FeedListing:
    """How the lists show a feed: rendered this run (`feed`), or kept as published."""
    title, description, label = spec.texts(lang)
    return FeedListing(spec.name, title, description, spec.family, site_url,
                       len(feed.entries) if feed else 0, active=feed is not None, label=label)


def render_site(
    ranked: RankedDays,
    as_of: date,
    options: SiteOptions,
    catalogue: Catalogue | None = None,
) -> Site:
    """Every object of the site. `catalogue` is the run's feeds (`build_catalogue`); by
    default the shipped families over `ranked`, as a first run without FEEDS_FILE sees."""
    lang = options.lang
    if catalogue is None:
        catalogue = build_catalogue(ranked, as_of, topics=shipped_topics(lang.code))
    objects: dict[str, bytes] = {}
    if not any(ranked.values()):
        # Nothing archived at all (first run while HF is down): publish nothing rather than
        # empty feeds that would replace good ones.
        return Site(objects, tuple(spec.name for spec in catalogue.feeds))

    # An empty threshold feed (no paper reached 100 upvotes) is a true answer; its time is
    # the newest listing, which moves only when a new day is listed.
    newest = max(r.paper.listed_at for papers in ranked.values() for r in papers)
    site_url = options.site_url
    feeds: list[Feed] = []
    listings: list[FeedListing] = []
    for spec in catalogue.feeds:
        selection = spec.select(ranked, as_of)
        if not selection and spec.family != "main":
            # A followed feed is never published empty: one published before keeps its
            # last entries and is listed inactive; one never published is not listed.
            if spec.name in catalogue.published:
                listings.append(_listing(spec, lang, site_url, None))
            continue
        feed = build_feed(spec, selection, site_url, lang, newest, options.hub,
                          options.translate_to)
        feeds.append(feed)
        listings.append(_listing(spec, lang, site_url, feed))
    listings += [_listing(spec, lang, site_url, None) for spec in catalogue.inactive]
    entries: dict[str, int] = {}
    for feed in feeds:
        for ext, render in RENDERERS.items():
            objects[f"feeds/{feed.name}.{ext}"] = render(feed)
            entries[f"feeds/{feed.name}.{ext}"] = len(feed.entries)

    # A post for every archived day this run sees, and the roundup of the month that
    # ended last (its days are all loaded, and late upvotes may still change them).
    for day, papers in ranked.items():
        if papers:
            key, body = daily_post(day, papers, options.posts, lang, options.translate_to)
            objects[key] = body
    previous = previous_month(as_of)
    if any((d.year, d.month) == previous for d, papers in ranked.items() if papers):
        key, body = monthly_post(*previous, ranked, options.posts, lang)
        objects[key] = body

    updated = max((f.updated for f in feeds), default=EPOCH)
    latest_day = max(d for d, papers in ranked.items() if papers)
    featured = {spec.name for spec in catalogue.feeds if spec.featured}
    post_title = daily_post_title(latest_day, lang)
    latest_post = (site_url + daily_key(latest_day, options.posts), post_title)
    objects["index.html"] = render_page(
        [f for f in feeds if f.family == "main"], featured,
        (latest_day, tuple(ranked[latest_day])), updated, site_url, lang, latest_post,
        [x for x in listings if x.family != "main"],
    )
    objects["feeds.opml"] = render_opml(listings, site_url, updated, lang)
    for family, title in (("topics", lang._("paperfeed: topic feeds")),
                          ("orgs", lang._("paperfeed: organisation feeds"))):
        members = [x for x in listings if x.family == family]
        if members:
            objects[f"{family}.opml"] = render_opml(members, site_url, updated, lang, title)
    objects[FEED_INDEX] = render_feed_index(listings, site_url, updated)
    objects["feed.xsl"] = render_stylesheet(lang)
    for name in STATIC:
        objects[name] = static_file(name)
    return Site(objects, (), entries)
