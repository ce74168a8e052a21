"""OPML: every feed, for importing all at once, and one file per family. Pure.

`feeds.opml` nests the families as outlines (readers import an outline as a folder):
the main feeds, then topics, organisations and the deployer's feeds. `feeds/topics.opml`
and `feeds/orgs.opml` hold one family each. Inactive feeds are left out: nothing new
arrives in them.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

from lxml import etree

from ..i18n import N_, Lang
from ..models import FeedListing

# Family -> its folder's name; "main" and "code" share the top folder.
GROUPS = (
    (("main", "code"), N_("Hugging Face Daily Papers")),
    (("topics",), N_("Topics")),
    (("orgs",), N_("Organisations")),
    (("custom",), N_("More feeds")),
)


def render_opml(feeds: list[FeedListing], site_url: str, updated: datetime, lang: Lang,
                title: str = "") -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title or lang._(
        "paperfeed: Hugging Face Daily Papers feeds")
    etree.SubElement(head, "dateModified").text = format_datetime(updated, usegmt=True)
    etree.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for families, label in GROUPS:
        members = [f for f in feeds if f.family in families and f.active]
        if not members:
            continue
        group = etree.SubElement(body, "outline", text=lang._(label))
        for feed in members:
            etree.SubElement(
                group,
                "outline",
                type="rss",
                text=feed.title,
                title=feed.title,
                description=feed.description,
                xmlUrl=feed.url("atom"),
                htmlUrl=site_url,
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
