"""An XSS corpus through the whole job, and the checks that hostile HF text stayed text.

Shared by `integration/test_xss.py` (every output read back) and
`external/test_xss_in_browser.py` (the same site in headless Chromium).

Each payload of the corpus becomes one paper of 2026-08-03 whose every field holds it: title,
abstract, author, organisation (inside `paper` or at the top level), repository, project page,
thumbnail, media, AI summary and keywords, and the top-level title and summary. The job runs
against the loopback HF; then every output is read back and must be inert:

- Atom, RSS, OPML parse strictly; no element, attribute, processing instruction, comment or
  DTD comes from the data; titles read back as the payload text itself (escaped, not
  stripped: only characters XML forbids go, and whitespace collapses);
- the HTML inside the feeds (atom:content, content:encoded, RSS description, JSON
  content_html) holds no active element, no event handler, and links to http(s) only;
- index.html likewise, besides its own <style>; and in headless Chromium the landing page,
  the feeds through feed-view.js and embed.js on another origin show the payloads as text, with
  no element injected and document.title untouched.

URLs from HF are emitted only when their scheme is http(s).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import lxml.html
from bs4 import BeautifulSoup
from factories import SITE_URL, run_local
from fake_hf import FakeHF
from lxml import etree

# What a payload does if it ever runs: visible in the dumped DOM. (An alert() that ran would
# block headless Chromium until its timeout: a failure too, only slower and less clear.)
PWN = "document.title='pwned'"
PAYLOADS = (
    "<script>alert(1)</script>",
    f"<script>{PWN}</script>",
    f'"><img src=x onerror="{PWN}">',
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    f"]]><script>{PWN}</script>",
    f"--><script>{PWN}</script><!--",
    '<?xml-stylesheet type="text/xsl" href="evil.xsl"?>',
    "<xsl:value-of select=\"document('/etc/passwd')\"/>",
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;',
    "{{7*7}} ${7*7} {% raw %} #{7*7}",
    f'<svg onload="{PWN}">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",  # pre-escaped: must not be unescaped once more
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    f"</textarea></title></style></script><script>{PWN}</script>",
    f"before\u2028after\u2029</script><script>{PWN}</script>",
    "data:text/html;base64,PHNjcmlwdD4=",
    f'<a href="javascript:{PWN}">x</a>',
    "'; alert(1); '",
    '"; alert(1); "',
    "<style>*{display:none}</style>",
    "<iframe src=//evil.example/></iframe>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{PWN}">',
    f'<body onload="{PWN}">',
    f"<![CDATA[<script>{PWN}</script>]]>",
    f"\x00<scr\x00ipt>{PWN}</scr\x1bipt>\ufffe",  # controls vanish: it must still be text
    # URL-shaped: dropped from URL fields unless http(s), escaped everywhere
    "JAVASCRIPT:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    'https://example.org/"onmouseover="alert(1)',
    f"https://example.org/?q=<script>{PWN}</script>",
    "https://example.org/repo?a=1&b=2",  # a fine URL: kept, with & escaped in the markup
    "HTTP://EXAMPLE.ORG/Upper",
)
DAY = "2026-08-03"
FIRST_ID = 90000
ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM, "content": "http://purl.org/rss/1.0/modules/content/",
      "dc": "http://purl.org/dc/elements/1.1/", "media": "http://search.yahoo.com/mrss/"}
# Namespaces our feeds use (None: RSS's own elements and OPML).
FEED_NAMESPACES = {None, ATOM, *NS.values(), "https://github.com/paperfeed/paperfeed/ns/1.0"}
ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
          "style", "link", "meta", "base", "form", "input", "button", "textarea", "select",
          "template", "noscript", "xmp", "plaintext", "title", "html", "head", "body", "img"}
URL_ATTRIBUTES = {"href", "src", "url", "uri", "xmlUrl", "htmlUrl", "action", "formaction"}
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def shown(text: str) -> str:
    """The text as every output must show it: characters XML forbids (and C1 controls)
    removed, whitespace runs collapsed to one space, nothing else changed."""
    return " ".join(_NOT_XML.sub("", text).split())


def paper_id(i: int) -> str:
    return f"2608.{FIRST_ID + i}"


def entry_url(i: int) -> str:
    return f"https://huggingface.co/papers/{paper_id(i)}"


def hostile_item(base: dict[str, Any], i: int, payload: str) -> dict[str, Any]:
    item = copy.deepcopy(base)
    paper = item["paper"]
    paper.update(
        id=paper_id(i),
        title=payload,
        summary=f"Abstract {i}: {payload}",
        authors=[{"name": payload, "hidden": False}, {"name": f"Author {i}", "hidden": False}],
        githubRepo=payload,
        githubStars=i,
        projectPage=payload,
        ai_summary=f"Summary {i}: {payload}",
        ai_keywords=[payload, f"keyword {i}"],
        mediaUrls=[payload],
        upvotes=1000 - i,  # above every recorded paper: in every ranked feed and digest
    )
    organization = {"fullname": f"Org {i}: {payload}", "name": "org"}
    if i % 2:  # the top-level organisation, read when the paper has none
        paper.pop("organization", None)
        item["organization"] = organization
    else:
        paper["organization"] = organization
    item.update(title=payload, summary=payload, thumbnail=payload)
    return item


def is_http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def kept_url(payload: str) -> bool:
    """Whether a payload is a URL HF may give us: absolute http(s), nothing that ends it."""
    text = shown(payload)
    return is_http(text) and not re.search(r"[\s<>\"'`]", text)


def build_site(out: Path, site_url: str = SITE_URL) -> Path:
    """The site of a run whose 2026-08-03 holds one paper per payload, every field hostile;
    `site_url` to serve it from its own address (its pages link absolutely, from it)."""
    fake = FakeHF()
    base = fake.days[DAY][0]
    fake.days[DAY] += [hostile_item(base, i, p) for i, p in enumerate(PAYLOADS)]
    fake.start()
    try:
        summary = run_local(fake, out, site_url=site_url)
    finally:
        fake.stop()
    assert summary.status == "ok", summary
    return out


def outputs(site: Path, *suffixes: str) -> list[Path]:
    found = sorted(p for p in site.rglob("*") if p.is_file() and p.name.endswith(suffixes))
    assert found, suffixes
    return found


# --- markup checks ------------------------------------------------------------------------

def is_relative(url: str) -> bool:
    """A path on our own site: no scheme (javascript:, data:...), not protocol-relative."""
    return not re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})", url)


def check_inert_html(
    root: lxml.html.HtmlElement, allowed: frozenset[str] = frozenset(), relative_ok: bool = False
) -> None:
    """No active element (but `allowed`), comment or PI, event handler, inline style (but the
    bars' widths); every URL http(s), or with `relative_ok` a path of our own site."""
    for el in root.iterdescendants():
        assert isinstance(el.tag, str), f"{el!r} in generated HTML"
        assert el.tag not in ACTIVE - allowed, lxml.html.tostring(el)[:200]
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"<{el.tag} {name}={value!r}>"
            assert name != "style" or re.fullmatch(r"width:\d{1,3}%", value), value
            if name in URL_ATTRIBUTES:
                ok = is_http(value) or (relative_ok and is_relative(value))
                assert ok, f"<{el.tag} {name}={value!r}>"


def fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def check_entry_html(html: str) -> str:
    """Entry HTML is inert; images are only our thumbnails. Returns its text."""
    root = fragment(html)
    check_inert_html(root, allowed=frozenset({"img"}))
    for img in root.iter("img"):
        assert set(img.attrib) <= {"src", "alt", "loading"}, dict(img.attrib)
    return " ".join(root.text_content().split())


XHTML = "http://www.w3.org/1999/xhtml"


def check_xml(path: Path, view: bool) -> etree._ElementTree:
    """Strictly parsed, and nothing but our own structure: no DTD, no comment, no processing
    instruction, elements of our namespaces only; with `view` (a feed), one XHTML element
    besides: the <script> loading the site's feed-view.js, first in <feed> / <channel>."""
    tree = etree.parse(str(path), XML_PARSER)
    assert tree.docinfo.internalDTD is None and tree.docinfo.doctype == "", path
    assert not tree.xpath("//processing-instruction()"), path
    scripts = tree.xpath("//x:*", namespaces={"x": XHTML})
    if view:
        up = "../" * (len(path.parts) - path.parts.index("feeds") - 1)
        root = tree.getroot()
        parent = root.find("channel") if root.tag == "rss" else root
        assert len(scripts) == 1 and parent is not None and parent[0] is scripts[0], path
        assert scripts[0].tag == f"{{{XHTML}}}script" and len(scripts[0]) == 0, path
        assert dict(scripts[0].attrib) == {"src": f"{up}feed-view.js", "defer": ""}, path
        assert not (scripts[0].text or "").strip(), path
    else:
        assert not scripts, path
    assert not tree.xpath("//comment()"), path
    for el in tree.iter():
        if el in scripts:
            continue
        qname = etree.QName(el)
        assert qname.namespace in FEED_NAMESPACES, f"{path.name}: element {el.tag}"
        # Atom, RSS and OPML have a title, a link, OPML a head and a body, of their own.
        own = {"title", "link", "head", "body"}
        assert qname.localname not in ACTIVE - own, f"{path.name}: {el.tag}"
        for name, value in el.attrib.items():
            attr = etree.QName(name)
            assert attr.namespace in (None, "http://www.w3.org/XML/1998/namespace"), name
            assert not attr.localname.lower().startswith("on"), name
            if attr.localname in URL_ATTRIBUTES:
                assert is_http(value), f"{path.name}: {name}={value!r}"
    return tree


def check_page_dom(html: str, relative_ok: bool) -> BeautifulSoup:
    """The landing page: no script, no active element but its own head, one <style> in the
    head, no handler, only http(s) or own relative links, and the payloads as text."""
    doc = lxml.html.document_fromstring(html)
    assert not doc.xpath("//script")
    assert [s.getparent().tag for s in doc.xpath("//style")] == ["head"]
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"<{el.tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES:
                relative = relative_ok and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", value)
                assert is_http(value) or relative, f"<{el.tag} {name}={value!r}>"
    body = doc.find("body")
    assert body is not None
    check_inert_html(body, allowed=frozenset({"img"}), relative_ok=relative_ok)
    for img in body.iter("img"):
        assert img.get("src", "").endswith("assets/icon.png"), dict(img.attrib)
    return BeautifulSoup(html, "html.parser")


def page_titles(soup: BeautifulSoup) -> list[str]:
    return [" ".join(a.get_text().split()) for a in soup.select("ol li a.title")]


def visible_text(soup: BeautifulSoup) -> str:
    for node in soup(["style", "script", "head"]):
        node.decompose()
    return " ".join(soup.get_text(" ").split())
