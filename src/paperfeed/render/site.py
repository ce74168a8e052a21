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
from ..models import Feed
from ..select.catalogue import CATALOGUE, FeedSpec, RankedDays, previous_month
from .atom_rss import render_atom, render_rss
from .entries import EPOCH, build_feed
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


def render_site(
    ranked: RankedDays,
    as_of: date,
    options: SiteOptions,
    catalogue: tuple[FeedSpec, ...] = CATALOGUE,
) -> Site:
    objects: dict[str, bytes] = {}
    if not any(ranked.values()):
        # Nothing archived at all (first run while HF is down): publish nothing rather than
        # empty feeds that would replace good ones.
        return Site(objects, tuple(spec.name for spec in catalogue))

    # An empty threshold feed (no paper reached 100 upvotes) is a true answer; its time is
    # the newest listing, which moves only when a new day is listed.
    newest = max(r.paper.listed_at for papers in ranked.values() for r in papers)
    site_url, lang = options.site_url, options.lang
    feeds = [
        build_feed(spec, spec.select(ranked, as_of), site_url, lang, newest, options.hub,
                   options.translate_to)
        for spec in catalogue
    ]
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
    featured = {spec.name for spec in catalogue if spec.featured}
    post_title = daily_post_title(latest_day, lang)
    latest_post = (site_url + daily_key(latest_day, options.posts), post_title)
    objects["index.html"] = render_page(
        feeds, featured, (latest_day, tuple(ranked[latest_day])), updated, site_url, lang,
        latest_post,
    )
    objects["feeds.opml"] = render_opml(feeds, site_url, updated, lang)
    objects["feed.xsl"] = render_stylesheet(lang)
    for name in STATIC:
        objects[name] = static_file(name)
    return Site(objects, (), entries)
