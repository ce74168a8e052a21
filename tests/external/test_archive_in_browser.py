"""The archive site as a reader meets it, in a live browser (Playwright on Debian's
Chromium), over a 30-day site served from its own SITE_URL under the deployed CSP.

What each test expects comes from the archive documents (archive/<day>.json: the truth the
pages are made from), never from our HTML:

- a day page lists its papers in rank order (upvotes, then comments, then arXiv id) with
  their upvotes;
- the previous/next links walk the archived days and stop at both ends; the month link and
  the month's calendar land on pages that are there;
- the search box finds a paper by a word only its abstract holds, and its result leads to
  the paper's place on its day page; `?q=` searches on arrival; a word nowhere says so;
- without JavaScript a day page still lists its papers, and the search page points to the
  archive;
- at phone width no page scrolls sideways.

Set ARCHIVE_SHOTS=/some/folder to keep screenshots (desktop and phone) of a day page, a
month page and a search with results.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from live_browser import DESKTOP, PHONE, LivePage, open_page, type_and_wait
from playwright.sync_api import expect  # its assertions retry until they hold, or time out

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

NOWHERE = "qzxwvjkq"  # in no paper of the recorded days (checked in the test)


@dataclass(frozen=True)
class Site:
    root: Path
    url: str

    def papers(self) -> dict[date, list[dict[str, Any]]]:
        """Each archived day's papers as its archive document holds them."""
        return {date.fromisoformat(p.stem): json.loads(p.read_bytes())["papers"]
                for p in sorted((self.root / "archive").glob("*.json"))}

    def days(self) -> list[date]:
        """The days that should have a page: archived, with papers; oldest first."""
        return sorted(d for d, papers in self.papers().items() if papers)


@pytest.fixture(scope="module")
def site(served_site_30: tuple[Path, str]) -> Site:
    """The 30-day site, built for and served at its own SITE_URL (conftest's served_site_30)."""
    return Site(*served_site_30)


def ranked(papers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """select/rank.py's order, restated: most upvotes, then most comments, then arXiv id."""
    return sorted(papers, key=lambda p: (-p["upvotes"], -p["comments"], p["arxiv_id"]))


def words(text: str) -> str:
    return " ".join(text.split())


def day_url(site: Site, d: date) -> str:
    return f"{site.url}days/{d.isoformat()}.html"


def anchor(arxiv_id: str) -> str:
    return "p-" + arxiv_id.replace("/", "-")


def go(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url


def click_to(page: Page, link: Locator) -> str:
    """Click a link as a reader does; the served answer must be a page that is there."""
    with page.expect_navigation() as nav:
        link.click()
    response = nav.value
    assert response is not None and response.ok, (page.url, response and response.status)
    return page.url


# --- 1. a day's papers, ranked, with their upvotes -----------------------------------------

def test_a_day_page_shows_its_papers_in_rank_order_with_their_upvotes(
    site: Site, live_page: LivePage
) -> None:
    """Fails if a page orders by another key (rank_key with fewest comments first fails at
    2026-07-13, #12), shows other upvotes, drops a paper, or misnames its anchor."""
    page = live_page.page
    all_papers = site.papers()
    # Each part of the rank key decides somewhere in the recorded days: a page in any of
    # these other orders would fail below (checked here, so the test can tell them apart).
    others = {
        "upvotes, then arXiv id": lambda p: (-p["upvotes"], p["arxiv_id"]),
        "upvotes, then fewest comments": lambda p: (-p["upvotes"], p["comments"], p["arxiv_id"]),
        "upvotes, comments, then arXiv id descending": lambda p: (
            -p["upvotes"], -p["comments"], [-ord(c) for c in p["arxiv_id"]]),
        "fewest upvotes": lambda p: (p["upvotes"], -p["comments"], p["arxiv_id"]),
    }
    for name, key in others.items():
        assert any([p["arxiv_id"] for p in sorted(ps, key=key)]
                   != [p["arxiv_id"] for p in ranked(ps)] for ps in all_papers.values()), name
    for d in site.days():
        go(page, day_url(site, d))
        shown = page.locator("ol.day > li").evaluate_all("""rows => rows.map(li => ({
            id: li.id,
            rank: li.querySelector('.rank').textContent.trim(),
            title: li.querySelector('h3').innerText,
            href: li.querySelector('h3 a').href,
            upvotes: li.querySelector('data.upvotes').value,
            upvotesText: li.querySelector('data.upvotes').innerText,
            visible: li.querySelector('h3 a').checkVisibility(),
        }))""")
        expected = ranked(all_papers[d])
        where = d.isoformat()
        assert [words(r["title"]) for r in shown] == [words(p["title"]) for p in expected], where
        assert [r["rank"] for r in shown] == [f"#{i}" for i in range(1, len(expected) + 1)]
        assert [int(r["upvotes"]) for r in shown] == [p["upvotes"] for p in expected], where
        # What the reader reads, not only the machine-readable value: "▲ 38 upvotes".
        for r, p in zip(shown, expected, strict=True):
            n = p["upvotes"]
            assert r["upvotesText"] == f"▲ {n} upvote{'' if n == 1 else 's'}", (where, r)
            assert r["id"] == anchor(p["arxiv_id"]) and r["visible"], (where, r)
            assert r["href"].endswith(p["arxiv_id"]), (where, r)
    assert live_page.errors == []


# --- 2. previous / next, the month, its calendar -------------------------------------------

def test_previous_and_next_walk_the_archived_days_and_stop_at_both_ends(
    site: Site, live_page: LivePage
) -> None:
    """Fails if a link leads to a day without a page (a 404), skips or swaps a day (the
    previous link pointed at the next day fails at the oldest), or an end has a link."""
    page = live_page.page
    days = site.days()
    pages = sorted(date.fromisoformat(p.stem) for p in (site.root / "days").glob("*.html"))
    assert pages == days  # a page for every archived day with papers, and no other
    assert len(days) >= 3, days  # a middle day, with gaps around it: 07-10, 07-13, 07-31
    for i, d in enumerate(days):
        go(page, day_url(site, d))
        prev, nxt = page.locator("a[rel=prev]"), page.locator("a[rel=next]")
        if i == 0:
            expect(prev).to_have_count(0)  # the oldest day has nothing before it
        if i == len(days) - 1:
            expect(nxt).to_have_count(0)  # nor the newest after it
        if i > 0:
            assert click_to(page, prev.first) == day_url(site, days[i - 1]), d
            go(page, day_url(site, d))
        if i + 1 < len(days):
            assert click_to(page, nxt.first) == day_url(site, days[i + 1]), d
            # the page landed on is that day's: its papers' first title
            first = words(ranked(site.papers()[days[i + 1]])[0]["title"])
            assert words(page.locator("ol.day > li h3").first.inner_text()) == first
    assert live_page.errors == []


def test_the_month_link_and_the_calendar_land_on_pages_that_are_there(
    site: Site, live_page: LivePage
) -> None:
    """Fails if the month link or a calendar cell 404s, a cell links a day with no page or
    misses an archived one, or its count differs from the archive."""
    page = live_page.page
    days = site.days()
    middle = days[len(days) // 2 - 1]  # 07-13: its month has days before and after it
    go(page, day_url(site, middle))
    month_url = f"{site.url}months/{middle:%Y-%m}.html"
    assert click_to(page, page.locator(".lead a[href*='/months/']").first) == month_url
    calendar = page.locator("table.calendar a")
    hrefs = calendar.evaluate_all("links => links.map(a => a.href)")
    in_month = [d for d in days if (d.year, d.month) == (middle.year, middle.month)]
    assert hrefs == [day_url(site, d) for d in in_month]  # every archived day, only those
    for href in hrefs:  # none a 404 of the served site
        answer = page.request.get(href)
        assert answer.status == 200, (href, answer.status)
    # The cell says how many papers the day had (from the archive, not our HTML).
    counts = [words(t) for t in calendar.locator(".n").all_inner_texts()]
    assert counts == [f"{len(site.papers()[d])} papers" for d in in_month]
    assert click_to(page, calendar.last) == day_url(site, in_month[-1])
    assert live_page.errors == []


# --- 3. search -----------------------------------------------------------------------------

def distinctive_word(site: Site) -> tuple[str, dict[str, Any]]:
    """A word of one paper's abstract only: in no other paper's abstract, and in no paper's
    title, authors, organisation or keywords (all searched too). The first in order, so the
    run is the same every time."""
    papers = [p for ps in site.papers().values() for p in ps]

    def tokens(text: str) -> set[str]:
        return set(re.findall(r"[a-z]{9,}", text.lower()))

    elsewhere: set[str] = set()
    abstract_of: dict[str, list[dict[str, Any]]] = {}
    for p in papers:
        elsewhere |= tokens(" ".join([p["title"], *p["authors"], p.get("organization") or "",
                                      *p.get("ai_keywords", [])]))
        for w in tokens(p["abstract"]):
            abstract_of.setdefault(w, []).append(p)
    # Pagefind stems words and matches prefixes: keep away from any word of the corpus that
    # shares its first seven letters, so the paper is not lost in a crowd of near-matches.
    crowd: dict[str, int] = {}
    for w in set(abstract_of) | elsewhere:
        crowd[w[:7]] = crowd.get(w[:7], 0) + 1
    word = min(w for w, ps in abstract_of.items()
               if len(ps) == 1 and w not in elsewhere and crowd[w[:7]] == 1)
    return word, abstract_of[word][0]


def result_link(page: Page, title: str) -> Locator:
    return page.locator("#search-results").get_by_role("link", name=words(title), exact=True)


def test_search_finds_a_paper_by_a_word_of_its_abstract_and_leads_to_it(
    site: Site, live_page: LivePage
) -> None:
    """Fails if the abstract is not indexed, the bundle does not load under the CSP (a
    violation, or no result), or a result links elsewhere than the paper's anchor."""
    page = live_page.page
    word, paper = distinctive_word(site)
    assert word not in paper["title"].lower()
    go(page, site.url + "search.html")
    type_and_wait(page, "#q", word, "#search-results li")
    link = result_link(page, paper["title"])
    expect(link).to_be_visible()
    found = re.compile(r"^(1 paper|\d+ papers) found\.$")
    expect(page.locator("#search-status")).to_have_text(found)
    # the paper's word is marked in its excerpt
    item = page.locator("#search-results li").filter(
        has=page.get_by_role("link", name=words(paper["title"]), exact=True))
    expect(item.locator("mark").first).to_contain_text(word, ignore_case=True)
    target = f"{day_url(site, date.fromisoformat(paper['day']))}#{anchor(paper['arxiv_id'])}"
    assert click_to(page, link) == target
    heading = page.locator(f"[id='{anchor(paper['arxiv_id'])}'] h3")
    assert words(heading.inner_text()) == words(paper["title"])
    expect(heading).to_be_in_viewport()  # landed at the paper, not the top of its day
    assert live_page.csp_violations == [], live_page.console
    assert live_page.errors == []


def test_search_from_the_address_and_a_word_found_nowhere(
    site: Site, live_page: LivePage
) -> None:
    """Fails if ?q= is not read on arrival, or a miss shows results or no message."""
    page = live_page.page
    word, paper = distinctive_word(site)
    go(page, f"{site.url}search.html?q={word}")
    expect(page.locator("#q")).to_have_value(word)
    expect(result_link(page, paper["title"])).to_be_visible()
    everything = json.dumps(list(site.papers().values())).lower()
    assert NOWHERE not in everything
    go(page, f"{site.url}search.html")
    type_and_wait(page, "#q", NOWHERE, "#search-status:not(:empty)")
    expect(page.locator("#search-status")).to_have_text("No paper found.")
    expect(page.locator("#search-results li")).to_have_count(0)
    page.locator("#q").press("Enter")  # the form keeps the query in the address
    expect(page).to_have_url(f"{site.url}search.html?q={NOWHERE}")
    assert live_page.csp_violations == [], live_page.console
    assert live_page.errors == []


# --- 4. without JavaScript -----------------------------------------------------------------

def test_without_javascript_a_day_lists_its_papers_and_search_points_to_the_archive(
    site: Site, live_browser: Browser
) -> None:
    """Fails if a day page needed a script to list its papers, or the search page lost
    its <noscript> way to the archive (with scripting on, <noscript> holds no link)."""
    d = site.days()[-1]
    with open_page(live_browser, java_script_enabled=False) as live:
        page = live.page
        go(page, day_url(site, d))
        links = page.locator("ol.day > li h3 a")
        expected = ranked(site.papers()[d])
        assert [words(t) for t in links.all_inner_texts()] == \
            [words(p["title"]) for p in expected]
        for link, p in zip(links.all(), expected, strict=True):
            expect(link).to_be_visible()
            assert link.get_attribute("href").endswith(p["arxiv_id"])
        go(page, site.url + "search.html")
        note = page.locator("noscript a")  # parsed as markup when scripting is off
        expect(note).to_be_visible()
        assert click_to(page, note) == site.url + "archive.html"
        expect(page.locator(f"a[href='{day_url(site, d)}']")).to_be_visible()


# --- 5. phone width, and screenshots -------------------------------------------------------

def assert_fits(page: Page, path: str) -> None:
    """Nothing wider than the phone. A mobile browser zooms a page out to show what
    overflows, which widens innerWidth with it: so innerWidth must be the device's too."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll <= inner == PHONE["width"], \
        f"{path} at phone width: scrollWidth {scroll}, innerWidth {inner}"


def test_no_page_scrolls_sideways_at_phone_width(site: Site, live_browser: Browser) -> None:
    """Fails if anything is wider than the phone (see assert_fits); the hostile corpus's
    long runs are checked the same way in test_xss_in_browser.py."""
    word, _ = distinctive_word(site)
    busiest = max(site.days(), key=lambda d: len(site.papers()[d]))
    paths = {"day": f"days/{busiest}.html", "month": f"months/{busiest:%Y-%m}.html",
             "archive": "archive.html", "search": "search.html", "topic": "topics/agents.html",
             "results": f"search.html?q={word}"}
    shots = os.environ.get("ARCHIVE_SHOTS")
    passes = [("phone", PHONE, True)] + ([("desktop", DESKTOP, False)] if shots else [])
    for name, viewport, mobile in passes:
        with open_page(live_browser, viewport=viewport, is_mobile=mobile,
                       has_touch=mobile) as live:
            page = live.page
            for what, path in paths.items():
                go(page, site.url + path)
                if what == "results":
                    page.locator("#search-results li").first.wait_for()
                page.wait_for_load_state("load")
                if mobile:
                    assert_fits(page, path)
                if shots and what in ("day", "month", "results"):
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{shots}/{what}-{name}.png", full_page=True)
            assert live.errors == []
