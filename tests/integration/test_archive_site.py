"""The archive site as a reader and a search box see it (issue 15): a page per archived day
and month, the archive index, the monthly roundups, the Pagefind bundle; that a run's cost
follows what changed; that the derived documents under state/ are never trusted over the
archive; and that a Pagefind failure costs the search index its update, nothing else.

Expectations come from the archive documents and the ranking rule, never from our HTML."""

from __future__ import annotations

import copy
import gzip
import json
import logging
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from factories import NOW, SITE_URL, client_for, site_config
from fake_hf import FakeHF, june_days, recorded_days

from paperfeed import browse as browse_module
from paperfeed.archive.codec import decode_day
from paperfeed.models import Paper
from paperfeed.publish.stores.folder import DirStore
from paperfeed.render.archive_pages import paper_anchor
from paperfeed.render.post import PostOptions, monthly_key
from paperfeed.run import RunSummary, run
from paperfeed.select.rank import rank_key

BUNDLE = "search/2026-07/"  # CHANGED_DAY's month: one search bundle a month
CHANGED_DAY = "2026-07-10"  # a day of site_30 in an ended month, not the newest
NEW_ABSTRACT = ("We teach quokkas to rank papers by upvotes; the zanzibarine ranking wins "
                "on every benchmark we made up.")


# --- reading a built site ------------------------------------------------------------------
def archived(site: Path) -> dict[date, list[Paper]]:
    """Every archived day with papers -> its papers in rank order (select/rank.py's rule)."""
    out = {}
    for path in sorted((site / "archive").glob("*.json")):
        day = decode_day(path.read_bytes())
        if day.papers:
            out[day.date] = sorted(day.papers, key=rank_key)
    return out


def html(site: Path, key: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / key).read_bytes())


def local(href: str) -> str:
    """A link of ours -> its key in the site."""
    assert href.startswith(SITE_URL), href
    return href[len(SITE_URL):]


def published(site: Path) -> dict[str, bytes]:
    """What readers see: every object but the archive and the run's own record."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not p.name.startswith(".")
            and not p.relative_to(site).as_posix().startswith(("archive/", "state/"))}


def under(site: Path, prefix: str) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / prefix).rglob("*")
            if p.is_file()}


def archive_pages(site: Path) -> list[str]:
    keys = [p.relative_to(site).as_posix() for folder in ("days", "months", "topics", "orgs")
            for p in sorted((site / folder).glob("*.html"))]
    return [*keys, "archive.html", "search.html"]


def bundles(site: Path) -> list[str]:
    """The search bundles under search/ (one a month), as keys: search/2026-07/."""
    return sorted(f"search/{p.name}/" for p in (site / "search").iterdir() if p.is_dir())


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """The records every bundle's index refers to: bundle + fragment file -> its record."""
    out = {}
    for bundle in bundles(site):
        folder = site / bundle
        meta_files = list(folder.glob("pagefind.*.pf_meta"))
        entry = json.loads((folder / "pagefind-entry.json").read_bytes())
        (language,) = entry["languages"].values()
        assert [p.name for p in meta_files].count(f"pagefind.{language['hash']}.pf_meta") == 1
        meta = gzip.decompress((folder / f"pagefind.{language['hash']}.pf_meta").read_bytes())
        assert meta.startswith(b"pagefind_dcd")
        found = 0
        for path in sorted((folder / "fragment").glob("*.pf_fragment")):
            if path.stem.encode() not in meta:
                continue  # a fragment of an earlier build: nothing links it any more
            body = gzip.decompress(path.read_bytes())
            assert body.startswith(b"pagefind_dcd"), path
            out[bundle + path.name] = json.loads(body[len(b"pagefind_dcd"):])
            found += 1
        assert found == language["page_count"], bundle
    return out


def assert_search_finds_every_paper(site: Path) -> None:
    records = fragments(site)
    urls = Counter(r["meta"]["url"] for r in records.values())
    expected = {f"days/{d}.html#{paper_anchor(p.arxiv_id)}": p
                for d, papers in archived(site).items() for p in papers}
    assert urls == Counter(list(expected)), "one record per archived paper, none else"
    ids: dict[str, set[str]] = {}
    for record in records.values():
        key, anchor = record["meta"]["url"].split("#")
        if key not in ids:
            ids[key] = set(html(site, key).xpath("//@id"))
        assert anchor in ids[key], record["meta"]["url"]
        paper = expected[record["meta"]["url"]]
        assert record["meta"]["title"] == paper.title
        assert record["meta"]["date"] == paper.day.isoformat()
        assert paper.title in record["content"]


def again(fake: FakeHF, site: Path, on: str = "2026-08-03", days: int = 1, hours: int = 1,
          **options: Any) -> RunSummary:
    config = site_config(fake.url, site, on=date.fromisoformat(on), days=days, **options)
    return run(config, store=DirStore(site), client=client_for(fake),
               now=NOW + timedelta(hours=hours))


def change_abstract(fake: FakeHF) -> str:
    """The abstract of CHANGED_DAY's first item (as HF lists it) changes; its arXiv id."""
    fake.days[CHANGED_DAY][0]["paper"]["summary"] = NEW_ABSTRACT
    return fake.days[CHANGED_DAY][0]["paper"]["id"]


def in_search(written: list[str]) -> list[str]:
    return sorted(k for k in written if k.startswith("search/"))


# --- 1. pages -------------------------------------------------------------------------------
def test_every_archived_day_has_a_page_of_its_papers_in_rank_order(site_30: Path) -> None:
    days = archived(site_30)
    assert [d.isoformat() for d in days] == ["2026-07-10", "2026-07-13", "2026-07-31",
                                             "2026-08-03"]
    ties = 0
    for day, papers in days.items():
        page = html(site_30, f"days/{day}.html")
        items = page.xpath('//ol[@class="day"]/li[@class="paper"]')
        assert [li.get("id") for li in items] == [paper_anchor(p.arxiv_id) for p in papers]
        ties += sum(a.upvotes == b.upvotes for a, b in zip(papers, papers[1:], strict=False))
        for rank, (li, p) in enumerate(zip(items, papers, strict=True), start=1):
            assert li.xpath('string(.//span[@class="rank"])') == f"#{rank}"
            (title,) = li.xpath(".//h3/a")
            assert title.text_content() == p.title and title.get("href") == p.url
            assert li.xpath('.//data[@class="upvotes"]/@value') == [str(p.upvotes)]
            assert f"{p.upvotes} upvote" in li.xpath('string(.//data[@class="upvotes"])')
            authors = li.xpath('string(.//p[@class="authors"])')
            assert all(name in authors for name in p.authors[:10]), (p.arxiv_id, authors)
            assert ("more" in authors) == (len(p.authors) > 10)
            if p.abstract:
                assert li.xpath('string(.//p[@class="abstract"])') == p.abstract
            links = set(li.xpath('.//p[@class="links"]/a/@href'))
            assert {f"https://huggingface.co/papers/{p.arxiv_id}",
                    f"https://arxiv.org/abs/{p.arxiv_id}"} <= links
    assert ties, "the fixtures have upvote ties, so the tie-break is tested too"


def test_day_pages_link_their_neighbours_and_month_pages_their_days(site_30: Path) -> None:
    days = list(archived(site_30))
    for i, day in enumerate(days):
        page = html(site_30, f"days/{day}.html")
        for rel, neighbour in (("prev", days[i - 1] if i else None),
                               ("next", days[i + 1] if i + 1 < len(days) else None)):
            hrefs = {local(h) for h in page.xpath(f'//a[@rel="{rel}"]/@href')}
            assert hrefs == ({f"days/{neighbour}.html"} if neighbour else set()), (day, rel)
            assert all((site_30 / h).is_file() for h in hrefs)
        assert f"months/{day:%Y-%m}.html" in {local(h) for h in page.xpath("//main//a/@href")
                                               if h.startswith(SITE_URL)}
    counts = {d: len(p) for d, p in archived(site_30).items()}
    months = sorted({(d.year, d.month) for d in counts})
    assert months == [(2026, 7), (2026, 8)]
    for year, month in months:
        page = html(site_30, f"months/{year}-{month:02d}.html")
        cells = {local(a.get("href")): a.xpath('string(span[@class="n"])')
                 for a in page.xpath('//table[@class="calendar"]//td[@class="has"]/a')}
        assert cells == {f"days/{d}.html": f"{n} paper{'s' if n != 1 else ''}"
                         for d, n in counts.items() if (d.year, d.month) == (year, month)}
        plain = page.xpath('//table[@class="calendar"]//td[not(@class)]/span[@class="d"]/text()')
        assert len(plain) + len(cells) == len(
            page.xpath('//table[@class="calendar"]//td[not(@class="out")]'))
    index = html(site_30, "archive.html")
    links = {local(h) for h in index.xpath("//main//a/@href")}
    assert {k for k in links if k.startswith(("days/", "months/"))} == {
        *(f"days/{d}.html" for d in counts), *(f"months/{y}-{m:02d}.html" for y, m in months)}
    assert all((site_30 / k).is_file() for k in links if k)


def test_every_archive_page_has_its_title_description_open_graph_and_feeds(
    site_30: Path
) -> None:
    keys = archive_pages(site_30)
    assert len(keys) > 10 and any(k.startswith("topics/") for k in keys)
    for key in keys:
        page = html(site_30, key)
        title = page.findtext(".//title")
        description = page.xpath('string(//meta[@name="description"]/@content)')
        assert title and title.endswith("paperfeed") and description, key

        def og(name: str, page: lxml.html.HtmlElement = page) -> list[str]:
            return page.xpath(f'//meta[@property="og:{name}"]/@content')

        assert og("title") == [title] and og("description") == [description], key
        assert og("url") == page.xpath('//link[@rel="canonical"]/@href') == [SITE_URL + key]
        atom = page.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert atom, key
        assert all((site_30 / local(h)).is_file() and h.endswith(".atom") for h in atom), key
        assert page.get("lang") == "en"
        # Every link of ours goes to a published file (no feed offered before it exists).
        ours = {local(h).partition("#")[0] for h in page.xpath("//@href | //@src")
                if h.startswith(SITE_URL)}
        assert [k for k in ours if k and not (site_30 / k).is_file()] == [], key


@pytest.fixture(scope="module")
def korean_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    fake = FakeHF().start()
    out = tmp_path_factory.mktemp("site-ko")
    try:
        config = site_config(fake.url, out, days=30, lang="ko",
                             posts=PostOptions(tz="Asia/Seoul"))
        assert run(config, store=DirStore(out), client=client_for(fake), now=NOW).status == "ok"
    finally:
        fake.stop()
    yield out


def test_the_korean_site_s_archive_pages_are_korean(korean_site: Path) -> None:
    from paperfeed.i18n import lang

    ko = lang("ko")
    for key in archive_pages(korean_site):
        text = (korean_site / key).read_text(encoding="utf-8")
        page = lxml.html.fromstring(text)
        assert page.get("lang") == "ko", key
        nav = page.xpath("string(//header//nav)")
        assert "검색" in nav and "아카이브" in nav, key
        assert re.search("[가-힣]", page.findtext(".//title") + page.xpath(
            'string(//meta[@name="description"]/@content)')), key
    for day in archived(korean_site):
        page = html(korean_site, f"days/{day}.html")
        assert ko.long_date(day) in page.findtext(".//title")  # 2026년 7월 10일
        assert "upvote" not in page.xpath('string(//ol[@class="day"])')
        assert "추천" in page.xpath('string(//data[@class="upvotes"])')
    assert "검색" in html(korean_site, "search.html").xpath("string(//form)")


# --- 2. roundups --------------------------------------------------------------------------
def a_may_day() -> dict[str, list[dict[str, Any]]]:
    """The fixtures have no May day: four papers of June 1 as if listed on May 29 (new ids)."""
    items = copy.deepcopy(june_days()["2026-06-01"][:4])
    for i, item in enumerate(items):
        paper = item["paper"]
        paper["id"] = f"2605.{90001 + i}"
        paper["submittedOnDailyAt"] = "2026-05-29" + paper["submittedOnDailyAt"][10:]
    return {"2026-05-29": items}


@pytest.fixture(scope="module")
def site_90(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 90-day backfill ending 2026-08-03 (from 2026-05-06): a May day, June's 21 real days,
    July's three and August 3; every other day HF has no list for, so it is empty."""
    fake = FakeHF({**recorded_days(), **june_days(), **a_may_day()}).start()
    out = tmp_path_factory.mktemp("site-90")
    try:
        summary = run(site_config(fake.url, out, days=90), store=DirStore(out),
                      client=client_for(fake), now=NOW)
    finally:
        fake.stop()
    assert summary.status == "ok" and len(summary.days_fetched) == 90, summary
    yield out


def roundups(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "posts").glob("*-monthly.md"))


def test_a_90_day_backfill_has_a_roundup_for_each_ended_month_and_none_for_this_one(
    site_90: Path
) -> None:
    days = archived(site_90)
    months = sorted({(d.year, d.month) for d in days})
    assert months == [(2026, 5), (2026, 6), (2026, 7), (2026, 8)]
    options = PostOptions()
    assert roundups(site_90) == [monthly_key(2026, m, options) for m in (5, 6, 7)]
    assert not (site_90 / monthly_key(2026, 8, options)).exists()  # August has not ended
    for year, month in months:
        ids = {p.arxiv_id for d, papers in days.items() if (d.year, d.month) == (year, month)
               for p in papers}
        others = {p.arxiv_id for papers in days.values() for p in papers} - ids
        page = html(site_90, f"months/{year}-{month:02d}.html")
        linked = [local(h) for h in page.xpath('//p[@class="lead"]/a/@href')]
        key = monthly_key(year, month, options)
        if month == 8:
            assert not any(k.startswith("posts/") for k in linked)
            continue
        assert key in linked
        text = (site_90 / key).read_text(encoding="utf-8")
        top = max((p for d, papers in days.items() if (d.year, d.month) == (year, month)
                   for p in papers), key=lambda p: (p.upvotes, p.comments))
        assert top.arxiv_id in text
        assert not any(i in text for i in others), key


def test_a_backfill_over_one_ended_month_has_one_roundup(site_30: Path) -> None:
    # site_30 starts on July 5: June has no archived day there, so no roundup either.
    assert roundups(site_30) == [monthly_key(2026, 7, PostOptions())]


# --- 3. search index ---------------------------------------------------------------------
def test_the_search_bundle_has_one_record_per_paper_linked_to_its_place(site_30: Path) -> None:
    # One bundle a month, each of its own month's papers only; the page lists them newest
    # first.
    assert bundles(site_30) == ["search/2026-07/", "search/2026-08/"]
    for bundle in bundles(site_30):
        entry = json.loads((site_30 / bundle / "pagefind-entry.json").read_bytes())
        assert list(entry["languages"]) == ["en"]
    for key, record in fragments(site_30).items():
        assert record["meta"]["url"][len("days/"):][:7] == key[len("search/"):][:7], key
    assert_search_finds_every_paper(site_30)
    page = html(site_30, "search.html")
    assert page.xpath('//form[@id="search-form"]/@data-bundles') == [
        f"{SITE_URL}search/2026-08/ {SITE_URL}search/2026-07/"]


def test_the_search_bundle_of_a_90_day_backfill_has_every_month(site_90: Path) -> None:
    assert bundles(site_90) == [f"search/2026-{m:02d}/" for m in (5, 6, 7, 8)]
    assert_search_finds_every_paper(site_90)


# --- 4. cost follows what changed -----------------------------------------------------------
def test_an_unchanged_run_uploads_no_search_file_and_renders_no_page(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    before = published(site_30_copy)
    summary = again(fake_hf, site_30_copy, days=3)
    assert summary.status == "ok" and summary.rendered == 0 and summary.written == []
    # Even rendered again from scratch (the manifest lost), every search file, day and
    # month page comes out as it was published: nothing of them is uploaded.
    (site_30_copy / "state/manifest.json").unlink()
    summary = again(fake_hf, site_30_copy, days=3, hours=2)
    assert summary.status == "ok" and summary.rendered > len(archive_pages(site_30_copy))
    print(f"\nunchanged, rendered again: {len(in_search(summary.written))} files under search/"
          f" written of {len(under(site_30_copy, 'search'))}")
    assert not [k for k in summary.written if k.startswith(("search/", "days/", "months/"))]
    assert published(site_30_copy) == before


def test_one_changed_abstract_uploads_a_few_search_files(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    before = under(site_30_copy, "search")
    arxiv_id = change_abstract(fake_hf)
    summary = again(fake_hf, site_30_copy, on=CHANGED_DAY)
    assert summary.status == "ok"
    written = in_search(summary.written)
    new_fragments = [k for k in written if "/fragment/" in k]
    print(f"\none abstract changed: {len(written)} files under search/ written: {written}")
    assert 3 <= len(written) <= 10
    assert f"{BUNDLE}pagefind-entry.json" in written and len(new_fragments) == 1
    # Every fragment there was is untouched (the changed paper's has a new name).
    after = under(site_30_copy, "search")
    assert all(after[k] == body for k, body in before.items() if "/fragment/" in k)
    assert len([k for k in before if "/fragment/" in k]) >= 50
    (record,) = [r for r in fragments(site_30_copy).values()
                 if r["meta"]["url"] == f"days/{CHANGED_DAY}.html#{paper_anchor(arxiv_id)}"]
    assert NEW_ABSTRACT in record["content"]
    assert "zanzibarine" not in json.dumps([json.loads(gzip.decompress(b)[12:]) for k, b in
                                            before.items() if "/fragment/" in k])
    assert_search_finds_every_paper(site_30_copy)
    # The day page shows the abstract; the month page does not (its bytes are the same).
    pages = {k for k in summary.written if k.startswith(("days/", "months/"))}
    assert pages == {f"days/{CHANGED_DAY}.html"}
    assert NEW_ABSTRACT in (site_30_copy / f"days/{CHANGED_DAY}.html").read_text()


def test_an_upvote_change_uploads_no_search_file(fake_hf: FakeHF, site_30_copy: Path) -> None:
    before = under(site_30_copy, "search")
    fake_hf.days[CHANGED_DAY][0]["paper"]["upvotes"] += 50
    summary = again(fake_hf, site_30_copy, on=CHANGED_DAY)
    assert summary.status == "ok"
    print(f"\nan upvote changed: {len(in_search(summary.written))} files under search/ written")
    assert in_search(summary.written) == [] and under(site_30_copy, "search") == before
    assert {f"days/{CHANGED_DAY}.html", "months/2026-07.html"} <= set(summary.written)


# --- 5. the derived documents are not trusted ------------------------------------------------
def _wrong_versions(body: bytes) -> bytes:
    """A document of the right shape whose every stored version is not the day's."""
    doc = json.loads(body)
    for value in doc["days"].values():
        if isinstance(value, list):
            value[0] = "0" * 32
        else:
            value["version"] = "0" * 32
    return json.dumps(doc).encode()


TAMPERED = {
    "ledger not JSON": ("state/days.json", lambda b: b"\x00not json{"),
    "ledger of another schema": ("state/days.json", lambda b: b'{"schema": 2, "days": {}}'),
    "ledger malformed": ("state/days.json",
                         lambda b: b'{"schema": 1, "days": {"2026-07-10": ["x", -1]}}'),
    "ledger with wrong versions": ("state/days.json", _wrong_versions),
    "changed month not JSON": ("state/months/2026-07.json", lambda b: b"garbage"),
    "changed month malformed": ("state/months/2026-07.json",
                                lambda b: b'{"schema": 1, "days": {"2026-07-13": {}}}'),
    "changed month with wrong versions": ("state/months/2026-07.json", _wrong_versions),
    "other month not JSON": ("state/months/2026-08.json", lambda b: b"[]"),
    "other month with wrong versions": ("state/months/2026-08.json", _wrong_versions),
    "state deleted": ("state", None),
}


@pytest.fixture(scope="module")
def clean_change(site_30: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """site_30 after the run that follows CHANGED_DAY's abstract change, untampered."""
    clean = tmp_path_factory.mktemp("clean") / "site"
    shutil.copytree(site_30, clean)
    fake = FakeHF().start()
    try:
        change_abstract(fake)
        assert again(fake, clean, on=CHANGED_DAY).status == "ok"
    finally:
        fake.stop()
    yield clean


@pytest.mark.parametrize("case", list(TAMPERED))
def test_tampered_derived_documents_are_remade_and_the_site_is_a_clean_build_s(
    case: str, fake_hf: FakeHF, site_30: Path, site_30_copy: Path, clean_change: Path,
    caplog: pytest.LogCaptureFixture
) -> None:
    clean = clean_change
    key, tamper = TAMPERED[case]
    if tamper is None:
        shutil.rmtree(site_30_copy / key)
    else:
        path = site_30_copy / key
        path.write_bytes(tamper(path.read_bytes()))
    change_abstract(fake_hf)  # a run with work to do, which reads what it trusts
    with caplog.at_level(logging.WARNING, logger="paperfeed"):
        summary = again(fake_hf, site_30_copy, on=CHANGED_DAY)
    assert summary.status == "ok", summary
    # Another month's document is read only when something of that month is rendered (a
    # search bundle and a month page are a month's own): until then it is left as it is.
    other = key.startswith("state/months/") and CHANGED_DAY[:7] not in key
    if tamper is not None and "versions" not in case and not other:
        assert any(key in r.getMessage() and "remade from the archive" in r.getMessage()
                   for r in caplog.records), caplog.text
    assert published(site_30_copy) == published(clean)
    assert under(site_30_copy, "archive") == under(clean, "archive")
    assert {k: v for k, v in under(site_30_copy, "archive").items()
            if CHANGED_DAY not in k} == {k: v for k, v in under(site_30, "archive").items()
                                         if CHANGED_DAY not in k}
    skip = {"state/manifest.json", key} if other else {"state/manifest.json"}
    derived = {k: v for k, v in under(clean, "state").items() if k not in skip}
    assert {k: v for k, v in under(site_30_copy, "state").items() if k not in skip} == derived
    assert_search_finds_every_paper(site_30_copy)
    if other:
        # A change in that month reads it: it is remade, and the month's pages and search
        # bundle hold every one of its papers.
        day = key[len("state/months/"):-len(".json")]
        (first, *_rest) = [d for d in fake_hf.days if d.startswith(day)]
        fake_hf.days[first][0]["paper"]["summary"] = NEW_ABSTRACT + " Again."
        with caplog.at_level(logging.WARNING, logger="paperfeed"):
            assert again(fake_hf, site_30_copy, on=first, hours=3).status == "ok"
        if "versions" not in case:
            assert any(key in r.getMessage() and "remade from the archive" in r.getMessage()
                       for r in caplog.records), caplog.text
        assert_search_finds_every_paper(site_30_copy)
        month = html(site_30_copy, f"months/{day}.html")
        assert len(month.xpath('//table[@class="calendar"]//a')) == len(
            [d for d in archived(site_30_copy) if d.isoformat().startswith(day)])


# --- 6. a Pagefind failure ------------------------------------------------------------------
def _exits_1(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess([], 1, "", "Error: pagefind broke")


def _no_binary() -> Path:
    raise FileNotFoundError("pagefind binary not found")


@pytest.mark.parametrize("failure", ["exits 1", "no binary"])
def test_a_pagefind_failure_keeps_the_published_index_and_the_next_run_builds_it(
    failure: str, fake_hf: FakeHF, site_30_copy: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    import pagefind_bin

    from paperfeed.search import pagefind

    if failure == "exits 1":
        monkeypatch.setattr(pagefind.subprocess, "run", _exits_1)
    else:
        monkeypatch.setattr(pagefind_bin, "get_executable", _no_binary)
    before = under(site_30_copy, "search")
    change_abstract(fake_hf)
    with caplog.at_level(logging.ERROR, logger="paperfeed"):
        summary = again(fake_hf, site_30_copy, on=CHANGED_DAY)
    assert summary.status == "ok", summary
    assert in_search(summary.written) == [] and under(site_30_copy, "search") == before
    assert any(r.levelno == logging.ERROR and "search index not built" in r.getMessage()
               for r in caplog.records), caplog.text
    assert NEW_ABSTRACT in (site_30_copy / f"days/{CHANGED_DAY}.html").read_text()
    monkeypatch.undo()
    summary = again(fake_hf, site_30_copy, on=CHANGED_DAY, hours=2)  # nothing else changed
    assert summary.status == "ok"
    assert f"{BUNDLE}pagefind-entry.json" in summary.written
    assert_search_finds_every_paper(site_30_copy)
    assert any(NEW_ABSTRACT in r["content"] for r in fragments(site_30_copy).values())


# --- 7. a day that does not read back in the archive step ------------------------------------
class FlakyStore(DirStore):
    """A folder whose `get` of one key fails `times` times (S3 answering 500 for it)."""

    def __init__(self, root: Path, key: str, times: int = 1) -> None:
        super().__init__(root)
        self.key, self.times = key, times

    def get(self, key: str) -> bytes | None:
        if key == self.key and self.times > 0:
            self.times -= 1
            from paperfeed.errors import StoreError

            raise StoreError(f"get {key}: injected 500")
        return super().get(key)


def test_a_day_unreadable_in_the_archive_step_empties_no_page(
    fake_hf: FakeHF, site_30_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Every archive page is rendered again (the site moves to another address) while one
    archived day, outside the fetched window, cannot be read: no page is published showing
    less than before (not its day page, month, the index, the search, its neighbours), and
    the next healthy run renders them all."""
    day = "2026-07-13"
    before = {k: v for k, v in published(site_30_copy).items()
              if k.startswith(("days/", "months/", "search/", "archive.html"))}
    config = site_config(fake_hf.url, site_30_copy, on=date(2026, 8, 3), days=1,
                         site_url="https://moved.example/")
    store = FlakyStore(site_30_copy, f"archive/{day}.json")
    with caplog.at_level(logging.ERROR, logger="paperfeed"):
        summary = run(config, store=store, client=client_for(fake_hf),
                      now=NOW + timedelta(hours=1))
    assert summary.status == "partial" and day in summary.days_unreadable, summary
    assert "archive site not rendered" in caplog.text or "not rendered" in caplog.text
    after = published(site_30_copy)
    assert {k: after[k] for k in before} == before  # every archive page as it was
    # The next run reads the day and renders the archive site for its new address.
    healthy = run(config, store=DirStore(site_30_copy), client=client_for(fake_hf),
                  now=NOW + timedelta(hours=2))
    assert healthy.status == "ok", healthy
    page = html(site_30_copy, f"days/{day}.html")
    assert len(page.xpath('//ol[@class="day"]/li[@class="paper"]')) == len(
        archived(site_30_copy)[date.fromisoformat(day)])
    assert page.xpath('//link[@rel="canonical"]/@href') == [
        f"https://moved.example/days/{day}.html"]


def test_a_month_document_that_says_less_than_the_ledger_is_made_again(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    """A month document at the right versions but with a day's cards gone (the ledger says
    it has papers) is not trusted: the month page and its search bundle keep every paper."""
    path = site_30_copy / "state/months/2026-07.json"
    doc = json.loads(path.read_bytes())
    (emptied, *_rest) = sorted(d for d in doc["days"] if d != CHANGED_DAY)
    doc["days"][emptied]["papers"] = []
    path.write_bytes(json.dumps(doc).encode())
    change_abstract(fake_hf)  # July's bundle and page are rendered again
    assert again(fake_hf, site_30_copy, on=CHANGED_DAY).status == "ok"
    assert_search_finds_every_paper(site_30_copy)
    month = html(site_30_copy, "months/2026-07.html")
    counts = {a.text_content().strip() for a in month.xpath('//table[@class="calendar"]//a')}
    assert len(counts) == len([d for d in archived(site_30_copy) if d.month == 7])
    assert not [c for c in counts if c.endswith(" 0 papers")]


def test_a_tampered_card_id_cannot_reach_the_file_system(site_30_copy: Path) -> None:
    """A month document's card with an id that is no arXiv id (a path, a NUL, 300
    characters) is no card: the document is remade, never used to name a file."""
    from paperfeed.archive.summaries import decode_month

    path = site_30_copy / "state/months/2026-07.json"
    for bad in ("../../etc/x", "a\x00b", "9" * 300):
        doc = json.loads(path.read_bytes())
        (first, *_rest) = sorted(doc["days"])
        doc["days"][first]["papers"][0][0] = bad
        month, why = decode_month(json.dumps(doc).encode())
        assert why and not month, (bad, why)


def test_a_new_version_of_the_code_renders_the_pages_again_but_not_the_search(
    fake_hf: FakeHF, site_30_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deploy changes the package's digest: every page is rendered again (cheap), but no
    month's search bundle, which depends only on its papers, the search code, Pagefind's
    version and the language (a deploy must not rebuild the whole index in one run)."""
    import paperfeed.render.site as site_module
    import paperfeed.run as run_module

    for module in (site_module, run_module):
        monkeypatch.setattr(module, "code_version", lambda: "a new release")
    built: list[int] = []
    real = browse_module.build_bundle
    monkeypatch.setattr(browse_module, "build_bundle",
                        lambda records, language: built.append(1) or real(records, language))
    summary = again(fake_hf, site_30_copy, hours=2)
    assert summary.status == "ok", summary
    assert summary.rendered > len(archive_pages(site_30_copy))  # the pages, again
    assert built == [] and not in_search(summary.written)
    assert_search_finds_every_paper(site_30_copy)


def test_a_first_build_over_many_months_goes_in_steps(
    fake_hf: FakeHF, site_30_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a budget of one bundle a run, a site whose search is built from nothing gets the
    newest month first (the search page names only what is built), then the next run builds
    the other: no run does it all, none starts again from scratch."""
    shutil.rmtree(site_30_copy / "search")
    monkeypatch.setattr(browse_module, "BUNDLES_PER_RUN", 1)
    first = again(fake_hf, site_30_copy, hours=2)
    assert first.status == "ok", first
    assert bundles(site_30_copy) == ["search/2026-08/"]
    page = html(site_30_copy, "search.html")
    assert page.xpath('//form[@id="search-form"]/@data-bundles') == [f"{SITE_URL}search/2026-08/"]
    second = again(fake_hf, site_30_copy, hours=3)  # nothing else changed: it goes on
    assert second.status == "ok", second
    assert bundles(site_30_copy) == ["search/2026-07/", "search/2026-08/"]
    assert html(site_30_copy, "search.html").xpath('//form[@id="search-form"]/@data-bundles') \
        == [f"{SITE_URL}search/2026-08/ {SITE_URL}search/2026-07/"]
    assert_search_finds_every_paper(site_30_copy)
    third = again(fake_hf, site_30_copy, hours=4)  # and then it is done: nothing to do
    assert third.status == "ok" and third.written == [], third
