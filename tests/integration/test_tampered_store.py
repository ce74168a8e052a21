"""Never worse, whatever is in the store (issue 18's repros, each a regression test named
after it): stray keys, future dates, tampered archive documents, a quadratic page, versioned
ids, merges that would wipe fields, and config typos that used to fail mid-run."""

from __future__ import annotations

import cProfile
import json
import pstats
from datetime import date
from pathlib import Path

import pytest
from factories import NOW, client_for, run_local, site_config
from fake_hf import FakeHF

from paperfeed.config import load_config
from paperfeed.errors import ConfigError, ParseError
from paperfeed.models import RunStatus
from paperfeed.parse.page import page_items
from paperfeed.parse.papers import papers_from_items
from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import run

FEEDS = ("daily", "weekly", "monthly", "upvotes-10")


def entries(site: Path) -> dict[str, int]:
    return {f: len(json.loads((site / f"feeds/{f}.json").read_bytes())["items"]) for f in FEEDS}


def feed_bytes(site: Path) -> dict[str, bytes]:
    """Every published output: not the archive, not the run's own record (state/)."""
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in site.rglob("*") if p.is_file() and not p.name.startswith(".")
            and not p.relative_to(site).as_posix().startswith(("archive/", "state/"))}


def rerun(fake: FakeHF, site: Path):  # type: ignore[no-untyped-def]
    config = site_config(fake.url, site, days=1)
    return run(config, store=DirStore(site), client=client_for(fake), now=NOW)


def test_repro_1_a_stray_dated_key_is_not_an_archived_day(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    before = entries(site_30_copy)
    (site_30_copy / "posts/2099-01-01.json").write_text("{}")
    summary = rerun(fake_hf, site_30_copy)
    assert summary.status == "ok" and entries(site_30_copy) == before


@pytest.mark.parametrize(
    "body", [b"not json", b'{"schema": 1, "date": "2099-01-01", "papers": []}'])
def test_repro_1_a_future_archive_key_is_ignored_not_a_day_that_holds_the_site_back(
    fake_hf: FakeHF, site_30_copy: Path, body: bytes
) -> None:
    """Found by the soak: an archive key dated after tomorrow made "as of" 2099 (every feed
    empty) or, unreadable, withheld every output on every later run."""
    before = entries(site_30_copy)
    (site_30_copy / "archive/2099-01-01.json").write_bytes(body)
    summary = rerun(fake_hf, site_30_copy)
    assert summary.status == "ok" and summary.keys_ignored == ["archive/2099-01-01.json"]
    assert entries(site_30_copy) == before
    assert (site_30_copy / "archive/2099-01-01.json").read_bytes() == body  # left as it was


@pytest.mark.parametrize("overrides", [{"date": "2030-01-01"}, {"date": "2099-12-31"}])
def test_repro_1_a_future_date_is_a_usage_error(overrides: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="is in the future"):
        load_config({}, overrides)


def test_repro_8_dates_before_hf_papers_and_bad_urls_and_permalinks_fail_at_start() -> None:
    with pytest.raises(ConfigError, match="starts before 2020-01-01"):
        load_config({}, {"date": "0001-01-01", "days": 2})
    for url in ("https://x.example/a b/", "https://x.example/\n", "https://x.example/<x>"):
        with pytest.raises(ConfigError, match="is not an http"):
            load_config({"SITE_URL": url})
    for permalink in ("/{date}/{x}/", "/{date}/{slug.__class__.__name__}/", "/{date}/{slug!r}/"):
        with pytest.raises(ConfigError, match="is not one of"):
            load_config({"POST_PERMALINK": permalink})


def tamper(site: Path, day: str, change) -> None:  # type: ignore[no-untyped-def]
    path = site / f"archive/{day}.json"
    doc = json.loads(path.read_bytes())
    change(doc)
    path.write_text(json.dumps(doc))


def test_repro_2_a_value_of_the_wrong_type_outside_the_window_shrinks_nothing(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    before = entries(site_30_copy)
    tamper(site_30_copy, "2026-07-31", lambda d: d["papers"][0].update(ai_keywords=None))
    summary = rerun(fake_hf, site_30_copy)
    assert summary.status == "ok" and entries(site_30_copy) == before


@pytest.mark.parametrize(("field", "value"), [
    ("upvotes", "5"), ("title", "A title\x00 with a NUL"), ("listed_at", None),
    ("authors", "not a list"), ("published_at", "not a time"),
])
def test_repro_3_a_readable_archive_with_a_wrong_type_never_crashes(
    fake_hf: FakeHF, site_30_copy: Path, field: str, value: object
) -> None:
    tamper(site_30_copy, "2026-07-31", lambda d: d["papers"][0].update({field: value}))
    summary = rerun(fake_hf, site_30_copy)
    assert summary.status == RunStatus.OK, summary
    assert entries(site_30_copy)["monthly"] == 30


def test_repro_3_unsafe_urls_in_the_archive_never_reach_an_output(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    def hostile(doc: dict) -> None:
        for paper in doc["papers"]:
            paper.update(github_repo="javascript:alert(1)", thumbnail="javascript:alert(2)",
                         project_page="data:text/html,x", media_urls=["javascript:x"])
    for day in ("2026-07-31", "2026-07-13", "2026-07-10"):
        tamper(site_30_copy, day, hostile)
    # The outputs are rebuilt when anything changes: the window's day gains a paper.
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] += 1
    assert rerun(fake_hf, site_30_copy).status == "ok"
    for key, body in feed_bytes(site_30_copy).items():
        assert b"javascript:" not in body and b"data:text/html" not in body, key


def test_repro_3_an_unreadable_or_symlinked_document_keeps_every_published_output(
    fake_hf: FakeHF, site_30_copy: Path, tmp_path: Path
) -> None:
    before = feed_bytes(site_30_copy)
    (site_30_copy / "archive/2026-07-31.json").write_bytes(b"{not json")
    outside = tmp_path / "elsewhere.json"
    outside.write_bytes((site_30_copy / "archive/2026-07-13.json").read_bytes())
    (site_30_copy / "archive/2026-07-13.json").unlink()
    (site_30_copy / "archive/2026-07-13.json").symlink_to(outside)
    fake_hf.days["2026-08-03"][0]["paper"]["upvotes"] += 1  # something to publish
    summary = rerun(fake_hf, site_30_copy)
    assert summary.status == "partial"
    assert set(summary.days_unreadable) == {"2026-07-31", "2026-07-13"}
    assert feed_bytes(site_30_copy) == {k: v for k, v in feed_bytes(site_30_copy).items()
                                        if k in before} == before  # nothing emptier went out
    assert all(k.startswith("archive/") for k in summary.written)
    # The broken document is kept, set aside, whatever replaces it later.
    kept = [p for p in (site_30_copy / "archive/set-aside").iterdir()]
    assert [p.read_bytes() for p in kept] == [b"{not json"]


def test_repro_4_the_page_fallback_parses_in_linear_time() -> None:
    def calls(n: int) -> int:
        body = ("<html><body>" + "<a " * n).encode()
        profile = cProfile.Profile()
        profile.enable()
        with pytest.raises(ParseError):
            page_items(body, date(2026, 8, 3))
        profile.disable()
        return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    # html.parser made Python calls in proportion to the body (3.9x for 4x) and took 120 s
    # for 120 KB; lxml parses in one pass in C: the same calls whatever the size.
    calls(100)  # the first call imports the parser
    small = calls(10_000)
    assert calls(40_000) <= 1.2 * small


def test_repro_5_a_versioned_id_is_the_same_paper() -> None:
    item = {"paper": {"id": "2608.00001", "title": "A", "submittedOnDailyAt":
                      "2026-08-03T09:00:00.000Z", "upvotes": 3}}
    later = {"paper": {**item["paper"], "id": "2608.00001v2", "upvotes": 5}}
    old_style = {"paper": {**item["paper"], "id": "HEP-TH/9901001v3"}}
    result = papers_from_items([item, later, old_style], date(2026, 8, 3))
    assert [p.arxiv_id for p in result.papers] == ["2608.00001", "hep-th/9901001"]
    assert [s.reason for s in result.skipped] == ["2608.00001: duplicate"]


def test_repro_6_a_merge_keeps_the_fields_an_answer_leaves_out(
    fake_hf: FakeHF, tmp_path: Path
) -> None:
    assert run_local(fake_hf, tmp_path, days=1).status == "ok"
    stored = json.loads((tmp_path / "archive/2026-08-03.json").read_bytes())["papers"][0]
    assert stored["abstract"] and stored["authors"]
    for item in fake_hf.days["2026-08-03"]:
        if item["paper"]["id"] == stored["arxiv_id"]:
            item["paper"].pop("summary", None)
            item.pop("summary", None)
            item["paper"].pop("authors", None)
            item["paper"]["upvotes"] += 7
    assert run_local(fake_hf, tmp_path, days=1).status == "ok"
    after = next(p for p in json.loads((tmp_path / "archive/2026-08-03.json").read_bytes())
                 ["papers"] if p["arxiv_id"] == stored["arxiv_id"])
    assert after["upvotes"] == stored["upvotes"] + 7
    assert (after["abstract"], after["authors"]) == (stored["abstract"], stored["authors"])


@pytest.fixture
def served_site(site_30: Path):  # type: ignore[no-untyped-def]
    import threading

    from paperfeed.entrypoints.serve import make_server

    server = make_server(str(site_30), port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def ask(port: int, path: str, **headers: str) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host="Host" in headers)
    for name, value in headers.items():
        conn.putheader(name, value)
    conn.endheaders()
    status = conn.getresponse().status  # a dropped connection raises here
    conn.close()
    return status


def test_repro_7_serve_answers_every_request_with_a_status(served_site: int) -> None:
    assert ask(served_site, "/index.html") == 200
    assert ask(served_site, "/index.html%00.png") == 404
    assert ask(served_site, "/" + "a" * 300 + "/x") == 404
    assert ask(served_site, "/index.html", **{"If-Modified-Since":
                                               "Mon, 01 Jan 999999999 00:00:00 GMT"}) == 200
    assert ask(served_site, "/.git/config") == 404 and ask(served_site, "/feeds/.x") == 404
    assert ask(served_site, "/index.html", Host="evil.example") == 400  # DNS rebinding
    assert ask(served_site, "/index.html", Host="localhost:8000") == 200


def test_repro_7_serve_refuses_a_port_out_of_range() -> None:
    from paperfeed.entrypoints.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["serve", "--port", "99999"])
    assert caught.value.code == 2


def test_repro_7_a_planted_symlink_never_redirects_a_write(tmp_path: Path) -> None:
    import os

    site, victim = tmp_path / "site", tmp_path / "victim"
    site.mkdir()
    victim.write_text("precious")
    for name in (f".index.html.{os.getpid()}.tmp", ".index.html.tmp"):
        (site / name).symlink_to(victim)
    DirStore(site).put("index.html", b"<p>new</p>", "text/html", "")
    assert victim.read_text() == "precious"
    assert (site / "index.html").read_bytes() == b"<p>new</p>"
    assert not (site / "index.html").is_symlink()


def test_repro_4_a_server_trickling_bytes_is_cut_off_at_the_deadline(fake_hf: FakeHF) -> None:
    import time

    from paperfeed.errors import FetchError

    fake_hf.behaviour.trickle["2026-08-03"] = 0.05  # ~15 KB: over ten minutes, a byte at a time
    client = client_for(fake_hf, deadline=1.0, read_timeout=5.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="not done within 1 s, cut off"):
        client.api_page(date(2026, 8, 3))
    assert time.monotonic() - started < 10  # each byte came within the read timeout


def test_repro_4_redirects_stay_on_the_hf_origin(fake_hf: FakeHF) -> None:
    from paperfeed.errors import FetchError

    client = client_for(fake_hf)
    fake_hf.behaviour.redirect["2026-08-02"] = "http://evil.example/api/daily_papers"
    with pytest.raises(FetchError, match="redirected off 127.0.0.1"):
        client.api_page(date(2026, 8, 2))
    assert not any("evil" in r for r in fake_hf.requests)
    fake_hf.behaviour.redirect["2026-08-01"] = (
        f"{fake_hf.url}/api/daily_papers?date=2026-08-03&limit=100")
    assert json.loads(client.api_page(date(2026, 8, 1)))  # on the origin: followed


def test_a_set_aside_copy_is_written_before_the_document_that_replaces_it(
    fake_hf: FakeHF, site_30_copy: Path
) -> None:
    """Found by the soak (runs 454 and 770 of seed 11): a truncated day in the window was
    replaced from a fresh answer lacking some of its papers, and the write of its set-aside
    copy, after the day's, failed: those papers were nowhere. The copy now goes first."""
    from test_faults import FailingStore

    tampered = (site_30_copy / "archive/2026-08-03.json").read_bytes()[:400]
    (site_30_copy / "archive/2026-08-03.json").write_bytes(tampered)
    config = site_config(fake_hf.url, site_30_copy, days=1)
    summary = run(config, store=FailingStore(site_30_copy, allowed=1), client=client_for(fake_hf),
                  now=NOW)
    assert summary.status == "failed" and len(summary.written) == 1
    (kept,) = (site_30_copy / "archive/set-aside").glob("2026-08-03-*.json-set-aside")
    assert kept.read_bytes() == tampered
    assert (site_30_copy / "archive/2026-08-03.json").read_bytes() == tampered  # not yet replaced
