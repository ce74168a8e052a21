"""Atom 1.0 and RSS 2.0 through feedgen. Pure: same `Feed` in, same bytes out.

Our machine-readable counts travel in one registered feedgen extension (namespace `pf`),
so Atom and RSS carry the same elements.
"""

from __future__ import annotations

from html import escape
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import PROJECT_URL, __version__
from ..models import Entry, Feed

PF_NS = "https://github.com/paperfeed/paperfeed/ns/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
XHTML_NS = "http://www.w3.org/1999/xhtml"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
TTL_MINUTES = 60  # the schedule's period: readers need not poll more often


class _PaperfeedFeedExt(BaseExtension):
    """The `pf` namespace on the feed: declared, nothing more (its elements are per entry)."""

    def extend_ns(self) -> dict[str, str]:
        return {"pf": PF_NS}


class _WebSubRssExt(BaseExtension):
    """atom:link rel=hub in RSS (feedgen writes only rel=self there; WebSub needs the hub).
    Atom gets its hub link from feedgen itself."""

    def __init__(self) -> None:
        self._hub = ""

    def hub(self, url: str) -> None:
        self._hub = url

    def extend_ns(self) -> dict[str, str]:
        return {}  # atom: is declared by feedgen's own rel=self link

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        if self._hub:
            channel = rss.find("channel")
            link = etree.Element(f"{{{ATOM_NS}}}link", href=self._hub, rel="hub")
            channel.insert(list(channel).index(channel.find(f"{{{ATOM_NS}}}link")) + 1, link)
        return rss


def feed_view_src(name: str) -> str:
    """The site's feed-view.js seen from feed `name`: a relative path keeps it same-origin
    wherever the site is, and climbs out of feeds/ and of a family's folder
    (feeds/topics/agents.atom -> ../../feed-view.js)."""
    return "../" * (1 + name.count("/")) + "feed-view.js"


class _FeedViewExt(BaseExtension):
    """Opened in a browser, the feed reads as a page: an XHTML <script> as the first child
    of <feed> / <channel> loads feed-view.js, which builds the page from the XML. Browsers
    run XHTML script elements in XML documents; to Atom it is an extension element (RFC 4287
    section 6), to RSS a foreign-namespace element, and feed readers skip both. No XSLT."""

    def __init__(self) -> None:
        self._src = ""

    def src(self, src: str) -> None:
        self._src = src

    def extend_ns(self) -> dict[str, str]:
        return {}  # declared on the element itself, as its default namespace

    def _script(self) -> etree._Element:
        script = etree.Element(f"{{{XHTML_NS}}}script", nsmap={None: XHTML_NS})
        script.set("src", self._src)
        script.set("defer", "")
        return script

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        feed.insert(0, self._script())
        return feed

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        rss.find("channel").insert(0, self._script())
        return rss


class _PaperfeedEntryExt(BaseEntryExtension):
    def __init__(self) -> None:
        self._meta: dict[str, Any] = {}

    def pf_meta(self, meta: dict[str, Any]) -> None:
        self._meta = meta

    def _extend(self, element: etree._Element) -> etree._Element:
        for key, value in self._meta.items():
            child = etree.SubElement(element, f"{{{PF_NS}}}{key.replace('_', '-')}")
            child.text = str(value)
        return element

    extend_atom = _extend
    extend_rss = _extend


def _generator(feed: Feed, ext: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.load_extension("media", atom=True, rss=True)
    fg.register_extension("pf", _PaperfeedFeedExt, _PaperfeedEntryExt)
    fg.register_extension("websub", _WebSubRssExt, None, atom=False, rss=True)
    fg.register_extension("view", _FeedViewExt, None)
    fg.view.src(feed_view_src(feed.name))
    fg.id(feed.url(ext))
    fg.title(feed.title)
    # RFC 4287 wants an author for every entry; digest entries have none of their own.
    fg.author(name="Hugging Face Daily Papers via paperfeed", uri=PROJECT_URL)
    fg.subtitle(feed.description)
    fg.description(feed.description)
    mime = "application/atom+xml" if ext == "atom" else "application/rss+xml"
    fg.link(href=feed.url(ext), rel="self", type=mime)
    if feed.hub:
        fg.websub.hub(feed.hub)
        if ext == "atom":
            fg.link(href=feed.hub, rel="hub")
    # Last: feedgen takes the RSS channel <link> from the last link given.
    fg.link(href=feed.site_url, rel="alternate")
    fg.language(feed.language)
    fg.generator("paperfeed", __version__, PROJECT_URL)
    # Both default to "now" in feedgen; ours move only when an entry changed.
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.ttl(TTL_MINUTES)
    for entry in feed.entries:
        _add_entry(fg, entry, ext)
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry, ext: str) -> None:
    fe = fg.add_entry(order="append")  # document order is ours, not reversed
    fe.id(entry.id)
    fe.guid(entry.id, permalink=entry.id == entry.link)
    fe.title(entry.title)
    fe.link(href=entry.link, rel="alternate")
    fe.published(entry.published)
    fe.updated(entry.updated)
    fe.content(entry.content_html, type="html")
    if entry.summary_text:
        # RSS readers read <description> as HTML; ours is plain text (Atom's summary is
        # type="text"), so in RSS it goes out HTML-escaped, or HF text would become markup.
        # (Without a summary feedgen puts the content HTML there, as it should be.)
        fe.summary(escape(entry.summary_text, quote=False) if ext == "rss"
                   else entry.summary_text)
    for name in entry.authors:
        fe.author(name=name)
        fe.dc.dc_creator(name)
    for term in entry.categories:
        fe.category(term=term)
    if entry.image:
        fe.media.thumbnail({"url": entry.image}, group=None)
    fe.pf.pf_meta(entry.meta.fields() if entry.meta else {})


def render_atom(feed: Feed) -> bytes:
    return _generator(feed, "atom").atom_str(pretty=True, encoding="UTF-8")


def render_rss(feed: Feed) -> bytes:
    return _generator(feed, "rss").rss_str(pretty=True, encoding="UTF-8")
