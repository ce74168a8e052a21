"""Property-based fuzzing of the path HF answers take: parse -> archive -> rank -> render.

Hypothesis makes HF answers shaped like the recorded ones (tests/fixtures/hf) in which any
field may be missing, null, of the wrong type, huge (up to 100k characters), deeply nested or
full of control characters, lone surrogates, U+FFFE/U+FFFF, bidi controls and emoji, with
duplicate ids within and across days; and whole bodies that are random bytes, truncated or
corrupted recordings, invalid UTF-8 or JSON nested 100,000 deep. The properties:

- parse_api / parse_page return a ParseResult or raise ParseError, nothing else; every item is
  either a Paper or a skip; every Paper has an ASCII arXiv id, a non-empty title, no character
  XML forbids in any text, http(s)-only URLs, and belongs to the requested day;
- the page and the API give the same records for the same items;
- a day survives the archive round trip, and re-merging the same answer changes nothing;
- render_site never raises, and every output is well-formed: Atom, RSS and OPML
  parse as XML without recovery, JSON Feeds as JSON, index.html as HTML with no <script> or
  other active element and the day's titles as text; entry ids are unique in each feed and
  the same in its three formats, titles too; entry HTML is inert (no active element, handler
  or non-http(s) link) and shows the paper's abstract and organisation as text.

Profiles: tests/hypothesis_profiles.py (HYPOTHESIS_PROFILE=deep: 10,000 examples per test).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import hypothesis_profiles  # noqa: F401  (registers and loads the profile)
import lxml.html
import pytest
from fake_hf import DAY_0803, FIXTURES, PAGE_20240801, SUBSET_0731, page_html
from hypothesis import event, example, given
from hypothesis import strategies as st
from lxml import etree
from wire import parse_api, parse_page

from paperfeed.archive.codec import decode_day, encode_day
from paperfeed.archive.merge import merge_day
from paperfeed.errors import ParseError
from paperfeed.models import Paper, ParseResult, RankedPaper
from paperfeed.parse.papers import MAX_ABSTRACT, MAX_SHORT, MAX_TITLE
from paperfeed.render.site import STATIC, Site, SiteOptions, render_site
from paperfeed.select.catalogue import CATALOGUE
from paperfeed.select.rank import rank_papers

DAY = date(2026, 8, 3)
WINDOW = tuple(DAY - timedelta(days=i) for i in range(5))
SITE_URL = "https://feeds.example.org/"
FIRST_RUN = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
NEXT_RUN = FIRST_RUN + timedelta(hours=1)

# --- strategies: HF-shaped answers with every field possibly broken ----------------------

# Pieces that break parsers, XML writers and HTML: controls (C0, DEL, C1), lone surrogates and
# a split pair, non-characters, BOM, bidi and zero-width controls, line/paragraph separators,
# emoji with modifiers and joiners, RTL scripts, and markup that must stay text.
NASTY = (
    *map(chr, range(0x20)), "\x7f", "\x80", "\x85", "\x9f",
    "\ud800", "\udbff", "\udc00", "\udfff", "\ud83e", "\udd17",
    "\ufffe", "\uffff", "\ufeff", "\ufffd", "\U0010ffff", "\U0001fffe",
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
    "\u2028", "\u2029", "\xa0", "\u3000", "\u0301",
    "🤗", "👩🏽‍🔬", "🇺🇦", "مرحبا بالعالم", "שלום", "김민수", "Zoë", "ﬁ", "İ", "ß", "$\\alpha$",
    "<", ">", "&", '"', "'", "`", "]]>", "<![CDATA[", "-->", "<!--", "<?xml", "?>",
    "<script>alert(1)</script>", "&amp;", "&#0;", "&#xD800;", "\\u0000", "{{7*7}}", "%s",
)
ANY_CHAR = st.characters(exclude_categories=())  # surrogates included
_piece = st.one_of(st.text(ANY_CHAR, min_size=1, max_size=10), st.sampled_from(NASTY))
messy = st.lists(_piece, max_size=4).map("".join)
some_text = st.lists(_piece, min_size=1, max_size=4).map("".join)  # rarely empty when clean


def _repeat(unit: str, times: int) -> str:
    return (unit * min(times, 100_000 // len(unit) + 1))[:100_000]


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, in proportion to its weight (st.one_of picks its branches evenly
    and counts a strategy given twice once)."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


huge = st.builds(_repeat, some_text, st.integers(1_000, 100_000))
# Huge strings are rare per field (an example has dozens of text fields), so that an example
# holds one or two of them, not dozens.
text = weighted((10, messy), (40, some_text), (1, huge))

json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.integers(), st.floats(), text
)
json_any = st.recursive(
    json_scalar,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=4), kids, max_size=3)
    ),
    max_leaves=8,
)


def _nest(value: Any, depth: int, as_object: bool) -> Any:
    for _ in range(depth):
        value = {"a": value} if as_object else [value]
    return value


# Deeper than this json.dumps itself gives up; deeper bodies are made as bytes below.
deep = st.builds(_nest, json_scalar, st.integers(1, 400), st.booleans())
wrong = st.one_of(json_any, deep)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`good` nine times in ten, else `bad`."""
    return weighted((9, good), (1, bad))


def field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a plausible value, sometimes any JSON at all (null included)."""
    return mostly(good, wrong)


ARXIV_IDS = ("2608.00001", "2608.00002", "2608.00003", "2607.26654v2", "hep-th/9901001",
             "math.AG/0601001")
arxiv_id = mostly(
    st.sampled_from(ARXIV_IDS),  # few, so duplicates are common
    st.one_of(
        st.from_regex(r"(\d{4}\.\d{4,5}|[a-z][a-z.\-]{1,20}/\d{7})(v\d{1,3})?", fullmatch=True),
        st.builds(lambda a, i, b: a + i + b, messy, st.sampled_from(ARXIV_IDS), messy),
        messy,
    ),
)
URLS = (
    "https://github.com/org/repo", "http://example.org/a?b=1&c=2#d", "HTTPS://EXAMPLE.ORG/UP",
    "https://example.org/" + "x" * 2_100, "https://", "http://a", "//example.org/x",
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "ftp://example.org/", "/relative",
    'https://example.org/"><script>alert(1)</script>', "https://example.org/ onerror=alert(1)",
    "https://例え.jp/パス", "https://example.org/\u202egnp.exe",
)
url = weighted((3, st.sampled_from(URLS)), (1, st.builds("https://{}".format, messy)), (1, text))
count = st.one_of(st.integers(-10, 10_000), st.integers(), st.floats(), st.booleans())
EDGE_TIMES = (
    "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999Z", "0999-12-31T12:00:00Z", "2026-08-03T24:00:00Z",
    "2026-02-30T00:00:00Z", "2026-08-03T00:00:00.000000001Z", "", "Z", "now",
)
offsets = st.builds(
    timezone, st.timedeltas(timedelta(hours=-23, minutes=-59), timedelta(hours=23, minutes=59))
)
any_time = weighted(
    (1, st.sampled_from(EDGE_TIMES)),
    (4, st.one_of(
        st.datetimes(timezones=st.none() | offsets).map(datetime.isoformat),
        st.datetimes(timezones=st.none() | offsets).map(lambda t: t.isoformat() + "Z"),
    )),
    (1, text),
)


def listed_on(day: date) -> st.SearchStrategy[str]:
    """submittedOnDailyAt: mostly on the day asked for, in HF's and other spellings."""
    d = day.isoformat()
    return mostly(
        st.one_of(
            st.sampled_from((f"{d}T00:00:00.000Z", f"{d}T00:00:00Z", f"{d}T23:59:59+00:00", d)),
            st.times().map(lambda t: f"{d}T{t.isoformat()}Z"),
            st.builds(lambda t: datetime.combine(day, t, tzinfo=UTC).isoformat(), st.times()),
        ),
        any_time,
    )


organization = mostly(
    st.fixed_dictionaries({}, optional={"fullname": field(text), "name": field(text)}), wrong
)
author = mostly(
    st.fixed_dictionaries(
        {"name": field(text)},
        optional={"hidden": field(st.booleans()), "_id": messy, "user": wrong, "status": messy},
    ),
    wrong,
)


def _copies(element: Any, times: int) -> list[Any]:
    # Hundreds of copies of a huge value would only make the test slow.
    return [element if len(repr(element)) < 1_000 else "x"] * times


def some(element: st.SearchStrategy[Any], over: int) -> st.SearchStrategy[Any]:
    """A short list, or now and then one element repeated past our limit of `over`, or junk
    (long lists drawn element by element would make slow examples)."""
    return weighted(
        (6, st.lists(element, max_size=4)),
        (1, st.builds(_copies, element, st.integers(over, 2 * over))),
        (1, wrong),
    )


authors = some(author, 200)
PAPER_FIELDS = {
    "summary": field(text),
    "authors": authors,
    "organization": organization,
    "publishedAt": field(any_time),
    "upvotes": field(count),
    "githubRepo": field(url),
    "githubStars": field(count),
    "projectPage": field(url),
    "ai_summary": field(text),
    "ai_keywords": some(field(text), 30),
    "mediaUrls": some(field(url), 20),
    "discussionId": field(messy),
}
ITEM_FIELDS = {
    "title": field(text),
    "summary": field(text),
    "thumbnail": field(url),
    "numComments": field(count),
    "organization": organization,
    "mediaUrls": some(field(url), 20),
    "publishedAt": field(any_time),
    "submittedBy": wrong,
}


def paper_object(day: date) -> st.SearchStrategy[Any]:
    core = {
        "id": field(arxiv_id), "title": field(text), "submittedOnDailyAt": field(listed_on(day))
    }
    likely = st.fixed_dictionaries(core, optional=PAPER_FIELDS)
    anything = st.fixed_dictionaries({}, optional={**core, **PAPER_FIELDS})
    return mostly(likely, st.one_of(anything, wrong))


def hf_item(day: date) -> st.SearchStrategy[Any]:
    likely = st.fixed_dictionaries({"paper": paper_object(day)}, optional=ITEM_FIELDS)
    anything = st.fixed_dictionaries({}, optional={"paper": paper_object(day), **ITEM_FIELDS})
    return mostly(likely, st.one_of(anything, wrong))


def day_items(day: date) -> st.SearchStrategy[list[Any]]:
    """A day's list, its first few items sometimes repeated at the end (duplicate ids)."""
    return st.builds(
        lambda items, repeat: items + items[:repeat],
        st.lists(hf_item(day), max_size=5),
        st.integers(0, 3),
    )


# How the list travels: JSON escaping every non-ASCII character (lone surrogates become
# \udXXX escapes HF could send), raw UTF-8 (lone surrogates make it invalid UTF-8), or
# embedded in a day page's hydration props.
WIRES = ("json-ascii", "json-ascii", "json-ascii", "json-utf8", "page", "page")


def wire_body(items: list[Any], wire: str, day: date) -> bytes:
    if wire == "page":
        return page_html(day.isoformat(), items)
    text_ = json.dumps(items, ensure_ascii=wire == "json-ascii")
    return text_.encode("utf-8", "surrogatepass")


@st.composite
def hf_answers(draw: st.DrawFn) -> dict[date, tuple[str, list[Any]]]:
    days = draw(st.lists(st.sampled_from(WINDOW), min_size=1, max_size=3, unique=True))
    return {day: (draw(st.sampled_from(WIRES)), draw(day_items(day))) for day in days}


# --- properties of parse ------------------------------------------------------------------

ASCII_ARXIV_ID = re.compile(
    r"(\d{4}\.\d{4,5}|[a-z][a-z.\-]{1,20}/\d{7})(v\d{1,3})?", re.ASCII | re.IGNORECASE
)
# XML 1.0 Char: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
HTTP = ("http://", "https://")


def parse_outcome(
    parse: Callable[[bytes, date], ParseResult], body: bytes, day: date
) -> ParseResult | None:
    """The ParseResult, or None after a ParseError; any other exception fails the test."""
    try:
        result = parse(body, day)
    except ParseError:
        return None
    assert isinstance(result, ParseResult)
    return result


def check_papers(result: ParseResult, day: date, item_count: int | None = None) -> None:
    if item_count is not None:  # every item is accounted for, as a paper or a skip
        assert len(result.papers) + len(result.skipped) == item_count
        assert sorted(s.index for s in result.skipped) == sorted({s.index for s in result.skipped})
        assert all(0 <= s.index < item_count and s.reason for s in result.skipped)
    ids = [p.arxiv_id for p in result.papers]
    assert len(set(ids)) == len(ids), "duplicate ids within one day"
    for p in result.papers:
        assert isinstance(p, Paper)
        assert ASCII_ARXIV_ID.fullmatch(p.arxiv_id), f"invalid arXiv id {p.arxiv_id!r}"
        assert p.day == day and p.listed_at.date() == day and p.listed_at.utcoffset() == timedelta()
        assert p.title and p.title == p.title.strip() and len(p.title) <= MAX_TITLE
        assert len(p.abstract) <= MAX_ABSTRACT and len(p.ai_summary) <= MAX_ABSTRACT
        short = (p.organization, *p.authors, *p.ai_keywords)
        assert all(len(s) <= MAX_SHORT for s in short) and all(p.authors) and all(p.ai_keywords)
        for value in (p.title, p.abstract, p.ai_summary, *short):
            assert not NOT_XML_CHAR.search(value), f"XML-forbidden character in {value[:80]!r}"
        for link in (p.thumbnail, p.github_repo, p.project_page, *p.media_urls):
            assert link == "" or link.lower().startswith(HTTP), link
        assert p.upvotes >= 0 and p.comments >= 0
        assert p.github_stars is None or (p.github_repo and p.github_stars >= 0)


def archived(day: date, papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    """The day as the next run reads it back; the same answer again must change nothing."""
    first = merge_day(None, papers, day, FIRST_RUN)
    stored = decode_day(encode_day(first.day))  # an ArchiveError fails the test
    by_id = sorted(first.day.papers, key=lambda p: p.arxiv_id)  # stored in rank order
    assert sorted(stored.papers, key=lambda p: p.arxiv_id) == by_id
    assert (stored.date, stored.changed_at) == (first.day.date, first.day.changed_at)
    again = merge_day(stored, papers, day, NEXT_RUN)
    assert not again.changed, again.reason
    return stored.papers


# --- properties of the rendered site ------------------------------------------------------

XML = etree.XMLParser(resolve_entities=False, no_network=True)  # no recover: strict
NS = {"a": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
# Elements that run code, load things, restyle or restructure a page: none may come from data.
ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
          "style", "link", "meta", "base", "form", "input", "button", "textarea", "select",
          "template", "noscript", "xmp", "plaintext", "title", "html", "head", "body"}


def check_markup(root: lxml.html.HtmlElement, allowed: frozenset[str] = frozenset()) -> None:
    """No active element (but `allowed`), comment, event handler, inline style but the bars'
    widths, and links to http(s) only."""
    for el in root.iterdescendants():
        assert isinstance(el.tag, str), f"{el!r} in generated HTML"
        assert el.tag not in ACTIVE - allowed, f"<{el.tag}> in generated HTML"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"{name}={value!r}"
            if name == "style":
                assert re.fullmatch(r"width:\d{1,3}%", value), value
            if name in ("href", "src"):
                assert value.lower().startswith(HTTP), f"{name}={value!r}"


def check_entry_html(html: str) -> None:
    check_markup(lxml.html.fragment_fromstring(html, create_parent="div"))


def check_page(body: bytes, ranked: dict[date, tuple[RankedPaper, ...]]) -> None:
    doc = lxml.html.document_fromstring(body.decode("utf-8"))
    check_markup(doc, allowed=frozenset({"head", "meta", "title", "link", "style", "body"}))
    assert [s.getparent().tag for s in doc.xpath("//style")] == ["head"]
    latest = max(d for d, papers in ranked.items() if papers)
    titles = [a.text_content() for a in doc.xpath("//ol/li/a[contains(@class, 'title')]")]
    assert titles == [r.paper.title for r in ranked[latest]]


def check_site(site: Site, ranked: dict[date, tuple[RankedPaper, ...]]) -> None:
    objects = site.objects
    if not any(ranked.values()):
        assert objects == {}
        return
    for key, body in objects.items():
        if key.endswith((".atom", ".rss", ".opml")):
            etree.fromstring(body, XML)
        elif key.endswith(".json"):
            json.loads(body.decode("utf-8"))
        elif key == "index.html":
            check_page(body, ranked)
        elif key.endswith((".html", ".md", ".txt", ".js", ".css")):
            assert not NOT_XML_CHAR.search(body.decode("utf-8")), key
        else:
            assert key in STATIC, key
    assert "index.html" in objects
    papers: dict[str, list[Paper]] = {}  # a paper listed on two days has two records
    for day in ranked.values():
        for r in day:
            papers.setdefault(r.paper.url, []).append(r.paper)
    titles = {p.title for listed in papers.values() for p in listed}
    kinds = {spec.name: spec.kind for spec in CATALOGUE}
    feeds = [key.removesuffix(".atom") for key in objects if key.endswith(".atom")]
    assert {f"feeds/{name}" for name in kinds} <= set(feeds)
    for feed in feeds:
        atom = etree.fromstring(objects[f"{feed}.atom"], XML)
        rss = etree.fromstring(objects[f"{feed}.rss"], XML)
        items = json.loads(objects[f"{feed}.json"])["items"]
        ids = [i["id"] for i in items]
        assert len(set(ids)) == len(ids), f"{feed}: duplicate entry ids"
        assert atom.xpath("a:entry/a:id/text()", namespaces=NS) == ids
        assert rss.xpath("channel/item/guid/text()") == ids
        feed_titles = [i["title"] for i in items]
        assert [t.text for t in atom.xpath("a:entry/a:title", namespaces=NS)] == feed_titles
        assert [t.text for t in rss.xpath("channel/item/title")] == feed_titles
        if kinds.get(feed.rsplit("/", 1)[-1]) == "papers":
            assert set(feed_titles) <= titles
        contents = [i["content_html"] for i in items]
        assert [c.text for c in atom.xpath("a:entry/a:content", namespaces=NS)] == contents
        # RSS: content:encoded beside a plain-text description, or the HTML as the description.
        for item, content in zip(rss.xpath("channel/item"), contents, strict=True):
            encoded = item.findtext("content:encoded", namespaces=NS)
            if encoded is not None:
                assert encoded == content
                continue
            assert item.findtext("description") == content
        for url_, html in zip(ids, contents, strict=True):
            check_entry_html(html)
            if url_ in papers:  # a paper entry: one of its records is shown, as text
                shown = lxml.html.fragment_fromstring(html, create_parent="div").text_content()
                assert any(p.abstract in shown and p.organization in shown
                           for p in papers[url_]), html[:2000]


def render(ranked: dict[date, tuple[RankedPaper, ...]], as_of: date) -> Site:
    return render_site(ranked, as_of, SiteOptions(SITE_URL))


def render_and_check(papers_by_day: dict[date, tuple[Paper, ...]], as_of: date) -> None:
    ranked = {day: rank_papers(papers) for day, papers in papers_by_day.items()}
    check_site(render(ranked, as_of), ranked)


# --- the tests ----------------------------------------------------------------------------

@given(hf_answers())
def test_any_hf_answer_parses_archives_and_renders_well_formed(
    answers: dict[date, tuple[str, list[Any]]],
) -> None:
    papers_by_day: dict[date, tuple[Paper, ...]] = {}
    for day, (wire, items) in answers.items():
        parse = parse_page if wire == "page" else parse_api
        result = parse_outcome(parse, wire_body(items, wire, day), day)
        if result is None:
            continue
        check_papers(result, day, len(items))
        event(f"papers on a day: {len(result.papers)}")
        papers_by_day[day] = archived(day, result.papers)
    render_and_check(papers_by_day, max(answers))


@given(day_items(DAY))
def test_the_page_gives_the_same_records_as_the_api(items: list[Any]) -> None:
    api = parse_outcome(parse_api, wire_body(items, "json-ascii", DAY), DAY)
    page = parse_outcome(parse_page, wire_body(items, "page", DAY), DAY)
    assert api == page


@given(st.one_of(st.binary(max_size=4_000), st.builds(b"[".__add__, st.binary(max_size=4_000))))
@example(b"\xef\xbb\xbf[]")  # a BOM
@example(b"[\"\xed\xa0\x80\"]")  # a surrogate encoded in UTF-8 (CESU-8): invalid UTF-8
@example(b"\x00\x00\x00[")
def test_any_bytes_are_a_result_or_a_parse_error(body: bytes) -> None:
    for parse in (parse_api, parse_page):
        result = parse_outcome(parse, body, DAY)
        if result is not None:
            check_papers(result, DAY)


RAW = {name: (FIXTURES / name).read_bytes() for name in (DAY_0803, SUBSET_0731, PAGE_20240801)}
RAW["page-0803"] = page_html(DAY.isoformat(), json.loads(RAW[DAY_0803]))
# The recorded page is big (220 kB, slow to parse): it is one case in six.
RECORDINGS = (
    *[(DAY_0803, DAY, parse_api)] * 2,
    *[(SUBSET_0731, date(2026, 7, 31), parse_api)] * 2,
    ("page-0803", DAY, parse_page),
    (PAGE_20240801, date(2024, 8, 1), parse_page),
)
INVALID_UTF8 = (b"\xff", b"\xc3", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82")


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[bytes, date, Callable[[bytes, date], ParseResult]]:
    name, day, parse = draw(st.sampled_from(RECORDINGS))
    raw = RAW[name]
    at = draw(st.integers(0, len(raw)))
    how = draw(st.sampled_from(("truncate", "overwrite", "insert", "delete", "invalid-utf8")))
    if how == "truncate":
        body = raw[:at]
    elif how == "overwrite":
        patch = draw(st.binary(min_size=1, max_size=16))
        body = raw[:at] + patch + raw[at + len(patch):]
    elif how == "insert":
        body = raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]
    elif how == "delete":
        body = raw[:at] + raw[at + draw(st.integers(1, 64)):]
    else:
        body = raw[:at] + draw(st.sampled_from(INVALID_UTF8)) + raw[at:]
    return body, day, parse


@given(corrupted())
def test_corrupted_recordings_are_a_result_or_a_parse_error(
    case: tuple[bytes, date, Callable[[bytes, date], ParseResult]],
) -> None:
    body, day, parse = case
    result = parse_outcome(parse, body, day)
    if result is not None:
        check_papers(result, day)
        render_and_check({day: result.papers}, day)


# Where a nested or huge value goes: the body itself, an item, a paper field, an author.
SPOTS = (
    b"@",
    b"[@]",
    b'[{"paper": @}]',
    b'[{"paper": {"id": "2608.00001", "title": @, "submittedOnDailyAt": "2026-08-03"}}]',
    b'[{"paper": {"id": "2608.00001", "title": "t", "authors": [{"name": @}]}}]',
    b'[{"paper": {"id": "2608.00001", "title": "t", "upvotes": @}, "numComments": @}]',
)


def _in_page(api_body: bytes) -> bytes:
    props = b'{"dateString": "2026-08-03", "dailyPapers": ' + api_body + b"}"
    escaped = props.replace(b"&", b"&amp;").replace(b'"', b"&quot;")
    return b'<div data-target="DailyPapers" data-props="' + escaped + b'"></div>'


@given(
    spot=st.sampled_from(SPOTS),
    depth=st.one_of(st.integers(1, 2_000), st.integers(1, 100_000)),
    brackets=st.sampled_from(((b"[", b"]"), (b'{"a":', b"}"))),
    page=st.booleans(),
)
@example(spot=b"[@]", depth=100_000, brackets=(b"[", b"]"), page=False)
@example(spot=b"[@]", depth=100_000, brackets=(b'{"a":', b"}"), page=True)
def test_deeply_nested_json_is_a_result_or_a_parse_error(
    spot: bytes, depth: int, brackets: tuple[bytes, bytes], page: bool
) -> None:
    opening, closing = brackets
    body = spot.replace(b"@", opening * depth + b"1" + closing * depth)
    result = parse_outcome(parse_page if page else parse_api, _in_page(body) if page else body, DAY)
    if result is not None:
        check_papers(result, DAY)


@given(spot=st.sampled_from(SPOTS), digits=st.integers(1, 20_000), sign=st.sampled_from(("", "-")),
       exponent=st.sampled_from(("", ".5", "e400", "e-400", "E+99999")), page=st.booleans())
def test_huge_numbers_are_a_result_or_a_parse_error(
    spot: bytes, digits: int, sign: str, exponent: str, page: bool
) -> None:
    number = (sign + "9" * digits + exponent).encode()
    body = spot.replace(b"@", number)
    result = parse_outcome(parse_page if page else parse_api, _in_page(body) if page else body, DAY)
    if result is not None:
        check_papers(result, DAY)


# --- the bugs this file found, one example each -----------------------------------------
# Found by the properties above and fixed in src/ since; kept as plain regression tests. A new
# bug gets its reproduction here, marked xfail(strict=True, reason="bug: ...") until fixed.

def _one_item(**paper: Any) -> bytes:
    base = {"id": "2608.00001", "title": "T", "submittedOnDailyAt": "2026-08-03T00:00:00.000Z"}
    return json.dumps([{"paper": {**base, **paper}}]).encode()


@pytest.mark.parametrize("parse", [parse_api, parse_page], ids=["api", "page"])
def test_huge_json_integer_is_a_parse_error(parse: Callable[..., ParseResult]) -> None:
    """BUG-1 (fixed): json.loads raises a plain ValueError on a number over Python's 4,300
    digit limit; it escaped parse, and one such item crashed the whole run."""
    body = b"[" + b"1" * 4_301 + b"]"
    body = _in_page(body) if parse is parse_page else body
    with pytest.raises(ParseError):
        parse(body, DAY)


@pytest.mark.parametrize("field_", ["publishedAt", "submittedOnDailyAt"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_out_of_range_times_count_as_missing(field_: str, value: str) -> None:
    """BUG-2 (fixed): astimezone(UTC) raised OverflowError at the edges of year 1 and 9999,
    out of parse, crashing the whole run."""
    result = parse_api(_one_item(**{field_: value}), DAY)
    # A time that is no time counts as missing, like any other unusable value.
    if field_ == "publishedAt":
        assert result.papers[0].published_at is None
    else:
        assert result.papers[0].listed_at == datetime.combine(DAY, time(0), tzinfo=UTC)


@pytest.mark.parametrize("arxiv", ["٢٦٠٨.٠٠٠٠١", "２６０８.００００１", "\u212aep-th/9901001"])
def test_arxiv_ids_are_ascii(arxiv: str) -> None:
    """BUG-3 (fixed): without re.ASCII, \\d took Arabic-Indic and full-width digits and re.I
    let the Kelvin sign be a "k", so such ids passed into every URL."""
    result = parse_api(_one_item(id=arxiv), DAY)
    assert not result.papers and "not an arXiv id" in result.skipped[0].reason


def test_archive_keeps_papers_published_before_year_1000() -> None:
    """BUG-4 (fixed): archive._time wrote %Y, "999-01-02T...", which it cannot read back, so
    the whole day document became unreadable. Parse now drops such years, so the archive is
    given one directly: whatever time reaches it must read back."""
    (paper,) = parse_api(_one_item(), DAY).papers
    old = replace(paper, published_at=datetime(999, 1, 2, tzinfo=UTC))
    day = merge_day(None, (old,), DAY, FIRST_RUN).day
    body = encode_day(day)
    assert b'"published_at": "0999-01-02T00:00:00Z"' in body
    back = decode_day(body)
    assert back == day and back.papers[0].published_at == datetime(999, 1, 2, tzinfo=UTC)


def test_the_same_answer_twice_changes_nothing_when_times_have_milliseconds() -> None:
    """BUG-5 (fixed in parse): the archive keeps whole seconds, so a publishedAt with
    milliseconds differed from its stored copy: a "change" (new updated_at) on every run."""
    body = _one_item(publishedAt="2026-07-29T12:34:56.789Z")
    stored = decode_day(encode_day(merge_day(None, parse_api(body, DAY).papers, DAY,
                                             FIRST_RUN).day))
    again = merge_day(stored, parse_api(body, DAY).papers, DAY, NEXT_RUN)
    assert not again.changed, again.reason


def test_rss_description_of_an_entry_without_summary_is_its_html() -> None:
    """BUG-8 (fixed): the first fix of BUG-6 escaped every RSS description, also the content
    HTML feedgen puts there when an entry has no summary: readers showed markup as text."""
    site = render({DAY: rank_papers(parse_api(_one_item(), DAY).papers)}, DAY)
    description = etree.fromstring(site.objects["feeds/daily.rss"]).findtext("channel/item/"
                                                                             "description")
    html = json.loads(site.objects["feeds/daily.json"])["items"][0]["content_html"]
    assert description == html
