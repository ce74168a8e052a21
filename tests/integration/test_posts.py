"""Daily and monthly posts as plain text: front matter, order, escaping, stability."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from factories import NOW, client_for, paper, run_local, site_config
from fake_hf import FakeHF

from paperfeed.config import ConfigError, load_config
from paperfeed.i18n import lang
from paperfeed.publish.stores.folder import DirStore
from paperfeed.render.post import PostOptions, daily_post, md, monthly_post
from paperfeed.run import run
from paperfeed.select.rank import rank_papers

D = date(2026, 7, 31)


def split(post: bytes) -> tuple[dict, str]:
    text = post.decode("utf-8")
    assert text.startswith("---\n")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def ranked_day(n: int = 12) -> tuple:
    return rank_papers(paper(f"2607.{i:05d}", upvotes=i * 3, day=D) for i in range(n))


def test_daily_post_front_matter_and_top_n_in_rank_order() -> None:
    key, body = daily_post(D, ranked_day(), PostOptions(top=5, author="Kim", layout="post"),
                           lang("en"))
    assert key == "posts/2026-07-31-hf-daily-papers.md"
    front, text = split(body)
    assert front == {
        "title": "Hugging Face Daily Papers: July 31, 2026",
        "date": "2026-07-31 00:00:00 +0000",
        "categories": ["papers"], "tags": ["huggingface", "daily-papers"],
        "permalink": "/posts/hf-daily-papers-2026-07-31/",
        "url": "/posts/hf-daily-papers-2026-07-31/",
        "author": "Kim", "layout": "post",
    }
    assert "Hugging Face listed 12 papers on July 31, 2026; this post shows the top 5" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h.split("/papers/")[1].rstrip(")") for h in headings] == [
        "2607.00011", "2607.00010", "2607.00009", "2607.00008", "2607.00007"]
    assert headings[0].startswith("## 1. [Paper 2607\\.00011]")


def test_post_top_zero_shows_all_and_time_zone_sets_the_offset() -> None:
    _, body = daily_post(D, ranked_day(), PostOptions(top=0, tz="Asia/Seoul"), lang("en"))
    front, text = split(body)
    assert front["date"] == "2026-07-31 00:00:00 +0900"
    assert text.count("\n## ") == 12


def test_korean_post_labels_are_exact_utf8() -> None:
    p = paper("2607.00001", 117, comments=4, organization="NVIDIA", authors=("김민수", "Zoë"),
              abstract="An abstract.", ai_summary="Short.", day=D)
    _, body = daily_post(D, rank_papers([p]), PostOptions(tz="Asia/Seoul"), lang("ko"))
    front, text = split(body)
    assert front["title"] == "Hugging Face 일간 논문: 2026년 7월 31일"
    for label in ("▲ 추천 117개 · 댓글 4개", "**소속:** NVIDIA", "**저자:** 김민수, Zoë",
                  "**초록:** An abstract\\.", "> **AI 요약:** Short\\.", "[arXiv 초록]("):
        assert label in text
    assert "일간".encode() in body and "ì".encode() not in body
    assert "NVIDIA4" not in text  # organisation comes from data, never glued to a count


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("{{ site.time }} {% include x %}",
         "&#123;&#123; site\\.time &#125;&#125; &#123;% include x %&#125;"),
        ("{{< shortcode >}}", "&#123;&#123;&lt; shortcode &gt;&#125;&#125;"),
        ("**b** _i_ [l](javascript:x)", "\\*\\*b\\*\\* \\_i\\_ \\[l\\]\\(javascript\\:x\\)"),
        ("~~s~~ # h | t $$x$$", "&#126;&#126;s&#126;&#126; \\# h \\| t \\$\\$x\\$\\$"),
    ],
)
def test_markdown_escaping_leaves_nothing_for_liquid_shortcodes_or_html(
    hostile: str, expected: str
) -> None:
    assert md(hostile) == expected
    assert "{" not in md(hostile) and "<" not in md(hostile)


def test_front_matter_survives_colons_quotes_hash_and_hangul() -> None:
    options = PostOptions(extra={"comments": True, "description": 'a: "b" # c 한국어'})
    _, body = daily_post(D, ranked_day(2), options, lang("ko"))
    front, _ = split(body)
    assert front["description"] == 'a: "b" # c 한국어' and front["comments"] is True


def test_monthly_roundup_takes_the_months_top_twenty_with_day_and_rank() -> None:
    days = {date(2026, 7, d): rank_papers(paper(f"2607.{d:02d}{i:03d}", d * 10 + i,
                                                day=date(2026, 7, d)) for i in range(5))
            for d in range(1, 32)}
    days[date(2026, 8, 1)] = rank_papers([paper("2608.00001", 10_000, day=date(2026, 8, 1))])
    key, body = monthly_post(2026, 7, days, PostOptions(), lang("en"))
    assert key == "posts/2026-07-31-hf-daily-papers-monthly.md"
    front, text = split(body)
    assert front["date"].startswith("2026-07-31") and "July 2026" in front["title"]
    assert front["permalink"] == "/posts/hf-daily-papers-monthly-2026-07-31/"
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == 20 and "2608.00001" not in text
    assert headings[0].startswith("## 1. [Paper 2607\\.31004]")
    assert "▲ 314 upvotes · \\#1 on July 31, 2026" in text  # "\#" renders as "#"


def test_run_writes_posts_to_the_site_and_a_blog_folder_only_when_changed(
    fake_hf: FakeHF, tmp_path: Path
) -> None:
    blog = tmp_path / "blog" / "_posts"
    config = site_config(fake_hf.url, tmp_path / "site", days=30, site_url="https://x.example/",
                         posts_dir=str(blog))
    run(config, store=DirStore(tmp_path / "site"), client=client_for(fake_hf), now=NOW)
    written = sorted(p.name for p in blog.iterdir())
    assert written == ["2026-07-10-hf-daily-papers.md", "2026-07-13-hf-daily-papers.md",
                       "2026-07-31-hf-daily-papers-monthly.md", "2026-07-31-hf-daily-papers.md",
                       "2026-08-03-hf-daily-papers.md"]
    assert sorted(p.name for p in (tmp_path / "site/posts").iterdir()) == written
    mtimes = {p.name: p.stat().st_mtime_ns for p in blog.iterdir()}
    later = datetime(2026, 8, 3, 16, tzinfo=UTC)
    summary = run(config, store=DirStore(tmp_path / "site"), client=client_for(fake_hf), now=later)
    assert summary.written == [] and summary.posts_written == []
    assert {p.name: p.stat().st_mtime_ns for p in blog.iterdir()} == mtimes
    index = (tmp_path / "site/index.html").read_text()
    assert 'href="https://x.example/posts/2026-08-03-hf-daily-papers.md"' in index


def test_a_grown_day_rebuilds_only_its_post(fake_hf: FakeHF, site_30_copy: Path) -> None:
    tmp_path = site_30_copy
    before = {p.name: p.read_bytes() for p in (tmp_path / "posts").iterdir()}
    grown = copy.deepcopy(fake_hf.days["2026-07-13"][0])
    grown["paper"].update(id="2607.99999", title="A late paper", upvotes=999)
    fake_hf.days["2026-07-13"].append(grown)
    summary = run_local(fake_hf, tmp_path, days=30, now=datetime(2026, 8, 4, tzinfo=UTC))
    changed = {k for k in summary.written if k.startswith("posts/")}
    assert changed == {"posts/2026-07-13-hf-daily-papers.md",
                       "posts/2026-07-31-hf-daily-papers-monthly.md"}
    after = {p.name: p.read_bytes() for p in (tmp_path / "posts").iterdir()}
    assert after["2026-08-03-hf-daily-papers.md"] == before["2026-08-03-hf-daily-papers.md"]
    assert b"A late paper" in after["2026-07-13-hf-daily-papers.md"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PAPERFEED_TZ": "Mars/Olympus"}, "time zone 'Mars/Olympus' is unknown"),
        ({"PAPERFEED_LANG": "xx"}, "language 'xx' is not one of: en, ko"),
        ({"POST_TOP": "-1"}, "post top (0 for all) must be 0 or more"),
        ({"POST_SLUG": "../x"}, "post slug '../x' must be ASCII"),
        ({"POST_PERMALINK": "/posts/"}, "must start with / and hold {date}"),
        ({"POST_FRONT_MATTER": "[1]"}, "must be a JSON object"),
    ],
)
def test_bad_post_settings_are_one_line_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("{", r"\{").replace("}", r"\}").replace(".", r"\.")):
        load_config(env)
