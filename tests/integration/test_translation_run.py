"""Translation wired into whole runs: the archive keeps it, every output shows it, safely."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from factories import client_for, site_config
from fake_bedrock import FakeBedrock
from fake_hf import FakeHF

from paperfeed.publish.stores.folder import DirStore
from paperfeed.run import RunSummary, run
from paperfeed.translate.bedrock import Translator

T0 = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)


def translated_run(fake: FakeHF, out: Path, *, budget: int = 30, days: int = 1,
                   hour: int = 0, translator: Translator | None = None) -> RunSummary:
    config = site_config(fake.url, out, days=days, site_url="https://x.example/",
                         translate_to="ko", translate_model="amazon.nova-lite-v1:0",
                         translate_max_papers=budget)
    translator = translator or Translator("ko", retry_mode="standard", max_attempts=1)
    return run(config, store=DirStore(out), client=client_for(fake),
               now=T0 + timedelta(hours=hour), translator=translator)


def stored(out: Path, day: str = "2026-08-03") -> dict[str, dict]:
    papers = json.loads((out / f"archive/{day}.json").read_bytes())["papers"]
    return {p["arxiv_id"]: p.get("translations", {}) for p in papers}


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_one_call_per_paper_across_three_runs(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    first = translated_run(fake_hf, tmp_path)
    assert first.translation["PapersTranslated"] == 3 and len(bedrock.requests) == 3
    assert all(t["ko"]["prompt_version"] for t in stored(tmp_path).values())
    before = snapshot(tmp_path)
    for hour in (1, 2):
        again = translated_run(fake_hf, tmp_path, hour=hour)
        assert again.translation["PapersTranslated"] == 0 and again.written == []
    assert len(bedrock.requests) == 3
    assert snapshot(tmp_path) == before  # nothing new translated: no byte changed


def test_budget_takes_the_highest_ranked_first_and_the_rest_wait(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    first = translated_run(fake_hf, tmp_path, days=30, budget=5)
    assert first.translation["PapersTranslated"] == 5
    assert first.translation["TranslationsDeferred"] > 0
    tops = {d: json.loads((tmp_path / f"archive/{d}.json").read_bytes())["papers"][0]
            for d in ("2026-08-03", "2026-07-31", "2026-07-13", "2026-07-10")}
    assert all(p.get("translations", {}).get("ko") for p in tops.values())  # every day's #1
    second = translated_run(fake_hf, tmp_path, days=30, budget=5, hour=1)
    assert second.translation["PapersTranslated"] == 5 and len(bedrock.requests) == 10


def test_malformed_answer_is_retried_once_then_the_original_shows(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    bedrock.script("malformed", "malformed")  # the first paper fails twice
    summary = translated_run(fake_hf, tmp_path)
    assert summary.status == "ok" and summary.translation["TranslationFailures"] == 1
    assert len(bedrock.requests) == 4  # 2 for the failing paper, 1 each for the others
    untranslated = [i for i, t in stored(tmp_path).items() if not t]
    assert len(untranslated) == 1  # a failure is never stored
    jf = json.loads((tmp_path / "feeds/daily.json").read_bytes())
    item = next(i for i in jf["items"] if i["_paper"]["arxiv_id"] == untranslated[0])
    assert "translation" not in item["_paper"] and "초록 (번역)" not in item["content_html"]
    retry = translated_run(fake_hf, tmp_path, hour=1)  # tried again next run
    assert retry.translation["PapersTranslated"] == 1 and all(stored(tmp_path).values())


def test_throttling_never_fails_the_run(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    bedrock.script("throttle", "throttle", "throttle")
    summary = translated_run(fake_hf, tmp_path)
    assert summary.status == "ok" and summary.translation["TranslationFailures"] >= 1
    assert (tmp_path / "feeds/daily.atom").exists()
    assert not any(stored(tmp_path).values())


def test_a_changed_abstract_is_translated_again_and_the_stale_one_is_hidden(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    translated_run(fake_hf, tmp_path)
    target = fake_hf.days["2026-08-03"][0]["paper"]
    target["summary"] = "A rewritten abstract about diffusion models."
    bedrock.script("throttle")  # this run's call fails: the old translation must not show
    translated_run(fake_hf, tmp_path, hour=1)
    jf = json.loads((tmp_path / "feeds/daily.json").read_bytes())
    item = next(i for i in jf["items"] if i["_paper"]["arxiv_id"] == target["id"])
    assert "translation" not in item["_paper"]
    translated_run(fake_hf, tmp_path, hour=2)
    assert bedrock.abstracts()[-1].startswith("A rewritten abstract")
    jf = json.loads((tmp_path / "feeds/daily.json").read_bytes())
    item = next(i for i in jf["items"] if i["_paper"]["arxiv_id"] == target["id"])
    assert item["_paper"]["translation"]["lang"] == "ko"


def test_translations_show_in_every_output_after_the_original(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    translated_run(fake_hf, tmp_path)
    jf = json.loads((tmp_path / "feeds/daily.json").read_bytes())
    t = jf["items"][0]["_paper"]["translation"]
    assert set(t) == {"lang", "summary", "abstract", "key_points"} and len(t["key_points"]) == 3
    html = jf["items"][0]["content_html"]
    assert html.index("<p>The web is increasingly") < html.index('<div lang="ko">')
    digest = feedparser.parse((tmp_path / "feeds/digest.atom").read_bytes())
    assert f'<p lang="ko">{t["summary"]}</p>' in digest.entries[0].content[0].value
    post = (tmp_path / "posts/2026-08-03-hf-daily-papers.md").read_text(encoding="utf-8")
    assert "**Key points:**" in post and "*Machine translation \\(amazon\\.nova" in post


def test_hostile_model_text_is_inert_everywhere(
    fake_hf: FakeHF, bedrock: FakeBedrock, tmp_path: Path
) -> None:
    bedrock.behaviour.default = "hostile"
    translated_run(fake_hf, tmp_path)
    for key in ("feeds/daily.atom", "feeds/daily.rss", "feeds/digest.rss"):
        parsed = feedparser.parse((tmp_path / key).read_bytes())
        assert not parsed.bozo
        for entry in parsed.entries:
            soup = BeautifulSoup(entry.content[0].value, "html.parser")
            assert not soup.find_all(["script", "img"], src="x") and not soup.find("script")
            assert not any(a.get("href", "").startswith("javascript") for a in soup("a"))
    jf = json.loads((tmp_path / "feeds/daily.json").read_bytes())
    for item in jf["items"]:
        assert "<script" not in item["content_html"] and "\x00" not in json.dumps(item)
    post = (tmp_path / "posts/2026-08-03-hf-daily-papers.md").read_text(encoding="utf-8")
    assert "<script" not in post and "{{" not in post and "{%" not in post


def test_no_credentials_is_one_clear_error_at_start(
    fake_hf: FakeHF, no_aws_files: None, tmp_path: Path
) -> None:
    config = site_config(fake_hf.url, tmp_path, days=1, translate_to="ko",
                         translate_model="amazon.nova-lite-v1:0")
    summary = run(config, store=DirStore(tmp_path), client=client_for(fake_hf), now=T0)
    assert summary.status == "failed" and "no AWS credentials were found" in summary.error
    assert fake_hf.requests == []  # failed before fetching anything


@pytest.mark.parametrize("value", ["", None])
def test_translation_is_off_by_default(
    fake_hf: FakeHF, tmp_path: Path, value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperfeed.config import load_config

    if value is None:
        monkeypatch.delenv("TRANSLATE_TO", raising=False)
    config = load_config({"TRANSLATE_TO": value} if value is not None else {})
    assert config.translate_to == ""
