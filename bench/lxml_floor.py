"""The practical floor for rendering: a bare lxml writer emitting the same entries' Atom.

Given the `Feed`s the catalogue builds (entries already decided: content HTML, summary,
authors...), it writes each as an Atom document with lxml.etree and no framework in between:
the same elements `render_atom` emits per entry (id, title, link, published, updated, content
as html, summary, authors, categories, media thumbnail, the pf counts), pretty-printed. What
it leaves out is only per-document boilerplate (generator, stylesheet PI), so its time is the
cost of the XML itself, the least any Atom writer in Python can spend on these entries.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from paperfeed.models import Feed

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
PF = "https://github.com/paperfeed/paperfeed/ns/1.0"
NSMAP = {None: ATOM, "media": MEDIA, "pf": PF}
A = f"{{{ATOM}}}"


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _text(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    el = etree.SubElement(parent, A + tag, attrib)
    el.text = text
    return el


def atom_bytes(feed: Feed) -> bytes:
    root = etree.Element(A + "feed", nsmap=NSMAP)  # type: ignore[arg-type]
    _text(root, "id", feed.url("atom"))
    _text(root, "title", feed.title)
    _text(root, "updated", _iso(feed.updated))
    etree.SubElement(root, A + "link", href=feed.url("atom"), rel="self")
    etree.SubElement(root, A + "link", href=feed.site_url, rel="alternate")
    _text(root, "subtitle", feed.description)
    for e in feed.entries:
        entry = etree.SubElement(root, A + "entry")
        _text(entry, "id", e.id)
        _text(entry, "title", e.title)
        _text(entry, "updated", _iso(e.updated))
        for name in e.authors:
            author = etree.SubElement(entry, A + "author")
            _text(author, "name", name)
        _text(entry, "content", e.content_html, type="html")
        etree.SubElement(entry, A + "link", href=e.link, rel="alternate")
        for term in e.categories:
            etree.SubElement(entry, A + "category", term=term)
        _text(entry, "published", _iso(e.published))
        if e.summary_text:
            _text(entry, "summary", e.summary_text)
        if e.image:
            etree.SubElement(entry, f"{{{MEDIA}}}thumbnail", url=e.image)
        for key, value in (e.meta.fields() if e.meta else {}).items():
            etree.SubElement(entry, f"{{{PF}}}{key.replace('_', '-')}").text = str(value)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def render_floor(feeds: list[Feed]) -> dict[str, bytes]:
    return {f"feeds/{feed.name}.atom": atom_bytes(feed) for feed in feeds}
