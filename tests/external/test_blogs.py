"""The posts in real static-site engines: minimal Jekyll (Debian `jekyll`, kramdown) and Hugo
(Debian `hugo`, Goldmark) blogs built from several days of posts, read back as HTML.

- English: every day's top papers in rank order with title, upvotes, HF and arXiv links, and
  the month's roundup;
- Korean (`lang="ko"`, Seoul time): the labels byte-exact, the date at +09:00;
- a hostile day (HTML, event handlers, Markdown, Liquid, shortcodes, javascript: URLs in
  titles, abstracts, organisations, authors, keywords, links) builds in both engines and
  shows as the literal text.

Like newsboat and Chromium, a missing engine skips locally and fails under CI=true.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from blog_sites import DEBIAN_PACKAGE, ENGINES, Blog, build, make_site, publish_posts
from bs4 import BeautifulSoup, Tag
from fake_hf import FakeHF
from tools import require_tool

DAYS = {  # the days a 30-day backfill ending 2026-08-03 archives, with their English dates
    "2026-07-10": "July 10, 2026",
    "2026-07-13": "July 13, 2026",
    "2026-07-31": "July 31, 2026",
    "2026-08-03": "August 3, 2026",
}
TOP = 10  # PostOptions.top
MONTHLY = "/posts/hf-daily-papers-monthly-2026-07-31/"
LABELS = ("Organisation:", "Authors:", "AI summary:", "Keywords:", "Abstract:", "Figures:")


def permalink(day: str) -> str:
    return f"/posts/hf-daily-papers-{day}/"


@dataclass(frozen=True)
class Built:
    blog: Blog
    out: Path  # paperfeed's own site: archive/, feeds/, posts/

    def soup(self, link: str) -> BeautifulSoup:
        path = self.blog.page(link)
        assert path.is_file(), f"{self.blog.engine} built no page at {link}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def ranked(self, day: str) -> list[dict[str, Any]]:
        """The day's archived papers in rank order (most upvotes, most comments, id)."""
        papers = json.loads((self.out / f"archive/{day}.json").read_text())["papers"]
        ranked = sorted(papers, key=lambda p: (-p["upvotes"], -p["comments"], p["arxiv_id"]))
        assert [p["arxiv_id"] for p in papers] == [p["arxiv_id"] for p in ranked]
        return ranked


def site_for(
    engine: str, root: Path, hf_url: str, *, lang: str = "en", tz: str = "UTC", days: int = 30
) -> Built:
    require_tool(engine, DEBIAN_PACKAGE[engine])
    blog = make_site(engine, root / "blog", lang=lang, timezone=tz)
    summary = publish_posts(blog, hf_url, root / "out", lang=lang, tz=tz, days=days)
    assert summary.status == "ok", summary.as_dict()
    assert summary.posts_written, "nothing written into the blog's posts folder"
    build(blog)
    return Built(blog, root / "out")


@pytest.fixture(scope="module")
def recorded_hf() -> Iterator[FakeHF]:
    fake = FakeHF().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module", params=ENGINES)
def english(request: pytest.FixtureRequest, recorded_hf: FakeHF,
            tmp_path_factory: pytest.TempPathFactory) -> Built:
    return site_for(request.param, tmp_path_factory.mktemp(f"en-{request.param}"),
                    recorded_hf.url)


@pytest.fixture(scope="module", params=ENGINES)
def korean(request: pytest.FixtureRequest, recorded_hf: FakeHF,
           tmp_path_factory: pytest.TempPathFactory) -> Built:
    return site_for(request.param, tmp_path_factory.mktemp(f"ko-{request.param}"),
                    recorded_hf.url, lang="ko", tz="Asia/Seoul")


# --- helpers over the built HTML -----------------------------------------------------------

def main(soup: BeautifulSoup) -> Tag:
    found = soup.find("main")
    assert isinstance(found, Tag)
    return found


def sections(soup: BeautifulSoup) -> list[tuple[Tag, list[Tag]]]:
    """Each paper's <h2> and the elements after it up to the next <h2>."""
    out = []
    for h2 in main(soup).find_all("h2"):
        body = []
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2":
                break
            body.append(sibling)
        out.append((h2, body))
    return out


def labelled(body: list[Tag]) -> dict[str, str]:
    """Each labelled line: its bold label ("Abstract:") -> the text after the label."""
    out = {}
    for element in body:
        for p in [element] if element.name == "p" else element.find_all("p"):
            first = p.find(True)
            if first is not None and first.name == "strong" and p.get_text().startswith(
                first.get_text()
            ):
                out[first.get_text()] = p.get_text().removeprefix(first.get_text()).strip()
    return out


def links(body: list[Tag]) -> dict[str, str]:
    return {a.get_text(): a["href"] for element in body for a in element.find_all("a")}


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


# --- English -------------------------------------------------------------------------------

def test_each_day_shows_its_top_papers_in_rank_order(english: Built) -> None:
    for day, long_date in DAYS.items():
        soup = english.soup(permalink(day))
        ranked = english.ranked(day)
        shown = ranked[:TOP]
        title = f"Hugging Face Daily Papers: {long_date}"
        assert soup.title is not None and soup.title.get_text() == title
        assert [h.get_text() for h in main(soup).find_all("h1")] == [title]
        assert main(soup).find("p").get_text() == (
            f"Hugging Face listed {plural(len(ranked), 'paper')} on {long_date}; "
            f"this post shows the top {len(shown)} by upvotes."
        )
        found = sections(soup)
        assert len(found) == len(shown), day
        for rank, (paper, (h2, body)) in enumerate(zip(shown, found, strict=True), start=1):
            pid = paper["arxiv_id"]
            assert h2.get_text() == f"{rank}. {paper['title']}", pid
            assert [a["href"] for a in h2.find_all("a")] == [f"https://huggingface.co/papers/{pid}"]
            assert body[0].get_text() == (
                f"▲ {plural(paper['upvotes'], 'upvote')} · {plural(paper['comments'], 'comment')}"
            ), pid
            got = links(body)
            assert got["arXiv abstract"] == f"https://arxiv.org/abs/{pid}", pid
            assert got["PDF"] == f"https://arxiv.org/pdf/{pid}", pid
        # The same order read off the page's links, not off the headings.
        hrefs = [a["href"] for a in main(soup).find_all("a")]
        expected = [p["arxiv_id"] for p in shown]
        assert [h.rsplit("/", 1)[1] for h in hrefs if "huggingface.co/papers/" in h] == expected
        assert [h.rsplit("/", 1)[1] for h in hrefs if "arxiv.org/abs/" in h] == expected


def test_the_month_roundup_ranks_the_month_across_its_days(english: Built) -> None:
    soup = english.soup(MONTHLY)
    july = [(day, rank, p) for day in DAYS if day.startswith("2026-07")
            for rank, p in enumerate(english.ranked(day), start=1)]
    top = sorted(july, key=lambda t: (-t[2]["upvotes"], -t[2]["comments"], t[2]["arxiv_id"]))
    top = top[:20]
    title = "Hugging Face Daily Papers: top 20 of July 2026"
    assert soup.title is not None and soup.title.get_text() == title
    assert main(soup).find("p").get_text() == (
        f"The 20 most upvoted of the {len(july)} papers Hugging Face listed in July 2026."
    )
    found = sections(soup)
    assert len(found) == 20
    for place, ((day, rank, paper), (h2, body)) in enumerate(zip(top, found, strict=True), 1):
        pid = paper["arxiv_id"]
        assert h2.get_text() == f"{place}. {paper['title']}", pid
        assert h2.find("a")["href"] == f"https://huggingface.co/papers/{pid}"
        org = f" · {paper['organization']}" if paper["organization"] else ""
        assert body[0].get_text() == (
            f"▲ {plural(paper['upvotes'], 'upvote')} · #{rank} on {DAYS[day]}{org}"
        ), pid
        assert links(body)["arXiv abstract"] == f"https://arxiv.org/abs/{pid}"


def test_the_blog_lists_every_post_with_its_date(english: Built) -> None:
    index = english.blog.dest / "index.html"
    hrefs = {a["href"] for a in BeautifulSoup(index.read_text(), "html.parser").find_all("a")}
    assert hrefs == {*map(permalink, DAYS), MONTHLY}
    for day in DAYS:
        time = english.soup(permalink(day)).find("time")
        assert time is not None and time["datetime"] == f"{day}T00:00:00+00:00"


# --- Korean --------------------------------------------------------------------------------

# Hangul in UTF-8 read as Latin-1 (or cp1252) shows as ê/ë/ì/í and a C1 or Latin-1 sign.
MOJIBAKE = re.compile("[\u00ea-\u00ed][\u0080-\u00bf\u2018-\u203a\u0152-\u017e]|\ufffd")
KO_LABELS = {"소속:", "저자:", "AI 요약:", "키워드:", "초록:", "그림:"}
KO_COUNTS = re.compile(r"▲ 추천 [\d,]+개 · 댓글 [\d,]+개")


def korean_text(built: Built, link: str) -> str:
    raw = built.blog.page(link).read_bytes()
    text = raw.decode("utf-8")  # strict: a broken byte fails here
    assert "일간 논문".encode() in raw
    assert not MOJIBAKE.search(text), (link, MOJIBAKE.search(text))
    return text


def test_korean_labels_are_byte_exact(korean: Built) -> None:
    day = korean.ranked("2026-07-31")
    first = day[0]
    text = korean_text(korean, permalink("2026-07-31"))
    raw = korean.blog.page(permalink("2026-07-31")).read_bytes()
    expected = [
        '<html lang="ko">',
        "<title>Hugging Face 일간 논문: 2026년 7월 31일</title>",
        ">Hugging Face 일간 논문: 2026년 7월 31일</h1>",
        f"<p>2026년 7월 31일에 Hugging Face에 올라온 논문은 {len(day)}편이며, "
        "이 글은 추천 상위 10편을 소개합니다.</p>",
        f"<p>▲ 추천 {first['upvotes']:,}개 · 댓글 {first['comments']:,}개</p>",
        f"<strong>소속:</strong> {first['organization']}",
        "<strong>저자:</strong> ",
        "<strong>초록:</strong> ",
        f'<a href="https://arxiv.org/abs/{first["arxiv_id"]}">arXiv 초록</a>',
        ">프로젝트 페이지</a>",
        "<strong>그림:</strong> ",
        ">그림 1</a>",
    ]
    for piece in expected:
        assert piece.encode("utf-8") in raw, piece
    many = next(p for p in day[:TOP] if len(p["authors"]) > 5)
    assert f" 외 {len(many['authors']) - 5}명</p>" in text

    text = korean_text(korean, permalink("2026-07-10"))
    for piece in ("<strong>AI 요약:</strong> ", "<strong>키워드:</strong> ",
                  "<title>Hugging Face 일간 논문: 2026년 7월 10일</title>"):
        assert piece in text, piece

    text = korean_text(korean, MONTHLY)
    july = sum(len(korean.ranked(d)) for d in DAYS if d.startswith("2026-07"))
    for piece in ("<title>Hugging Face 일간 논문: 2026년 7월 상위 20편</title>",
                  f"<p>2026년 7월에 Hugging Face에 올라온 논문 {july}편 중 추천이 가장 많은 "
                  "20편.</p>",
                  " · 2026년 7월 31일 1위 · "):
        assert piece in text, piece

    for day in DAYS:  # no English label is left anywhere
        soup = korean.soup(permalink(day))
        assert {s.get_text() for s in main(soup).find_all("strong")} <= KO_LABELS
        for h2, body in sections(soup):
            assert KO_COUNTS.fullmatch(body[0].get_text()), body[0]
            assert set(links(body)) <= {"arXiv 초록", "PDF", "GitHub", "프로젝트 페이지",
                                        *(f"그림 {n}" for n in range(1, 21))}, h2


def test_korean_posts_are_dated_in_seoul_time(korean: Built) -> None:
    for day in DAYS:
        time = korean.soup(permalink(day)).find("time")
        assert time is not None and time["datetime"] == f"{day}T00:00:00+09:00", day


# --- a hostile day -------------------------------------------------------------------------

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)> & <a href=javascript:alert(1) onclick=alert(2)>x</a>",
    "**bold** _it_ __b__ [link](javascript:alert(1)) ~~del~~ `code` <b>b</b>",
    "{{ site.time }} {% include nope.html %} {{ 7 | times: 6 }} {%raw%} {{ page.title }}",
    "{{< shortcode >}} {{% md %}} {{</* comment */>}} {{ .Site.Title }}",
    "# heading | table | $$x$$ $y$ \\\\ \\ \\* trailing\\",
    "1. item - item + item > quote <!--more--> --- *** ... -- <<x>>",
    "&amp; &#123; &lt;tag&gt; &nbsp; :smile: [^1] *[HTML]: {:.cls} ^sup^ ==mark== www.a.org",
)
QUOTES = "\"Quoted\" title's 'single' quotes"
BACKSLASH_URLS = ("https://github.com/org/repo\\", "https://example.org/a\\_b")


def hostile_item(base: dict[str, Any], n: int, text: str) -> dict[str, Any]:
    item = copy.deepcopy(base)
    item["paper"].update(
        id=f"2608.{n:05d}", title=text, upvotes=1000 - n, summary=f"ABS {text}",
        ai_summary=f"AI {text}", ai_keywords=[f"KW {text}", "k2"],
        authors=[{"name": f"AU {text}"}, {"name": "Second <b>author</b>"}],
        organization={"fullname": f"ORG {text}", "name": "org"},
        githubRepo="javascript:alert(1)", projectPage="JaVaScRiPt:alert(document.domain)",
        mediaUrls=["javascript:alert(1)", "https://cdn.example.org/f(1){{x}}.png"],
    )
    item["thumbnail"] = "https://cdn.example.org/t.png?q={{site.time}}&x=(1)"
    return item


@pytest.fixture(scope="module", params=ENGINES)
def hostile(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    fake = FakeHF().start()
    try:
        base = fake.days["2026-08-03"][0]
        added = [hostile_item(base, n, text) for n, text in enumerate(PAYLOADS, start=1)]
        added.append(hostile_item(base, len(added) + 1, QUOTES))
        odd = hostile_item(base, len(added) + 1, "Backslash URLs")
        odd["paper"].update(githubRepo=BACKSLASH_URLS[0], projectPage=BACKSLASH_URLS[1])
        added.append(odd)
        fake.days["2026-08-03"].extend(added)
        yield site_for(request.param, tmp_path_factory.mktemp(f"hostile-{request.param}"),
                       fake.url, days=1)
    finally:
        fake.stop()


def hostile_sections(built: Built) -> dict[str, tuple[Tag, list[Tag]]]:
    """arXiv id -> (heading, body) of each hostile paper; they hold ranks 1 to 10."""
    found = sections(built.soup(permalink("2026-08-03")))
    by_id = {h2.find("a")["href"].rsplit("/", 1)[1]: (h2, body) for h2, body in found}
    assert [*by_id][: len(PAYLOADS) + 2] == [f"2608.{n:05d}" for n in range(1, len(PAYLOADS) + 3)]
    return by_id


def test_hostile_text_builds_and_shows_as_the_literal_text(hostile: Built) -> None:
    by_id = hostile_sections(hostile)
    for n, text in enumerate(PAYLOADS, start=1):
        h2, body = by_id[f"2608.{n:05d}"]
        assert h2.get_text() == f"{n}. {text}"
        assert labelled(body) == {
            "Organisation:": f"ORG {text}",
            "Authors:": f"AU {text}, Second <b>author</b>",
            "AI summary:": f"AI {text}",
            "Keywords:": f"KW {text}, k2",
            "Abstract:": f"ABS {text}",
            "Figures:": "",  # the one http(s) figure, as an image
        }, text
        # javascript: links were dropped when parsed: no GitHub or project link is left.
        assert [a.get_text() for el in body for a in el.find_all("a")] == [
            "arXiv abstract", "PDF"], text

    soup = hostile.soup(permalink("2026-08-03"))
    post = main(soup)
    assert {t.name for t in post.find_all(True)} <= {
        "h1", "h2", "p", "a", "strong", "img", "blockquote"}
    assert {s.get_text() for s in post.find_all("strong")} <= set(LABELS)
    assert len(post.find_all("h2")) == len(post.find_all("blockquote")) == TOP  # AI summaries
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src"):
            if tag.has_attr(attr):
                assert tag[attr].startswith("https://"), tag
    page = hostile.blog.page(permalink("2026-08-03")).read_text()
    assert "<script" not in page.lower() and "raw HTML omitted" not in page
    # The figure kept its URL, percent-encoded where Liquid or a link could trip on it.
    assert 'src="https://cdn.example.org/f%281%29%7B%7Bx%7D%7D.png"' in page


def test_thumbnails_are_decorative_with_an_empty_alt(hostile: Built) -> None:
    # The title is the heading right above; an empty alt also sidesteps Hugo 0.111's
    # Goldmark, which writes alt text from the raw Markdown (goldmark#456, hugo#11045).
    by_id = hostile_sections(hostile)
    for n in range(1, len(PAYLOADS) + 1):
        _, body = by_id[f"2608.{n:05d}"]
        thumbs = [i for el in body for i in el.find_all("img") if "/t.png" in i["src"]]
        assert [i["alt"] for i in thumbs] == [""]
        assert thumbs[0]["src"] == "https://cdn.example.org/t.png?q=%7B%7Bsite.time%7D%7D&x=%281%29"


def test_text_keeps_its_straight_quotes(hostile: Built) -> None:
    # Unescaped, kramdown's smart quotes and Goldmark's typographer print “Quoted”, title’s.
    h2, body = hostile_sections(hostile)[f"2608.{len(PAYLOADS) + 1:05d}"]
    assert h2.get_text() == f"{len(PAYLOADS) + 1}. {QUOTES}"
    assert labelled(body)["Abstract:"] == f"ABS {QUOTES}"


def test_a_backslash_in_a_link_keeps_the_link(hostile: Built) -> None:
    # In CommonMark a raw "\\)" would escape the link's closing paren: it goes as %5C.
    _, body = hostile_sections(hostile)[f"2608.{len(PAYLOADS) + 2:05d}"]
    got = links(body)
    github, project = BACKSLASH_URLS
    assert got.get("GitHub") in (github, github.replace("\\", "%5C"))
    assert got.get("Project page") in (project, project.replace("\\", "%5C"))
    assert "[GitHub](" not in " ".join(el.get_text() for el in body)
