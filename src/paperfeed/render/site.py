"""The whole public site from the ranked archive: every feed in every format, the landing
page, OPML, the feed view script and static assets. Pure: same archive in, same bytes out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources

from .. import i18n
from ..i18n import Lang
from ..models import Feed, FeedListing
from ..select.catalogue import (
    Catalogue,
    FeedSpec,
    RankedDays,
    Selection,
    build_catalogue,
    shipped_topics,
)
from .archive_pages import PageContext, feed_page_key, render_feed_page
from .atom_rss import render_atom, render_rss
from .entries import EPOCH, build_feed, feed_updated
from .feed_index import KEY as FEED_INDEX
from .feed_index import render_feed_index
from .inputs import PaperDigests, code_version, digest
from .jsonfeed import render_json
from .opml import render_opml
from .page import render_page
from .paper_facts import daily_post_title
from .post import PostOptions, daily_key, daily_post

RENDERERS: dict[str, Callable[[Feed], bytes]] = {
    "atom": render_atom,
    "rss": render_rss,
    "json": render_json,
}
STATIC = ("embed.js", "feed-view.css", "assets/icon.png", "assets/favicon.png",
          "assets/archive.css", "assets/search.js")
PAGE_FAMILIES = ("topics", "orgs")  # the families with a page each, beside their feeds


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
    # Every object of the site -> the digest of what it is made from (`render/inputs.py`),
    # rendered this time or not.
    inputs: dict[str, str] = field(default_factory=dict)
    rendered: tuple[str, ...] = ()  # the objects rendered this time (in `objects` or sunk)
    # Objects that could not be made this time (a search bundle Pagefind failed on): their
    # published versions stay, and the run is not clean, so the next one makes them again.
    incomplete: tuple[str, ...] = ()


def static_file(name: str) -> bytes:
    return resources.files("paperfeed").joinpath("site", name).read_bytes()


FEED_VIEW = "feed-view.js"
_WORDS = re.compile(r"/\* @@WORDS@@ \*/ \{.*?\n  \};", re.DOTALL)


def render_feed_view(lang: Lang) -> bytes:
    """feed-view.js, which shows a feed opened in a browser as a page, with its few words in
    the site's language, as a JSON object literal (json.dumps escapes quotes and
    backslashes, so no translation can end a string early)."""
    words = {
        "lang": lang.code,
        "feed": lang._("feed"),
        "hint": lang._(
            "This is a web feed. To subscribe, copy its address into your feed reader:"),
        # [one, other]: the script picks by n == 1, as English and Korean do.
        "upvotes": [lang.plural_form("{n} upvote", "{n} upvotes", n) for n in (1, 2)],
        "comments": [lang.plural_form("{n} comment", "{n} comments", n) for n in (1, 2)],
    }
    text, found = _WORDS.subn(
        lambda _: f"/* @@WORDS@@ */ {json.dumps(words, ensure_ascii=False)};",
        static_file(FEED_VIEW).decode("utf-8"))
    if found != 1:
        raise ValueError(f"{FEED_VIEW}: {found} @@WORDS@@ marks, not one")
    return text.encode("utf-8")


def _listing(spec: FeedSpec, lang: Lang, site_url: str, entries: int | None) -> FeedListing:
    """How the lists show a feed: rendered this run (`entries`), or kept as published."""
    title, description, label = spec.texts(lang)
    return FeedListing(spec.name, title, description, spec.family, site_url,
                       entries or 0, active=entries is not None, label=label)


def _selection_inputs(spec: FeedSpec, selection: Selection, papers: PaperDigests) -> tuple:
    """What a feed shows, for its digest: each entry's paper (every field), rank and the
    terms that put it there."""
    if spec.kind == "digest":
        return tuple((d, papers.of_ranked(items)) for d, items in selection)  # type: ignore[misc]
    return tuple((r.rank, papers.of(r.paper), spec.why(r.paper) if spec.why else ())
                 for r in selection)  # type: ignore[union-attr]


Sink = Callable[[str, bytes, "int | None"], None]


class Objects:
    """The site's objects as they are decided: each one's input digest, and its bytes when
    it had to be rendered (its digest is not the one it was last published with), kept or
    handed to the sink at once."""

    def __init__(self, previous: Mapping[str, str] | None, sink: Sink | None) -> None:
        self.previous, self.sink = previous, sink
        self.inputs: dict[str, str] = {}
        self.bodies: dict[str, bytes] = {}
        self.rendered: list[str] = []
        self.incomplete: list[str] = []

    def wanted(self, key: str, inputs: str) -> bool:
        self.inputs[key] = inputs
        return self.previous is None or self.previous.get(key) != inputs

    def add(self, key: str, inputs: str, render: Callable[[], bytes],
            entries: int | None = None) -> None:
        if not self.wanted(key, inputs):
            return
        self.emit(key, render(), entries)

    def emit(self, key: str, body: bytes, entries: int | None = None) -> None:
        """An object rendered now, whose digest was decided with another's (a search
        bundle's files are decided by its entry file)."""
        self.rendered.append(key)
        if self.sink is None:
            self.bodies[key] = body
        else:
            self.sink(key, body, entries)


def render_site(
    ranked: RankedDays,
    as_of: date,
    options: SiteOptions,
    catalogue: Catalogue | None = None,
    previous: Mapping[str, str] | None = None,
    sink: Sink | None = None,
    archive: Callable[[Objects, str], None] | None = None,
) -> Site:
    """Every object of the site. `catalogue` is the run's feeds (`build_catalogue`); by
    default the shipped families over `ranked`, as a first run without FEEDS_FILE sees.
    `previous` maps published objects to the input digest they were rendered from: an
    object whose digest is the same is not rendered again (it is in `Site.inputs` only).
    With a `sink`, each object goes to it as soon as it is rendered (key, bytes, entries
    rendered into a feed) instead of into `Site.objects`: feeds first, then posts and pages.
    `archive` adds the archive site's objects (`browse.py`) after the posts, before the
    landing page links them; it gets the objects and the digest of the code and options."""
    lang = options.lang
    if catalogue is None:
        catalogue = build_catalogue(ranked, as_of, topics=shipped_topics(lang.code))
    out = Objects(previous, sink)
    if not any(ranked.values()):
        # Nothing archived at all (first run while HF is down): publish nothing rather than
        # empty feeds that would replace good ones.
        return Site({}, tuple(spec.name for spec in catalogue.feeds))

    papers = PaperDigests()
    base = digest(code_version(), options.site_url, lang.code, options.hub, options.posts,
                  options.translate_to)
    # An empty threshold feed (no paper reached 100 upvotes) is a true answer; its time is
    # the newest listing, which moves only when a new day is listed.
    newest = max(r.paper.listed_at for items in ranked.values() for r in items)
    site_url = options.site_url
    made: dict = {}  # paper entries, built once each however many feeds hold them
    listings: list[FeedListing] = []
    main: list[tuple[str, Callable[[], Feed]]] = []  # the landing page's feeds, built lazily
    times: list[datetime] = []
    entries: dict[str, int] = {}
    discovery = tuple((s.name, s.texts(lang)[0]) for s in catalogue.feeds if s.featured)
    for spec in catalogue.feeds:
        selection = spec.select(ranked, as_of)
        if spec.family in PAGE_FAMILIES and (selection or spec.family == "topics"):
            # A topic's page exists even while its feed is empty: day pages link to it. It
            # offers its feed only once there is one (an empty feed is never published).
            live = bool(selection) or spec.name in catalogue.published
            page_inputs = digest(base, "page", spec.name, spec.texts(lang), live, discovery,
                                 _selection_inputs(spec, selection, papers))
            out.add(feed_page_key(spec.name), page_inputs,
                    lambda s=spec, sel=selection, live=live: _feed_page(
                        s, sel, lang, site_url, live, discovery))
        if not selection and spec.family != "main":
            # A followed feed is never published empty: one published before keeps its
            # last entries and is listed inactive; one never published is not listed.
            if spec.name in catalogue.published:
                listings.append(_listing(spec, lang, site_url, None))
            continue
        inputs = digest(base, spec.name, spec.kind, spec.family, spec.featured,
                        spec.texts(lang), newest, _selection_inputs(spec, selection, papers))
        feed = _lazy(lambda s=spec, sel=selection: build_feed(
            s, sel, site_url, lang, newest, options.hub, options.translate_to, made))
        for ext, render in RENDERERS.items():
            key = f"feeds/{spec.name}.{ext}"
            entries[key] = len(selection)
            out.add(key, inputs, lambda r=render, f=feed: r(f()), len(selection))
        times.append(feed_updated(spec.kind, selection, newest))
        listings.append(_listing(spec, lang, site_url, len(selection)))
        if spec.family == "main":
            main.append((inputs, feed))
    listings += [_listing(spec, lang, site_url, None) for spec in catalogue.inactive]

    # A post for every archived day this run sees (the monthly roundups are the archive
    # site's: every ended month has one, and old months are not loaded here).
    for day, items in ranked.items():
        if items:
            out.add(daily_key(day, options.posts), digest(base, day, papers.of_ranked(items)),
                    lambda d=day, i=items: daily_post(d, i, options.posts, lang,
                                                      options.translate_to)[1])
    if archive is not None:
        archive(out, base)

    updated = max(times, default=EPOCH)
    latest_day = max(d for d, items in ranked.items() if items)
    featured = {spec.name for spec in catalogue.feeds if spec.featured}
    post_title = daily_post_title(latest_day, lang)
    latest_post = (site_url + daily_key(latest_day, options.posts), post_title)
    lists = digest(base, tuple(listings), updated, latest_day, sorted(featured), latest_post,
                   papers.of_ranked(ranked[latest_day]), tuple(i for i, _ in main))
    out.add("index.html", digest(lists, "index.html"), lambda: render_page(
        [f() for _, f in main], featured, (latest_day, tuple(ranked[latest_day])), updated,
        site_url, lang, latest_post, [x for x in listings if x.family != "main"]))
    out.add("feeds.opml", digest(lists, "feeds.opml"),
            lambda: render_opml(listings, site_url, updated, lang))
    for family, title in (("topics", lang._("paperfeed: topic feeds")),
                          ("orgs", lang._("paperfeed: organisation feeds"))):
        members = [x for x in listings if x.family == family]
        if members:
            out.add(f"{family}.opml", digest(lists, family),
                    lambda m=members, t=title: render_opml(m, site_url, updated, lang, t))
    out.add(FEED_INDEX, digest(lists, FEED_INDEX),
            lambda: render_feed_index(listings, site_url, updated))
    out.add(FEED_VIEW, digest(base, FEED_VIEW), lambda: render_feed_view(lang))
    for name in STATIC:
        out.add(name, digest(base, name), lambda n=name: static_file(n))
    return Site(out.bodies, (), {k: n for k, n in entries.items() if k in out.rendered},
                out.inputs, tuple(out.rendered), tuple(out.incomplete))


def _feed_page(spec: FeedSpec, selection: Selection, lang: Lang, site_url: str, live: bool,
               featured: tuple[tuple[str, str], ...]) -> bytes:
    title, description, _label = spec.texts(lang)
    return render_feed_page(spec.name, title, description, list(selection),  # type: ignore[arg-type]
                            PageContext(site_url, lang, featured), live=live)


def _lazy(make: Callable[[], Feed]) -> Callable[[], Feed]:
    """`make`, called at most once: a feed is built only if some format of it is rendered."""
    box: list[Feed] = []

    def get() -> Feed:
        if not box:
            box.append(make())
        return box[0]

    return get
