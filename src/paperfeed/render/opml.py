"""feeds.opml: every feed of the catalogue, for importing all at once. Pure."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

from lxml import etree

from ..i18n import Lang
from ..models import Feed


def render_opml(feeds: list[Feed], site_url: str, updated: datetime, lang: Lang) -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = lang._("paperfeed: Hugging Face Daily Papers feeds")
    etree.SubElement(head, "dateModified").text = format_datetime(updated, usegmt=True)
    etree.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    group = etree.SubElement(body, "outline", text=lang._("Hugging Face Daily Papers"))
    for feed in feeds:
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
