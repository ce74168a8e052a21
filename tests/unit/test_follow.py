"""Feeds a reader follows: the feed language, term matching, the shipped topics on a month of
real HF days (tests/fixtures/hf/daily-2026-06), organisation and has-code feeds."""

from __future__ import annotations

import json
from datetime import date

import pytest
from factories import paper
from fake_hf import june_days

from paperfeed.errors import ConfigError, FeedsFileError
from paperfeed.i18n import lang
from paperfeed.models import Criteria, Paper
from paperfeed.parse.papers import papers_from_items
from paperfeed.render.site import SiteOptions, render_site
from paperfeed.select.catalogue import (
    HAS_CODE,
    RESERVED,
    build_catalogue,
    shipped_topics,
)
from paperfeed.select.feeds_file import parse_feeds_file
from paperfeed.select.matching import Matcher
from paperfeed.select.rank import rank_papers

JUNE_END = date(2026, 6, 30)


@pytest.fixture(scope="module")
def june() -> dict[date, tuple]:
    """The 21 recorded weekdays of June 2026, ranked, as the catalogue sees them."""
    out = {}
    for day, items in june_days().items():
        d = date.fromisoformat(day)
        out[d] = rank_papers(papers_from_items(items, d).papers)
    return out


def june_papers(june: dict[date, tuple]) -> list[Paper]:
    return [r.paper for papers in june.values() for r in papers]


def by_title(june: dict[date, tuple], start: str) -> Paper:
    (found,) = [p for p in june_papers(june) if p.title.startswith(start)]
    return found


def topic(slug: str) -> Matcher:
    (d,) = [d for d in shipped_topics() if d.slug == f"topics/{slug}"]
    return Matcher(d.criteria)


# --- matching ------------------------------------------------------------------------------

def test_terms_are_whole_words_case_insensitive_and_a_star_takes_any_ending() -> None:
    p = paper(title="An Agent for GUI tasks", abstract="We reagent the agents. Vision language.")
    assert Matcher(Criteria(include=("agent",))).matches(p)
    assert Matcher(Criteria(include=("AGENT",))).matched(p) == ("AGENT",)
    assert not Matcher(Criteria(include=("gent",))).matches(p)
    assert not Matcher(Criteria(include=("agentic",))).matches(p)
    assert Matcher(Criteria(include=("agentic*", "agents"))).matched(p) == ("agents",)
    assert Matcher(Criteria(include=("reag*",))).matches(p)
    # Hyphens and spaces are the same separator; a phrase needs its words in order.
    assert Matcher(Criteria(include=("vision-language",))).matches(p)
    assert not Matcher(Criteria(include=("language vision",))).matches(p)


def test_a_phrase_never_spans_two_fields() -> None:
    p = paper(title="Scaling reinforcement", abstract="Learning to rank.")
    assert not Matcher(Criteria(include=("reinforcement learning",))).matches(p)
    assert Matcher(Criteria(include=("reinforcement",))).matches(p)


def test_terms_look_at_keywords_authors_and_organisation_too() -> None:
    p = paper(title="X", ai_keywords=("flow matching",), authors=("Yann LeCun",),
              organization="NVIDIA", organization_id="nvidia")
    for term in ("flow matching", "lecun", "nvidia"):
        assert Matcher(Criteria(include=(term,))).matches(p), term


def test_every_condition_must_hold() -> None:
    p = paper(title="Diffusion survey", upvotes=30, github_repo="https://github.com/a/b",
              organization="Qwen", organization_id="Qwen", authors=("A. Author",))
    assert Matcher(Criteria(include=("diffusion",), min_upvotes=20, has_code=True)).matches(p)
    assert not Matcher(Criteria(include=("diffusion",), exclude=("survey",))).matches(p)
    assert not Matcher(Criteria(include=("diffusion",), min_upvotes=31)).matches(p)
    assert Matcher(Criteria(organizations=("qwen",))).matches(p)  # the handle, any case
    assert not Matcher(Criteria(organizations=("nvidia",))).matches(p)
    assert Matcher(Criteria(authors=("a. author",))).matches(p)
    assert not Matcher(Criteria(has_code=True)).matches(paper(title="No code"))


# --- the shipped topics on real days --------------------------------------------------------

@pytest.mark.parametrize(("title", "inside", "outside"), [
    ("MilliVid: Hierarchical Latents", "video", "speech-and-audio"),
    ("Measuring the Depth of LLM Unlearning", "safety-and-alignment", "robotics"),
    ("Hy-Embodied-0.5-VLA", "robotics", "speech-and-audio"),
    ("Mellum2 Technical Report", "code", "robotics"),
    ("MMDiff: Extending Diffusion Transformers", "image-generation", "code"),
    ("Demystifying Hidden-State Recurrence", "reinforcement-learning", "speech-and-audio"),
    ("SwanVoice: Expressive Long-Form", "speech-and-audio", "robotics"),
])
def test_chosen_papers_land_in_their_topic(june: dict, title: str, inside: str,
                                           outside: str) -> None:
    p = by_title(june, title)
    assert topic(inside).matches(p), (title, inside)
    assert topic(inside).matched(p)  # and the entry can say why
    assert not topic(outside).matches(p), (title, outside)


def test_the_topics_cover_nearly_every_real_paper(june: dict) -> None:
    papers = june_papers(june)
    matchers = [Matcher(d.criteria) for d in shipped_topics()]
    covered = sum(any(m.matches(p) for m in matchers) for p in papers)
    assert len(papers) == 619
    assert covered / len(papers) >= 0.95, covered  # README: 610 of 619, 98.5%
    # And no topic is everything: the widest holds well under two thirds of the papers.
    widest = max(sum(m.matches(p) for p in papers) for m in matchers)
    assert widest < 0.6 * len(papers)


def test_topics_have_korean_titles_and_unique_slugs() -> None:
    en, ko = shipped_topics("en"), shipped_topics("ko")
    assert 18 <= len(en) <= 25
    assert len({d.slug for d in en}) == len(en)
    assert [d.slug for d in en] == [d.slug for d in ko]
    assert all(a.title != b.title for a, b in zip(en, ko, strict=True))


# --- organisations and code ----------------------------------------------------------------

def test_an_organisation_feed_holds_exactly_its_papers(june: dict) -> None:
    catalogue = build_catalogue(june, JUNE_END)
    spec = {s.name: s for s in catalogue.feeds}["orgs/nvidia"]
    got = {r.paper.arxiv_id for r in spec.select(june, JUNE_END)}
    want = {p.arxiv_id for p in june_papers(june) if p.organization_id == "nvidia"}
    assert got == want and len(got) == 16
    orgs = {s.name for s in catalogue.feeds if s.family == "orgs"}
    assert {"orgs/nvidia", "orgs/qwen", "orgs/bytedance-seed"} <= orgs
    # Three papers in 90 days by default; the threshold is the deployer's.
    assert len({s.name for s in build_catalogue(june, JUNE_END, org_min_papers=6).feeds
                if s.family == "orgs"}) < len(orgs)
    assert not [s for s in build_catalogue(june, JUNE_END, org_min_papers=0).feeds
                if s.family == "orgs"]


def test_has_code_holds_only_papers_with_a_repository(june: dict) -> None:
    picked = HAS_CODE.select(june, JUNE_END)
    assert picked and all(r.paper.github_repo for r in picked)
    assert {r.paper.day for r in picked} <= {date(2026, 6, d) for d in range(24, 31)}


def test_an_organisation_below_the_threshold_keeps_its_feed_listed_inactive(june: dict) -> None:
    catalogue = build_catalogue(june, JUNE_END, org_min_papers=3,
                                published=frozenset({"orgs/gone-lab", "orgs/nvidia"}))
    assert [s.name for s in catalogue.inactive] == ["orgs/gone-lab"]
    site = render_site(june, JUNE_END, SiteOptions("https://x.example/"), catalogue)
    assert "feeds/orgs/gone-lab.atom" not in site.objects  # the published one stays as it is
    listed = {f["name"]: f for f in json.loads(site.objects["feeds/index.json"])["feeds"]}
    assert listed["orgs/gone-lab"]["active"] is False
    assert listed["orgs/nvidia"]["active"] is True and listed["orgs/nvidia"]["entries"] == 16
    assert b"gone-lab" in site.objects["index.html"]
    assert b"gone-lab" not in site.objects["orgs.opml"]  # nothing new arrives in it


def test_a_followed_feed_is_never_published_empty_for_the_first_time(june: dict) -> None:
    (nothing,) = parse_feeds_file('[[feed]]\nslug = "none"\ntitle = "None"\n'
                                  'include = ["xyzzy-never-said"]\n', "f.toml")
    catalogue = build_catalogue(june, JUNE_END, declared=(nothing,))
    site = render_site(june, JUNE_END, SiteOptions("https://x.example/"), catalogue)
    assert "feeds/none.atom" not in site.objects
    assert "none" not in {f["name"] for f in json.loads(site.objects["feeds/index.json"])["feeds"]}
    again = build_catalogue(june, JUNE_END, declared=(nothing,), published=frozenset({"none"}))
    site = render_site(june, JUNE_END, SiteOptions("https://x.example/"), again)
    listed = {f["name"]: f for f in json.loads(site.objects["feeds/index.json"])["feeds"]}
    assert "feeds/none.atom" not in site.objects and listed["none"]["active"] is False


def test_a_topic_entry_says_why_it_is_there(june: dict) -> None:
    site = render_site(june, JUNE_END, SiteOptions("https://x.example/"))
    feed = json.loads(site.objects["feeds/topics/video.json"])
    item = feed["items"][0]
    why = topic("video").matched(by_title(june, item["title"]))
    assert why and f"Matched: {', '.join(why)}" in item["content_html"]
    assert item["tags"][:len(why)] == [w.rstrip("*") for w in why]
    assert item["id"] == "https://huggingface.co/papers/" + item["_paper"]["arxiv_id"]
    ko = render_site(june, JUNE_END, SiteOptions("https://x.example/", lang("ko")))
    assert json.loads(ko.objects["feeds/topics/video.json"])["title"] == (
        "Hugging Face Daily Papers: 비디오")


# --- the deployer's file -------------------------------------------------------------------

GOOD = '''
[[feed]]
slug = "diffusion-20"
title = "Diffusion, 20+ upvotes"
include = ["diffusion"]
exclude = ["survey"]
min_upvotes = 20
'''


def test_a_good_file_gives_its_feeds() -> None:
    (d,) = parse_feeds_file(GOOD, "feeds.toml", reserved=RESERVED)
    assert d.slug == "diffusion-20" and d.description == d.title and d.family == "custom"
    assert d.criteria == Criteria(include=("diffusion",), exclude=("survey",), min_upvotes=20)


@pytest.mark.parametrize(("text", "problem"), [
    ("[[feed]\nslug=1", "feeds.toml: not TOML"),
    (GOOD.replace("min_upvotes", "min_upvote"), "feed 'diffusion-20': unknown key 'min_upvote'"),
    (GOOD.replace("= 20", '= "20"'), "feed 'diffusion-20': min_upvotes must be a whole number"),
    (GOOD.replace('["survey"]', '"survey"'), "feed 'diffusion-20': exclude must be a list"),
    ('[[feed]]\nslug = "all"\ntitle = "All"\n', "feed 'all': selects every paper"),
    (GOOD + GOOD, "feed 'diffusion-20': is defined twice"),
    (GOOD.replace("diffusion-20", "../etc"), "feed '../etc': slug must be"),
    (GOOD.replace("diffusion-20", "Daily"), "feed 'Daily': slug must be"),
    (GOOD.replace("diffusion-20", "daily"), "feed 'daily': slug 'daily' is one of paperfeed's"),
    (GOOD.replace("min_upvotes = 20", "window = 91"), "window must be a whole number from 1 to 90"),
    (GOOD.replace('"diffusion"', '"dif*fusion"'), "include: 'dif*fusion' is not a term"),
    (GOOD.replace('title = "Diffusion, 20+ upvotes"', 'title = {english = "x"}'),
     "title: 'english' is not a language code"),
    ("feed = 3", "file: holds no [[feed]] table"),
    ('colour = "red"\n' + GOOD, "file: unknown key 'colour'"),
    (GOOD.replace("min_upvotes = 20", "has_code = 1"), "has_code must be true or false"),
])
def test_each_mistake_is_one_line_naming_the_file_the_feed_and_the_problem(
    text: str, problem: str
) -> None:
    with pytest.raises(FeedsFileError) as caught:
        parse_feeds_file(text, "feeds.toml", reserved=RESERVED)
    message = str(caught.value)
    assert message.startswith("feeds.toml: ") and problem in message, message
    assert "\n" not in message
    assert isinstance(caught.value, ConfigError)  # the CLI's usage error: exit 2


def test_every_feed_opened_in_a_browser_finds_its_view_script_at_the_root(june: dict) -> None:
    """A family's feeds live a folder deeper (feeds/topics/): their feed-view.js link climbs
    out of it, or the browser shows the bare XML."""
    import re
    from urllib.parse import urljoin

    site_url = "https://x.example/site/"
    site = render_site(june, JUNE_END, SiteOptions(site_url))
    feeds = [k for k in site.objects if k.endswith((".atom", ".rss"))]
    assert any(k.startswith("feeds/topics/") for k in feeds)
    assert any(k.startswith("feeds/orgs/") for k in feeds)
    for key in feeds:
        body = site.objects[key]
        src = re.search(rb'<script xmlns="http://www.w3.org/1999/xhtml" src="([^"]+)" defer=""/>',
                        body)
        assert src and urljoin(site_url + key, src[1].decode()) == site_url + "feed-view.js", key
        assert b"<?xml-stylesheet" not in body, key
    assert "feed-view.js" in site.objects and "feed.xsl" not in site.objects
