"""The whole public site from the ranked archive: every feed in every format, the landing
page, OPML, the feed stylesheet and static assets. Pure: same archive in, same bytes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

from ..catalogue import CATALOGUE, FeedSpec, RankedDays
from ..models import Feed
from .atom_rss import render_atom, render_rss
from .entries import EPOCH, build_feed
from .jsonfeed import render_json
from .opml import render_opml
from .page import render_page

RENDERERS: dict[str, Callable[[Feed], bytes]] = {
    "atom": render_atom,
    "rss": render_rss,
    "json": render_json,
}
STATIC = ("feed.xsl", "embed.js", "assets/icon.png", "assets/favicon.png")


@dataclass(frozen=True)
class Site:
    objects: dict[str, bytes]
    empty_feeds: tuple[str, ...]  # withheld: nothing archived for them
    entries: dict[str, int] = field(default_factory=dict)  # feed key -> entries rendered


def static_file(name: str) -> bytes:
    return resources.files("paperfeed").joinpath("site", name).read_bytes()


def render_site(
    ranked: RankedDays,
    as_of: date,
    site_url: str,
    hub: str = "",
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
    feeds = [
        build_feed(spec, spec.select(ranked, as_of), site_url, empty_updated=newest, hub=hub)
        for spec in catalogue
    ]
    entries: dict[str, int] = {}
    for feed in feeds:
        for ext, render in RENDERERS.items():
            objects[f"feeds/{feed.name}.{ext}"] = render(feed)
            entries[f"feeds/{feed.name}.{ext}"] = len(feed.entries)

    updated = max((f.updated for f in feeds), default=EPOCH)
    latest_day = max(d for d, papers in ranked.items() if papers)
    featured = {spec.name for spec in catalogue if spec.featured}
    objects["index.html"] = render_page(
        feeds, featured, (latest_day, tuple(ranked[latest_day])), updated, site_url
    )
    objects["feeds.opml"] = render_opml(feeds, site_url, updated)
    for name in STATIC:
        objects[name] = static_file(name)
    return Site(objects, (), entries)
